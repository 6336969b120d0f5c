/**
 * The OAuth callback page (oauth-callback.html). It validates nothing: it hands its URL to the
 * window that opened the login (postMessage to this app's own origin, or a BroadcastChannel
 * named by the state when Cross-Origin-Opener-Policy cut the opener off), clears the code or
 * token from its URL and history, and closes.
 */
import { callbackChannelName, CALLBACK_MESSAGE_TYPE, stateOf, type CallbackMessage } from './popup';

export function handOverCallback(win: Window = window): 'opener' | 'channel' | 'none' {
  const url = new URL(win.location.href);
  // Nothing with a code or token stays in the address bar or history.
  win.history.replaceState(null, '', url.pathname);
  const message: CallbackMessage = { type: CALLBACK_MESSAGE_TYPE, url: url.href };
  const opener = win.opener as Window | null;
  if (opener && !opener.closed) {
    opener.postMessage(message, win.location.origin);
    return 'opener';
  }
  const state = stateOf(url);
  if (state && typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(callbackChannelName(state));
    channel.postMessage(message);
    channel.close();
    return 'channel';
  }
  return 'none';
}

if (typeof window !== 'undefined' && document.documentElement.dataset.page === 'oauth-callback') {
  const handedTo = handOverCallback();
  window.close();
  const status = document.getElementById('status');
  if (status) {
    status.textContent =
      handedTo === 'none'
        ? 'This page finishes a CARTO login started from the app. Go back to the app and log in again.'
        : 'Login finished. You can close this window.';
  }
}
