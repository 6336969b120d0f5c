import type { EmulatorConfig, EmulatorUser, M2mClient, SpaClient } from '../config/configSchema';
import { parseUrlPattern, type UrlPattern } from './redirectUris';
import type { AuthState } from './authState';
import type { TokenService } from './tokens';
import type { PageSecurityOptions } from '../http/pageSecurity';

export interface RegisteredSpaClient {
  client: SpaClient;
  callbackPatterns: UrlPattern[];
  logoutPatterns: UrlPattern[];
  /** Allowed Web Origins + Allowed Origins (CORS). */
  originPatterns: UrlPattern[];
  /** Allowed Web Origins: where `response_mode=web_message` may post its answer. */
  webOriginPatterns: UrlPattern[];
}

/** Everything the auth routes share. */
export interface AuthContext {
  config: EmulatorConfig;
  issuer: string;
  state: AuthState;
  tokens: TokenService;
  spaClients: Map<string, RegisteredSpaClient>;
  m2mClients: Map<string, M2mClient>;
  users: Map<string, EmulatorUser>;
  usersByEmail: Map<string, EmulatorUser>;
  /** Shown on the login page in demo mode. */
  demoLogin: { email: string; password: string } | null;
  /** How the HTML pages are served (`--coop`: emulator/http/pageSecurity.ts). */
  pages: PageSecurityOptions;
}

/**
 * An Application Login URL stands for all four lists: it is the callback and logout URL, and
 * its origin is the allowed web origin (CARTO's "simple" SPA client setup).
 */
export function registerSpaClient(client: SpaClient): RegisteredSpaClient {
  const login = client.applicationLoginUrl;
  const loginOrigin = login && !login.includes('*') ? new URL(login).origin : login;
  const callbacks = [...client.allowedCallbackUrls, ...(login ? [login] : [])];
  const logouts = [...client.allowedLogoutUrls, ...(login ? [login] : [])];
  const origins = [
    ...client.allowedWebOrigins,
    ...client.allowedOrigins,
    ...(loginOrigin ? [loginOrigin] : []),
  ];
  return {
    client,
    callbackPatterns: callbacks.map(parseUrlPattern),
    logoutPatterns: logouts.map(parseUrlPattern),
    originPatterns: origins.map(parseUrlPattern),
    webOriginPatterns: [...client.allowedWebOrigins, ...(loginOrigin ? [loginOrigin] : [])].map(
      parseUrlPattern,
    ),
  };
}
