import type { AppDispatch, RootState } from '../store/store';
import { selectOAuthCredentials, sessionExpired } from '../features/oauth/oauthSlice';
import { renewSession } from '../features/oauth/oauthThunks';

/** `fetch` for CARTO APIs: the caller's token goes in the Authorization header, never the URL. */
export type CartoFetch = (url: string, init?: RequestInit) => Promise<Response>;

export class NotLoggedInError extends Error {
  constructor() {
    super('Log in with CARTO to load this.');
    this.name = 'NotLoggedInError';
  }
}

/** Where a token comes from, and what to do when the server refuses it. */
export interface TokenSource {
  /** The token to send now; null when there is none (not logged in). */
  token: () => string | null;
  /** Gets a fresh token after a 401; resolves whether it did. */
  renew?: () => Promise<boolean>;
  /** The fresh token was refused too. */
  expired?: () => void;
}

/**
 * Runs `attempt` with the current token. When the server says 401, the token is renewed once
 * and `attempt` runs once more with the new one; a second 401 marks the session expired (the
 * app asks the user to log in again, keeping everything else). Shared by `fetch` calls and by
 * @carto/api-client calls, which report a 401 as a thrown error.
 */
export async function withRenewal<T>(
  source: TokenSource,
  attempt: (token: string) => Promise<T>,
  isUnauthorized: (outcome: { value: T } | { error: unknown }) => boolean,
): Promise<T> {
  const run = async (token: string) => {
    try {
      const value = await attempt(token);
      return { outcome: { value }, refused: isUnauthorized({ value }) };
    } catch (error) {
      return { outcome: { error }, refused: isUnauthorized({ error }) };
    }
  };
  const unwrap = (outcome: { value: T } | { error: unknown }): T => {
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  };
  const token = source.token();
  if (!token) throw new NotLoggedInError();
  const first = await run(token);
  if (!first.refused || !source.renew) return unwrap(first.outcome);
  const fresh = (await source.renew()) ? source.token() : null;
  if (!fresh) return unwrap(first.outcome);
  const second = await run(fresh);
  if (second.refused) source.expired?.();
  return unwrap(second.outcome);
}

/** The one place a CARTO request gets its Authorization header. */
export function bearerFetch(source: TokenSource): CartoFetch {
  return (url, init = {}) =>
    withRenewal(
      source,
      (token) => {
        const headers = new Headers(init.headers);
        headers.set('Authorization', `Bearer ${token}`);
        return fetch(url, { ...init, headers });
      },
      (outcome) => 'value' in outcome && outcome.value.status === 401,
    );
}

/** The logged-in user's token, renewed through the store (and across tabs) on a 401. */
export function storeTokenSource(store: {
  getState: () => unknown;
  dispatch: AppDispatch | ((action: never) => unknown);
}): TokenSource {
  const dispatch = store.dispatch as AppDispatch;
  return {
    token: () => selectOAuthCredentials(store.getState() as RootState)?.accessToken ?? null,
    renew: () => dispatch(renewSession()),
    expired: () => dispatch(sessionExpired()),
  };
}

/**
 * `fetch` with the store's current token: one renewal and one retry on a 401. Model modules
 * take it as `fetch` so they stay plain functions usable outside React.
 */
export function createCartoFetch(store: {
  getState: () => unknown;
  dispatch: AppDispatch | ((action: never) => unknown);
}): CartoFetch {
  return bearerFetch(storeTokenSource(store));
}
