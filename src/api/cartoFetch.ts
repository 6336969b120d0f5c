import type { AppStore } from '../store/store';
import { selectOAuthCredentials, sessionExpired } from '../features/oauth/oauthSlice';
import { renewSession } from '../features/oauth/oauthThunks';

export class NotLoggedInError extends Error {
  constructor() {
    super('Log in with CARTO to load this.');
    this.name = 'NotLoggedInError';
  }
}

/**
 * `fetch` for CARTO APIs: adds the current token as a Bearer header (never in the URL). A 401
 * triggers one renewal and one retry; if that fails too, the session is marked expired (the
 * app asks the user to log in again, keeping everything else).
 */
export function createCartoFetch(store: Pick<AppStore, 'getState' | 'dispatch'>) {
  return async function cartoFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const credentials = selectOAuthCredentials(store.getState());
    if (!credentials) throw new NotLoggedInError();
    const send = (token: string) => {
      const headers = new Headers(init.headers);
      headers.set('Authorization', `Bearer ${token}`);
      return fetch(input, { ...init, headers });
    };
    const response = await send(credentials.accessToken);
    if (response.status !== 401) return response;
    const renewed = await store.dispatch(renewSession());
    const fresh = selectOAuthCredentials(store.getState());
    if (!renewed || !fresh) return response;
    const retry = await send(fresh.accessToken);
    if (retry.status === 401) store.dispatch(sessionExpired());
    return retry;
  };
}
