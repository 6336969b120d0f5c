import { constantTimeEqual, OAuthFlowError } from '../../../protocol/oauthErrors';

export const CALLBACK_MESSAGE_TYPE = 'carto-oauth-callback';
const CALLBACK_PATH = 'oauth-callback.html';

/** The app's OAuth callback URL: register exactly this as an Allowed Callback URL. */
export function callbackUrl(): string {
  return new URL(CALLBACK_PATH, window.location.origin + import.meta.env.BASE_URL).href;
}

export interface CallbackMessage {
  type: typeof CALLBACK_MESSAGE_TYPE;
  url: string;
}

export const callbackChannelName = (state: string) => `carto-oauth:${state}`;

function isCallbackMessage(data: unknown): data is CallbackMessage {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === CALLBACK_MESSAGE_TYPE &&
    typeof (data as { url?: unknown }).url === 'string'
  );
}

/** `state` from a callback URL: query (code flow) or fragment (implicit flow). */
export function stateOf(url: URL): string | null {
  return url.searchParams.get('state') ?? new URLSearchParams(url.hash.slice(1)).get('state');
}

/**
 * Opens the login window. Must run synchronously inside the click handler (before any await),
 * or browsers block it. The window starts blank; the flow sets its URL once it is built.
 */
export function openLoginPopup(): Window {
  const width = 520;
  const height = 720;
  const left = Math.max(0, window.screenX + (window.outerWidth - width) / 2);
  const top = Math.max(0, window.screenY + (window.outerHeight - height) / 2);
  const popup = window.open(
    '',
    'carto-oauth-login',
    `popup=yes,width=${width},height=${height},left=${left},top=${top}`,
  );
  if (!popup) {
    throw new OAuthFlowError(
      'popup_blocked',
      'Your browser blocked the login window. Allow pop-ups for this site (use the icon at the right of the address bar), then try again.',
    );
  }
  try {
    popup.document.title = 'Log in with CARTO';
    popup.document.body.textContent = 'Opening the CARTO login…';
  } catch {
    // A reused window may already be on another origin; it is navigated next anyway.
  }
  return popup;
}

export interface WaitOptions {
  /** Give up after this long (the user may have walked away). */
  timeoutMs?: number;
  /** After the window is seen closed, wait this long for a late message before rejecting. */
  closedGraceMs?: number;
  pollMs?: number;
  /**
   * Whether this app's window has the focus. A window the user closes hands the focus back to
   * its opener; a window that the login page's Cross-Origin-Opener-Policy cut off from us also
   * reads as `closed`, but stays open in front of the user, so the app does not get the focus.
   */
  openerHasFocus?: () => boolean;
  signal?: AbortSignal;
}

/**
 * A callback page's message for this app: its URL (of this origin), and whether its state is
 * this login's (compared in constant time). Null when the message is not one.
 */
function readCallbackMessage(
  data: unknown,
  expectedState: string,
): { url: URL; sameState: boolean } | null {
  if (!isCallbackMessage(data)) return null;
  let url: URL;
  try {
    url = new URL(data.url);
  } catch {
    return null;
  }
  if (url.origin !== window.location.origin) return null;
  const state = stateOf(url);
  return { url, sameState: state !== null && constantTimeEqual(state, expectedState) };
}

const DEFAULT_POLL_MS = 250;
const DEFAULT_LOGIN_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_CLOSED_GRACE_MS = 1000;

const documentHasFocus = () => typeof document === 'undefined' || document.hasFocus();

export function popupClosedError(): OAuthFlowError {
  return new OAuthFlowError(
    'popup_closed',
    'The login window was closed before the login finished. Log in again when you are ready.',
  );
}

/**
 * Watches the login window while it is still blank (the flow is fetching the server's metadata
 * and has not sent it anywhere yet). Same-origin and not navigated, it cannot have been cut off
 * by COOP, so `closed` is a real close. `closed` rejects as soon as it is seen.
 */
export function watchBlankPopup(
  popup: Window,
  options: Pick<WaitOptions, 'pollMs'> = {},
): { closed: Promise<never>; stop: () => void } {
  let poll: ReturnType<typeof setInterval> | undefined;
  const closed = new Promise<never>((_resolve, reject) => {
    poll = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(poll);
      reject(popupClosedError());
    }, options.pollMs ?? DEFAULT_POLL_MS);
  });
  // Whoever stops watching no longer awaits `closed`: its rejection must not go unhandled.
  closed.catch(() => undefined);
  return { closed, stop: () => clearInterval(poll) };
}

/**
 * Waits for the callback page to hand over its URL. Accepts a message only from this app's
 * origin, from the window that was opened for this login (or the BroadcastChannel named by
 * this login's `state` when COOP cut the window off), with the expected shape and state, once.
 *
 * A closed window is reported within `pollMs + closedGraceMs` (1.25 s by default) of being
 * closed. The one case it waits on is a window that reads as closed while this app does not
 * have the focus: that is what a COOP cut looks like (the login window is still in front of
 * the user and will answer by BroadcastChannel). Once the app has the focus again and the
 * window still reads as closed, it is reported.
 */
export function waitForCallback(
  popup: Window,
  expectedState: string,
  options: WaitOptions = {},
): Promise<URL> {
  const {
    timeoutMs = DEFAULT_LOGIN_TIMEOUT_MS,
    closedGraceMs = DEFAULT_CLOSED_GRACE_MS,
    pollMs = DEFAULT_POLL_MS,
    openerHasFocus = documentHasFocus,
    signal,
  } = options;
  const channel =
    typeof BroadcastChannel === 'function'
      ? new BroadcastChannel(callbackChannelName(expectedState))
      : null;

  return new Promise<URL>((resolve, reject) => {
    let settled = false;
    let closedTimer: ReturnType<typeof setTimeout> | undefined;

    const cleanup = () => {
      settled = true;
      window.removeEventListener('message', onMessage);
      channel?.removeEventListener('message', onChannelMessage);
      channel?.close();
      clearInterval(poll);
      clearTimeout(timeout);
      clearTimeout(closedTimer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: Error) => {
      if (settled) return;
      cleanup();
      if (!popup.closed) popup.close();
      reject(error);
    };
    const accept = (data: unknown) => {
      if (settled) return;
      const message = readCallbackMessage(data, expectedState);
      if (!message) return;
      if (!message.sameState) {
        fail(
          new OAuthFlowError(
            'invalid_state',
            'The login answer did not match this login attempt. Try again.',
          ),
        );
        return;
      }
      cleanup();
      resolve(message.url);
    };
    function onMessage(event: MessageEvent) {
      if (event.origin !== window.location.origin || event.source !== popup) return;
      accept(event.data);
    }
    function onChannelMessage(event: MessageEvent) {
      accept(event.data);
    }
    function onAbort() {
      fail(new OAuthFlowError('popup_closed', 'The login was cancelled.'));
    }

    window.addEventListener('message', onMessage);
    channel?.addEventListener('message', onChannelMessage);
    signal?.addEventListener('abort', onAbort);

    const poll = setInterval(() => {
      if (settled || closedTimer !== undefined || !popup.closed) return;
      if (!openerHasFocus()) return; // maybe cut off by COOP: see above
      // The callback page posts and then closes itself: let a message that is on its way land.
      closedTimer = setTimeout(() => fail(popupClosedError()), closedGraceMs);
    }, pollMs);
    const timeout = setTimeout(() => {
      fail(new OAuthFlowError('timeout', 'The login took too long and was stopped. Try again.'));
    }, timeoutMs);
  });
}

/**
 * After a login window sent to the server was reported closed. A window that the login page's
 * COOP cut off reads as closed too; while the login window has the focus that is told apart,
 * but when this app has it meanwhile (the user came back to it, or a browser that gives every
 * window the focus, as headless Chromium does) the window is reported closed while the user
 * still logs in. Its answer then comes by the BroadcastChannel named by the state: this listens
 * for it until `timeoutMs` or `signal`, with the same checks as `waitForCallback` (this app's
 * origin, this login's state, once). Resolves with the callback URL, or null.
 */
export function waitForLateCallback(
  expectedState: string,
  { timeoutMs = DEFAULT_LOGIN_TIMEOUT_MS, signal }: { timeoutMs?: number; signal?: AbortSignal },
): Promise<URL | null> {
  if (typeof BroadcastChannel !== 'function' || signal?.aborted) return Promise.resolve(null);
  const channel = new BroadcastChannel(callbackChannelName(expectedState));
  return new Promise<URL | null>((resolve) => {
    const done = (url: URL | null) => {
      channel.removeEventListener('message', onMessage);
      channel.close();
      clearTimeout(timeout);
      signal?.removeEventListener('abort', onAbort);
      resolve(url);
    };
    function onMessage(event: MessageEvent) {
      const message = readCallbackMessage(event.data, expectedState);
      if (message) done(message.sameState ? message.url : null);
    }
    function onAbort() {
      done(null);
    }
    channel.addEventListener('message', onMessage);
    signal?.addEventListener('abort', onAbort);
    const timeout = setTimeout(() => done(null), timeoutMs);
  });
}
