import { isAnyOf } from '@reduxjs/toolkit';
import type { AppStartListening } from '../../store/listeners';
import type { AppStore } from '../../store/store';
import { EXPIRY_LEEWAY_MS, renewSession } from './oauthThunks';
import {
  loggedOut,
  loginSucceeded,
  sessionExpired,
  tokenRefreshed,
  userDataCleared,
  userLoaded,
} from './oauthSlice';
import type { OAuthSession } from '../../../protocol/oauthTypes';
import type { OAuthRuntime, SessionMessage } from './oauthRuntime';

export const storageKey = (clientId: string) => `carto-oauth-session:${clientId}`;

const MAX_TIMER_MS = 2 ** 31 - 1;

interface StoredSession {
  session: OAuthSession;
  refreshToken: string | null;
}

export function registerOAuthListeners(startAppListening: AppStartListening) {
  // Renew shortly before expiry; a newer login or refresh replaces the pending timer.
  startAppListening({
    matcher: isAnyOf(loginSucceeded, tokenRefreshed),
    effect: async (_action, api) => {
      api.cancelActiveListeners();
      const session = api.getState().oauth.session;
      if (session?.expiresAt == null) return;
      const { oauth: rt } = api.extra;
      // Timers cannot wait more than ~24.8 days (2^31 - 1 ms): wait in steps until it is time.
      for (;;) {
        const wait = session.expiresAt - EXPIRY_LEEWAY_MS - rt.now();
        if (wait <= 0) break;
        await api.delay(Math.min(wait, MAX_TIMER_MS));
      }
      const current = api.getState().oauth.session;
      if (current?.accessToken !== session.accessToken) return;
      if (rt.vault.refreshToken) await api.dispatch(renewSession());
      else api.dispatch(sessionExpired());
    },
  });

  // Opt-in persistence (sessionStorage), written by an effect, never by a reducer.
  startAppListening({
    matcher: isAnyOf(loginSucceeded, tokenRefreshed, userLoaded),
    effect: (_action, api) => {
      const { storage, vault } = api.extra.oauth;
      const { session, clientId } = api.getState().oauth;
      if (!storage || !session) return;
      const stored: StoredSession = { session, refreshToken: vault.refreshToken };
      storage.setItem(storageKey(clientId), JSON.stringify(stored));
    },
  });

  startAppListening({
    actionCreator: loggedOut,
    effect: (_action, api) => {
      api.extra.oauth.storage?.removeItem(storageKey(api.getState().oauth.clientId));
    },
  });
}

function readStored(storage: Storage, clientId: string): StoredSession | null {
  try {
    const value = JSON.parse(
      storage.getItem(storageKey(clientId)) ?? 'null',
    ) as StoredSession | null;
    return value && typeof value.session.accessToken === 'string' ? value : null;
  } catch {
    return null;
  }
}

/**
 * Starts the session side of the app: restores an opted-in persisted session (expiry checked),
 * joins the other tabs (share the session, follow their refreshes and logouts) and asks them
 * for a session if this tab has none. `runtime` is the one the store was made with.
 * Returns a function that stops listening.
 */
export function startOAuthSession(store: AppStore, runtime: OAuthRuntime): () => void {
  const { clientId } = store.getState().oauth;
  if (!clientId) return () => undefined;

  if (runtime.storage) {
    const stored = readStored(runtime.storage, clientId);
    if (stored) {
      runtime.vault.refreshToken = stored.refreshToken;
      store.dispatch(loginSucceeded(stored.session));
      const expired =
        stored.session.expiresAt !== null &&
        stored.session.expiresAt - EXPIRY_LEEWAY_MS <= runtime.now();
      if (expired) {
        store.dispatch(sessionExpired());
        if (stored.refreshToken) void store.dispatch(renewSession());
      }
    }
  }

  const channel = runtime.channel;
  if (!channel) return () => undefined;
  const onMessage = (message: SessionMessage) => {
    const { oauth } = store.getState();
    switch (message.type) {
      case 'session-request':
        if (oauth.session && oauth.status === 'authenticated') {
          channel.post({
            type: 'session',
            session: oauth.session,
            refreshToken: runtime.vault.refreshToken,
          });
        }
        break;
      case 'session':
        if (!oauth.session || oauth.status === 'expired') {
          runtime.vault.refreshToken = message.refreshToken;
          store.dispatch(loginSucceeded(message.session));
        }
        break;
      case 'tokens-refreshed':
        if (oauth.session) {
          runtime.vault.refreshToken = message.refreshToken;
          store.dispatch(
            tokenRefreshed({
              accessToken: message.accessToken,
              expiresAt: message.expiresAt,
              grantedScopes: message.grantedScopes,
            }),
          );
        }
        break;
      case 'logout':
        runtime.vault.refreshToken = null;
        if (oauth.session) store.dispatch(loggedOut());
        // Even without a session here (e.g. it had expired and been dropped), the user's
        // layers and selection from before must not stay on screen for the next user.
        store.dispatch(userDataCleared());
        break;
    }
  };
  const unsubscribe = channel.subscribe(onMessage);
  if (!store.getState().oauth.session) channel.post({ type: 'session-request' });
  return unsubscribe;
}
