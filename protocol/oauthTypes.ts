/** OAuth types shared by the app, the emulator and carto-auth (no browser or Node code). */

export type OAuthFlow = 'pkce' | 'implicit';

export interface OAuthUser {
  id: string;
  name: string;
  email?: string;
  avatarUrl?: string;
  organization?: string;
}

/** What a successful login (or a legacy API key) gives the app. Serializable. */
export interface OAuthSession {
  accessToken: string;
  /** Epoch milliseconds at which the token stops being usable, or null when it does not expire. */
  expiresAt: number | null;
  grantedScopes: string[];
  user: OAuthUser | null;
}

/** What sources, layers and model modules need to call CARTO APIs. */
export interface CartoCredentials {
  accessToken: string;
  apiBaseUrl: string;
}

export type OAuthErrorCode =
  | 'popup_blocked'
  | 'popup_closed'
  | 'timeout'
  | 'access_denied'
  | 'invalid_scope'
  | 'invalid_state'
  | 'misconfigured_client'
  | 'network_error'
  | 'server_error'
  | 'session_expired'
  | 'unknown';

export interface OAuthError {
  code: OAuthErrorCode;
  message: string;
  /** Extra detail for the developer (e.g. the exact callback URL to register). */
  detail?: string;
}

export type OAuthStatus = 'idle' | 'pending' | 'authenticated' | 'expired' | 'error';
