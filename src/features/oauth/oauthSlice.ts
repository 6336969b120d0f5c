import { createSelector, createSlice, type PayloadAction } from '@reduxjs/toolkit';
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
}

export function oauthStateFromConfig(config: AppConfig): OAuthState {
  return {
    ...config.oauth,
    scopes: [...config.oauth.scopes],
    apiBaseUrl: config.apiBaseUrl,
    apiAccessToken: config.apiAccessToken,
    status: 'idle',
    error: null,
    session: null,
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
  },
  selectors: {
    selectOAuthStatus: (state) => state.status,
    selectOAuthError: (state) => state.error,
    selectOAuthSession: (state) => state.session,
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

export const {
  loginStarted,
  loginSucceeded,
  loginFailed,
  loginErrorDismissed,
  tokenRefreshed,
  userLoaded,
  sessionExpired,
  loggedOut,
} = oauthSlice.actions;

export const {
  selectOAuthStatus,
  selectOAuthError,
  selectOAuthSession,
  selectGrantedScopes,
  selectForceOAuthLogin,
  selectRequestedScopes,
  selectIsLoggedIn,
  selectUsesApiKey,
} = oauthSlice.selectors;
