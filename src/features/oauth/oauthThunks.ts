import type { AppThunk, RootState } from '../../store/store';
import type { OAuthClientConfig, OAuthTokens } from '../../../protocol/oauthClient';
import { toOAuthError } from '../../../protocol/oauthErrors';
import {
  loggedOut,
  loginFailed,
  loginStarted,
  loginSucceeded,
  sessionExpired,
  tokenRefreshed,
} from './oauthSlice';
import { callbackUrl, waitForCallback } from './popup';

/** Renew this long before the token expires. */
export const EXPIRY_LEEWAY_MS = 60_000;

function clientConfig(state: RootState): OAuthClientConfig {
  const { clientId, authorizationServer, audience, organization, scopes, flow } = state.oauth;
  return { clientId, authorizationServer, audience, organization, scopes, flow };
}

/** Expiry from `expires_in` on the local clock, so a server clock that is off does not matter. */
function expiryFrom(tokens: OAuthTokens, now: number): number | null {
  return tokens.expiresIn === null ? null : now + tokens.expiresIn * 1000;
}

/**
 * Runs the login in a window that the caller opened synchronously in its click handler.
 * `scopes` asks for more than the configured scopes (incremental consent).
 */
export const loginWithPopup =
  (popup: Window, options: { scopes?: string[] } = {}): AppThunk<Promise<boolean>> =>
  async (dispatch, getState, { oauth: rt }) => {
    const config = clientConfig(getState());
    dispatch(loginStarted());
    try {
      const client = await rt.loadClient();
      const pending = await client.startAuthorization(config, {
        redirectUri: callbackUrl(),
        ...(options.scopes ? { scopes: options.scopes } : {}),
      });
      popup.location.href = pending.url;
      const callback = await waitForCallback(popup, pending.state, rt.waitOptions);
      const tokens = await client.finishAuthorization(config, callback, pending);
      const user = await client.fetchUser(config, tokens).catch(() => null);
      rt.vault.refreshToken = tokens.refreshToken;
      const session = {
        accessToken: tokens.accessToken,
        expiresAt: expiryFrom(tokens, rt.now()),
        grantedScopes: tokens.grantedScopes,
        user,
      };
      dispatch(loginSucceeded(session));
      // Other open tabs of the app share the login (and its rotating refresh token).
      rt.channel?.post({ type: 'session', session, refreshToken: tokens.refreshToken });
      return true;
    } catch (error) {
      if (!popup.closed) popup.close();
      dispatch(loginFailed(toOAuthError(error)));
      return false;
    }
  };

/** The login window could not even be opened (blocked): record why, nothing else changes. */
const loginBlocked =
  (error: unknown): AppThunk =>
  (dispatch) => {
    dispatch(loginFailed(toOAuthError(error)));
  };

/**
 * Renews the access token with the refresh token: once per tab at a time, and once across tabs
 * (Web Locks), so tabs sharing a rotating refresh token never spend the same one twice.
 * Resolves true when there is a fresh token; otherwise marks the session expired.
 */
export const renewSession =
  (): AppThunk<Promise<boolean>> =>
  (dispatch, getState, { oauth: rt }) => {
    if (rt.renewing) return rt.renewing;
    const attempt = async (): Promise<boolean> => {
      const spent = rt.vault.refreshToken;
      if (!spent || !getState().oauth.session) {
        dispatch(sessionExpired());
        return false;
      }
      const refresh = async () => {
        // Let a rotation that another tab broadcast just before releasing the lock arrive.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (rt.vault.refreshToken !== spent) return true; // another tab already renewed
        const client = await rt.loadClient();
        const tokens = await client.refreshTokens(clientConfig(getState()), spent);
        rt.vault.refreshToken = tokens.refreshToken ?? spent;
        const update = {
          accessToken: tokens.accessToken,
          expiresAt: expiryFrom(tokens, rt.now()),
          grantedScopes: tokens.grantedScopes,
        };
        dispatch(tokenRefreshed(update));
        rt.channel?.post({
          type: 'tokens-refreshed',
          ...update,
          refreshToken: rt.vault.refreshToken,
        });
        return true;
      };
      try {
        const lockName = `carto-oauth-refresh:${getState().oauth.clientId}`;
        return rt.locks ? await rt.locks.request(lockName, refresh) : await refresh();
      } catch {
        dispatch(sessionExpired());
        return false;
      }
    };
    rt.renewing = attempt().finally(() => {
      rt.renewing = null;
    });
    return rt.renewing;
  };

/** Revokes the refresh token, forgets everything (in every tab) and ends the server session. */
export const logout =
  (options: { returnTo?: string } = {}): AppThunk<Promise<void>> =>
  async (dispatch, getState, { oauth: rt }) => {
    const config = clientConfig(getState());
    const token = rt.vault.refreshToken ?? getState().oauth.session?.accessToken ?? null;
    const usesLogin = Boolean(config.clientId);
    rt.vault.refreshToken = null;
    dispatch(loggedOut());
    rt.channel?.post({ type: 'logout' });
    if (!usesLogin) return;
    const client = await rt.loadClient();
    if (token) await client.revokeToken(config, token).catch(() => undefined);
    const returnTo =
      options.returnTo ?? new URL(import.meta.env.BASE_URL, window.location.origin).href;
    rt.navigate(await client.logoutUrl(config, returnTo));
  };

/**
 * The click handler's entry point: opens the login window synchronously (this thunk runs
 * inside the click's call stack up to its first await), then runs the flow.
 */
export const startLogin =
  (options: { scopes?: string[] } = {}): AppThunk<Promise<boolean>> =>
  (dispatch, _getState, { oauth: rt }) => {
    let popup: Window;
    try {
      popup = rt.openPopup();
    } catch (error) {
      dispatch(loginBlocked(error));
      return Promise.resolve(false);
    }
    return dispatch(loginWithPopup(popup, options));
  };
