import type { AppThunk, RootState } from '../../store/store';
import type {
  OAuthClientConfig,
  OAuthTokens,
  PendingAuthorization,
} from '../../../protocol/oauthClient';
import { toOAuthError, unreachableError } from '../../../protocol/oauthErrors';
import {
  loggedOut,
  loginFailed,
  loginStarted,
  loginSucceeded,
  serverLogoutFailed,
  serverLogoutRetried,
  sessionExpired,
  tokenRefreshed,
  userDataCleared,
} from './oauthSlice';
import {
  callbackUrl,
  popupClosedError,
  waitForCallback,
  waitForLateCallback,
  watchBlankPopup,
} from './popup';
import type { OAuthRuntime } from './oauthRuntime';

/** Renew this long before the token expires. */
export const EXPIRY_LEEWAY_MS = 60_000;

/** A server that has not sent its metadata by then is treated as unreachable. */
const DISCOVERY_TIMEOUT_MS = 15_000;

/** Revocation is best effort at logout: a server that hangs must not hold the logout up. */
const REVOKE_TIMEOUT_MS = 5_000;

function rejectAfter(
  ms: number,
  error: () => Error,
): { promise: Promise<never>; stop: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  promise.catch(() => undefined);
  return { promise, stop: () => clearTimeout(timer) };
}

function clientConfig(state: RootState): OAuthClientConfig {
  const { clientId, authorizationServer, audience, organization, scopes, flow } = state.oauth;
  return { clientId, authorizationServer, audience, organization, scopes, flow };
}

/** Expiry from `expires_in` on the local clock, so a server clock that is off does not matter. */
function expiryFrom(tokens: OAuthTokens, now: number): number | null {
  return tokens.expiresIn === null ? null : now + tokens.expiresIn * 1000;
}

type OAuthClientModule = Awaited<ReturnType<OAuthRuntime['loadClient']>>;

/** Per store (its runtime): the wait for a late answer of a login reported closed. */
const lateAnswers = new WeakMap<OAuthRuntime, AbortController>();

/**
 * Runs the login in a window that the caller opened synchronously in its click handler.
 * `scopes` asks for more than the configured scopes (incremental consent).
 */
export const loginWithPopup =
  (popup: Window, options: { scopes?: string[] } = {}): AppThunk<Promise<boolean>> =>
  async (dispatch, getState, { oauth: rt }) => {
    const config = clientConfig(getState());
    // A new login supersedes an earlier one still waiting for a late answer.
    lateAnswers.get(rt)?.abort();
    lateAnswers.delete(rt);
    dispatch(loginStarted());
    // Set once the window is on its way to the server: what finishing the login needs.
    let sent: { client: OAuthClientModule; pending: PendingAuthorization } | null = null;
    const complete = async (callback: URL): Promise<void> => {
      if (!sent) throw popupClosedError();
      const { client, pending } = sent;
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
    };
    // The window is blank while the flow loads the client and asks the server for its
    // metadata: a close now is a real close, reported at once (nobody else watches it yet).
    const blank = watchBlankPopup(popup, rt.waitOptions);
    const unreachable = rejectAfter(DISCOVERY_TIMEOUT_MS, () =>
      unreachableError(config.authorizationServer),
    );
    try {
      const prepare = async () => {
        const client = await rt.loadClient();
        try {
          const pending = await client.startAuthorization(config, {
            redirectUri: callbackUrl(),
            ...(options.scopes ? { scopes: options.scopes } : {}),
          });
          return { client, pending };
        } catch (error) {
          // Discovery failed before the window was sent to the server: rather than let the
          // window show the browser's error page, say the server could not be reached.
          // (fetch fails with a TypeError; a server that answers wrongly is another error.)
          throw error instanceof TypeError ? unreachableError(config.authorizationServer) : error;
        }
      };
      const preparing = prepare();
      // When the window closes first, the race is over and nobody awaits this any more.
      preparing.catch(() => undefined);
      const { client, pending } = await Promise.race([
        preparing,
        blank.closed,
        unreachable.promise,
      ]).finally(() => {
        blank.stop();
        unreachable.stop();
      });
      if (popup.closed) throw popupClosedError();
      popup.location.href = pending.url;
      sent = { client, pending };
      const callback = await waitForCallback(popup, pending.state, rt.waitOptions);
      await complete(callback);
      return true;
    } catch (error) {
      if (!popup.closed) popup.close();
      const reported = toOAuthError(error);
      dispatch(loginFailed(reported));
      // A window on the server's pages that reads as closed may have been cut off by COOP and
      // still be in front of the user: its answer, if it comes, still completes this login.
      if (sent && reported.code === 'popup_closed' && !rt.waitOptions.signal?.aborted) {
        const late = new AbortController();
        lateAnswers.set(rt, late);
        void waitForLateCallback(sent.pending.state, {
          timeoutMs: rt.waitOptions.timeoutMs,
          signal: late.signal,
        }).then(async (callback) => {
          if (lateAnswers.get(rt) === late) lateAnswers.delete(rt);
          if (!callback || late.signal.aborted) return;
          dispatch(loginStarted());
          await complete(callback).catch((lateError: unknown) => {
            dispatch(loginFailed(toOAuthError(lateError)));
          });
        });
      }
      return false;
    }
  };

/** The login window could not even be opened (blocked): record why, nothing else changes. */
const loginBlocked =
  (error: unknown): AppThunk =>
  (dispatch) => {
    dispatch(loginFailed(toOAuthError(error)));
  };

/** How many of the refresh tokens it rotated away a tab keeps marked as spent. */
const SPENT_MARKS_KEPT = 4;

/** How long a tab whose refresh token another tab has just spent waits for its broadcast. */
const HANDOFF_TIMEOUT_MS = 5_000;
const HANDOFF_POLL_MS = 10;

/** The name of the lock that marks a refresh token spent: a digest of it, never the token. */
async function spentLockName(clientId: string, refreshToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(refreshToken));
  const hex = Array.from(new Uint8Array(digest).slice(0, 16), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  return `carto-oauth-spent:${clientId}:${hex}`;
}

/** Waits (bounded) until another tab's broadcast replaces the spent refresh token here. */
async function handedOver(rt: OAuthRuntime, spent: string): Promise<boolean> {
  for (let waited = 0; waited < HANDOFF_TIMEOUT_MS; waited += HANDOFF_POLL_MS) {
    if (rt.vault.refreshToken !== spent) return rt.vault.refreshToken !== null;
    await new Promise((resolve) => setTimeout(resolve, HANDOFF_POLL_MS));
  }
  return false;
}

/**
 * Renews the access token with the refresh token: once per tab at a time, and once across tabs
 * (Web Locks), so tabs sharing a rotating refresh token never spend the same one twice (the
 * server would take it for a stolen token and revoke the whole login, in every tab).
 * Resolves true when there is a fresh token; otherwise marks the session expired.
 *
 * The tab that rotates the token broadcasts the new one before it lets go of the lock, but
 * browsers do not promise that a message arrives before the next lock grant (nor did Node, in
 * tests/integration/oauth/fiveTabsRenewal.test.ts). So, still holding the lock, it also takes
 * a shared lock named after the spent token (a digest): the next holder, if its token is that
 * one, sees the mark at once and waits for the broadcast instead of sending it again.
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
      const { clientId } = getState().oauth;
      const refresh = async () => {
        if (rt.vault.refreshToken !== spent) return true; // another tab already renewed
        if (rt.locks && (await rt.locks.isHeld(await spentLockName(clientId, spent)))) {
          // Another tab rotated this token; its broadcast is on the way.
          if (await handedOver(rt, spent)) return true;
          throw new Error('the refresh token was spent by another tab, which sent no new one');
        }
        const client = await rt.loadClient();
        const tokens = await client.refreshTokens(clientConfig(getState()), spent);
        rt.vault.refreshToken = tokens.refreshToken ?? spent;
        if (rt.locks && rt.vault.refreshToken !== spent) {
          rt.spentMarks.push(await rt.locks.hold(await spentLockName(clientId, spent)));
          while (rt.spentMarks.length > SPENT_MARKS_KEPT) rt.spentMarks.shift()?.();
        }
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
        const lockName = `carto-oauth-refresh:${clientId}`;
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

/** How long the authorization server gets to show it is there before logout navigates to it. */
const SERVER_CHECK_TIMEOUT_MS = 3_000;

/**
 * Sends the tab to the server's logout URL, but only when the server answers: a tab sent to a
 * server that is down would land on the browser's error page, away from the app. Otherwise the
 * app says the CARTO session could not be ended on the server (with a retry).
 */
const endServerSession =
  (returnTo: string): AppThunk<Promise<void>> =>
  async (dispatch, getState, { oauth: rt }) => {
    const config = clientConfig(getState());
    const client = await rt.loadClient();
    const url = await client.logoutUrl(config, returnTo);
    if (await rt.serverAnswers(config.authorizationServer, SERVER_CHECK_TIMEOUT_MS)) {
      rt.navigate(url);
    } else {
      dispatch(serverLogoutFailed({ server: config.authorizationServer, returnTo }));
    }
  };

/** The retry of a logout whose server session could not be ended. */
export const retryServerLogout = (): AppThunk<Promise<void>> => async (dispatch, getState) => {
  const failed = getState().oauth.serverLogout;
  if (!failed) return;
  dispatch(serverLogoutRetried());
  await dispatch(endServerSession(failed.returnTo));
};

/**
 * Revokes the refresh token, forgets everything (in every tab), drops the user's data and ends
 * the server session.
 */
export const logout =
  (options: { returnTo?: string } = {}): AppThunk<Promise<void>> =>
  async (dispatch, getState, { oauth: rt }) => {
    const config = clientConfig(getState());
    const token = rt.vault.refreshToken ?? getState().oauth.session?.accessToken ?? null;
    const usesLogin = Boolean(config.clientId);
    rt.vault.refreshToken = null;
    dispatch(loggedOut());
    dispatch(userDataCleared());
    rt.channel?.post({ type: 'logout' });
    if (!usesLogin) return;
    const client = await rt.loadClient();
    if (token) {
      const timeout = rejectAfter(REVOKE_TIMEOUT_MS, () => new Error('revocation timed out'));
      await Promise.race([client.revokeToken(config, token), timeout.promise])
        .catch(() => undefined)
        .finally(timeout.stop);
    }
    const returnTo =
      options.returnTo ?? new URL(import.meta.env.BASE_URL, window.location.origin).href;
    await dispatch(endServerSession(returnTo));
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
