import { describe, expect, it } from 'vitest';
import { makeStore, preloadedStateFromConfig } from '../../../src/store/store';
import { initialState } from '../../../src/store/initialStateSlice';
import {
  loggedOut,
  loginErrorDismissed,
  loginFailed,
  loginStarted,
  loginSucceeded,
  selectGrantedScopes,
  selectHasCartoSession,
  selectIsLoggedIn,
  selectOAuthCredentials,
  selectOAuthStatus,
  selectUsesApiKey,
  sessionExpired,
  tokenRefreshed,
} from '../../../src/features/oauth/oauthSlice';
import type { OAuthSession } from '../../../protocol/oauthTypes';

const session: OAuthSession = {
  accessToken: 'token-1',
  expiresAt: 1_900_000_000_000,
  grantedScopes: ['read:current_user', 'datasets:r:*'],
  user: { id: 'u1', name: 'Demo User', email: 'demo@example.com' },
};

describe('oauth slice', () => {
  it('starts from the configuration, logged out, with no credentials', () => {
    const store = makeStore();
    const state = store.getState();
    expect(state.oauth.clientId).toBe(initialState.oauth.clientId);
    expect(state.oauth.scopes).toEqual(initialState.oauth.scopes);
    expect(selectOAuthStatus(state)).toBe('idle');
    expect(selectOAuthCredentials(state)).toBeNull();
  });

  it('goes pending -> authenticated and exposes credentials for CARTO calls', () => {
    const store = makeStore();
    store.dispatch(loginStarted());
    expect(selectOAuthStatus(store.getState())).toBe('pending');
    store.dispatch(loginSucceeded(session));
    const state = store.getState();
    expect(selectIsLoggedIn(state)).toBe(true);
    expect(selectGrantedScopes(state)).toEqual(session.grantedScopes);
    expect(selectOAuthCredentials(state)).toEqual({
      accessToken: 'token-1',
      apiBaseUrl: initialState.apiBaseUrl,
    });
  });

  it('keeps the same credentials object until the token changes', () => {
    const store = makeStore();
    store.dispatch(loginSucceeded(session));
    const first = selectOAuthCredentials(store.getState());
    store.dispatch(loginErrorDismissed());
    expect(selectOAuthCredentials(store.getState())).toBe(first);
    store.dispatch(tokenRefreshed({ accessToken: 'token-2', expiresAt: 1_900_000_900_000 }));
    const second = selectOAuthCredentials(store.getState());
    expect(second).not.toBe(first);
    expect(second?.accessToken).toBe('token-2');
    expect(store.getState().oauth.session?.expiresAt).toBe(1_900_000_900_000);
    expect(selectGrantedScopes(store.getState())).toEqual(session.grantedScopes);
  });

  it('a failed re-login keeps the session that was there', () => {
    const store = makeStore();
    store.dispatch(loginSucceeded(session));
    store.dispatch(loginFailed({ code: 'popup_closed', message: 'The login window was closed.' }));
    const state = store.getState();
    expect(selectIsLoggedIn(state)).toBe(true);
    expect(state.oauth.error?.code).toBe('popup_closed');
    store.dispatch(loginErrorDismissed());
    expect(store.getState().oauth.error).toBeNull();
  });

  it('a failed first login is an error state that can be dismissed', () => {
    const store = makeStore();
    store.dispatch(loginStarted());
    store.dispatch(loginFailed({ code: 'access_denied', message: 'You denied access.' }));
    expect(selectOAuthStatus(store.getState())).toBe('error');
    store.dispatch(loginErrorDismissed());
    expect(selectOAuthStatus(store.getState())).toBe('idle');
  });

  it('an expired session keeps the user but gives no credentials', () => {
    const store = makeStore();
    store.dispatch(loginSucceeded(session));
    store.dispatch(sessionExpired());
    const state = store.getState();
    expect(selectOAuthStatus(state)).toBe('expired');
    expect(state.oauth.session?.user?.name).toBe('Demo User');
    expect(selectOAuthCredentials(state)).toBeNull();
    // The views stay open (layers, filters, the map's view) until the user logs in again.
    expect(selectHasCartoSession(state)).toBe(true);
    store.dispatch(tokenRefreshed({ accessToken: 'token-3', expiresAt: null }));
    expect(selectOAuthCredentials(store.getState())?.accessToken).toBe('token-3');
  });

  it('logout forgets the session', () => {
    const store = makeStore();
    store.dispatch(loginSucceeded(session));
    store.dispatch(loggedOut());
    expect(store.getState().oauth.session).toBeNull();
    expect(selectOAuthCredentials(store.getState())).toBeNull();
    expect(selectHasCartoSession(store.getState())).toBe(false);
  });

  it('uses a legacy API access token as credentials when there is no client id', () => {
    const store = makeStore(
      preloadedStateFromConfig({
        ...initialState,
        oauth: { ...initialState.oauth, clientId: '' },
        apiAccessToken: 'public-key',
      }),
    );
    expect(selectUsesApiKey(store.getState())).toBe(true);
    expect(selectHasCartoSession(store.getState())).toBe(true);
    expect(selectOAuthCredentials(store.getState())).toEqual({
      accessToken: 'public-key',
      apiBaseUrl: initialState.apiBaseUrl,
    });
  });
});
