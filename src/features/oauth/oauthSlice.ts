import { createAction, createSelector, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { initialState as appInitialState } from '../../store/initialStateSlice';
import type { AppConfig, OAuthFlow, TokenPersistence } from '../../config/configTypes';
import type {
  CartoCredentials,
  OAuthError,
  OAuthSession,
  OAuthStatus,
  OAuthUser,
} from '../../../protocol/oauthTypes';

export interface OAuthState {
  clientId: string;
  scopes: string[];
  authorizationServer: string;
  audience: string;
  organization: string;
  flow: OAuthFlow;
  persist: TokenPersistence;
  forceOAuthLogin: boolean;
  apiBaseUrl: string;
  /** Legacy API key: used as credentials without login when there is no clientId. */
  apiAccessToken: string;
  status: OAuthStatus;
  error: OAuthError | null;
  session: OAuthSession | null;
  /** Logged out here, but the server could not be reached to end the CARTO session. */
  serverLogout: ServerLogoutFailure | null;
}

export interface ServerLogoutFailure {
  /** The authorization server that did not answer. */
  server: string;
  /** Where its logout should send the tab back to, for the retry. */
  returnTo: string;
}

/**
 * The user logged out (in this tab or another): whatever belongs to them goes too. Dispatched
 * right after `loggedOut`, by the oauth effects only. The map and sources slices handle it
 * (CARTO sources and their layers, the selection); the oauth slice itself has nothing more.
 */
export const userDataCleared = createAction('oauth/userDataCleared');

export function oauthStateFromConfig(config: AppConfig): OAuthState {
  return {
    ...config.oauth,
    scopes: [...config.oauth.scopes],
    apiBaseUrl: config.apiBaseUrl,
    apiAccessToken: config.apiAccessToken,
    status: 'idle',
    error: null,
    session: null,
    serverLogout: null,
  };
}

const NO_SCOPES: string[] = [];

export interface TokenRefreshedPayload {
  accessToken: string;
  expiresAt: number | null;
  grantedScopes?: string[];
}

export const oauthSlice = createSlice({
  name: 'oauth',
  initialState: oauthStateFromConfig(appInitialState),
  reducers: {
    loginStarted(state) {
      state.status = 'pending';
      state.error = null;
    },
    loginSucceeded(state, action: PayloadAction<OAuthSession>) {
      state.status = 'authenticated';
      state.error = null;
      state.session = action.payload;
      state.serverLogout = null;
    },
    loginFailed(state, action: PayloadAction<OAuthError>) {
      // A failed (re-)login keeps whatever session there was: nothing the user had is lost.
      state.status = state.session && state.status !== 'expired' ? 'authenticated' : 'error';
      state.error = action.payload;
    },
    loginErrorDismissed(state) {
      state.error = null;
      if (state.status === 'error') state.status = 'idle';
    },
    tokenRefreshed(state, action: PayloadAction<TokenRefreshedPayload>) {
      if (!state.session) return;
      state.session.accessToken = action.payload.accessToken;
      state.session.expiresAt = action.payload.expiresAt;
      if (action.payload.grantedScopes) state.session.grantedScopes = action.payload.grantedScopes;
      state.status = 'authenticated';
      state.error = null;
    },
    userLoaded(state, action: PayloadAction<OAuthUser>) {
      if (state.session) state.session.user = action.payload;
    },
    /** The token can no longer be used and could not be renewed: keep the user, ask to log in. */
    sessionExpired(state) {
      if (!state.session) return;
      state.status = 'expired';
    },
    loggedOut(state) {
      state.status = 'idle';
      state.error = null;
      state.session = null;
    },
    serverLogoutFailed(state, action: PayloadAction<ServerLogoutFailure>) {
      state.serverLogout = action.payload;
    },
    /** A retry is under way, or the user read the notice: either way it goes. */
    serverLogoutRetried(state) {
      state.serverLogout = null;
    },
    serverLogoutNoticeDismissed(state) {
      state.serverLogout = null;
    },
  },
  selectors: {
    selectOAuthStatus: (state) => state.status,
    selectOAuthError: (state) => state.error,
    selectOAuthSession: (state) => state.session,
    selectServerLogoutFailure: (state) => state.serverLogout,
    selectOAuthUser: (state) => state.session?.user ?? null,
    selectGrantedScopes: (state) => state.session?.grantedScopes ?? NO_SCOPES,
    selectTokenExpiresAt: (state) => state.session?.expiresAt ?? null,
    selectForceOAuthLogin: (state) => state.forceOAuthLogin,
    selectRequestedScopes: (state) => state.scopes,
    selectIsLoggedIn: (state) => state.status === 'authenticated' && state.session !== null,
    selectUsesApiKey: (state) => !state.clientId && state.apiAccessToken !== '',
  },
});

const selectOAuthSlice = (state: { oauth: OAuthState }) => state.oauth;

/**
 * The credentials every CARTO call needs, or null when there are none usable.
 * Legacy mode: with an API access token and no clientId, the token is used without login.
 * Memoised so consumers (layers, RTK Query) only see a new object when the token changes.
 */
export const selectOAuthCredentials = createSelector(
  [
    (state: { oauth: OAuthState }) => selectOAuthSlice(state).session?.accessToken,
    (state: { oauth: OAuthState }) => selectOAuthSlice(state).status,
    (state: { oauth: OAuthState }) => selectOAuthSlice(state).apiBaseUrl,
    (state: { oauth: OAuthState }) => selectOAuthSlice(state).apiAccessToken,
    (state: { oauth: OAuthState }) => selectOAuthSlice(state).clientId,
  ],
  (accessToken, status, apiBaseUrl, apiAccessToken, clientId): CartoCredentials | null => {
    if (accessToken && status === 'authenticated') return { accessToken, apiBaseUrl };
    if (!clientId && apiAccessToken) return { accessToken: apiAccessToken, apiBaseUrl };
    return null;
  },
);

/**
 * Whether the views show the user's things: there are usable credentials, or there is a
 * session that expired (or that the server forgot) and waits for the user to log in again.
 * Through such a pause the views stay as they are, with their sources, layers and filters, and
 * the map keeps its view; their requests wait for the new login (there are no credentials).
 */
export const selectHasCartoSession = (state: { oauth: OAuthState }): boolean =>
  selectOAuthSlice(state).session !== null || selectOAuthCredentials(state) !== null;

export const {
  loginStarted,
  loginSucceeded,
  loginFailed,
  loginErrorDismissed,
  tokenRefreshed,
  userLoaded,
  sessionExpired,
  loggedOut,
  serverLogoutFailed,
  serverLogoutRetried,
  serverLogoutNoticeDismissed,
} = oauthSlice.actions;

export const {
  selectOAuthStatus,
  selectOAuthError,
  selectOAuthSession,
  selectServerLogoutFailure,
  selectGrantedScopes,
  selectForceOAuthLogin,
  selectRequestedScopes,
  selectIsLoggedIn,
  selectUsesApiKey,
} = oauthSlice.selectors;
