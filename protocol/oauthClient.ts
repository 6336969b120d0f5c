/**
 * The OAuth protocol steps, on oauth4webapi: shared by the browser app (loaded on demand after
 * the login window has opened, so the first screen does not carry it) and by carto-auth for
 * Node. Nothing here touches `window`: callers pass their redirect URI.
 */
import * as oauth from 'oauth4webapi';
import { constantTimeEqual, OAuthFlowError, serverError } from './oauthErrors';
import type { OAuthFlow, OAuthUser } from './oauthTypes';

export interface OAuthClientConfig {
  clientId: string;
  authorizationServer: string;
  audience: string;
  organization: string;
  scopes: string[];
  flow: OAuthFlow;
}

export interface PendingAuthorization {
  url: string;
  state: string;
  /** PKCE verifier; null for the implicit flow. */
  verifier: string | null;
  redirectUri: string;
  scopes: string[];
}

export interface OAuthTokens {
  accessToken: string;
  /** Seconds, as the server said; expiry is computed from the local clock (skew-proof). */
  expiresIn: number | null;
  refreshToken: string | null;
  grantedScopes: string[];
  /** CARTO 2 implicit flow: where the user's profile is. */
  userInfoUrl: string | null;
}

/** Exposed for Node tools (carto-auth): the client credentials grant, secret in the form. */
export async function clientCredentials(
  config: Pick<OAuthClientConfig, 'clientId' | 'authorizationServer' | 'audience'>,
  clientSecret: string,
): Promise<OAuthTokens> {
  const full: OAuthClientConfig = { ...config, organization: '', scopes: [], flow: 'pkce' };
  try {
    const as = await discover(full);
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client(full),
      oauth.ClientSecretPost(clientSecret),
      config.audience ? { audience: config.audience } : {},
      requestOptions(full),
    );
    return tokensFrom(await oauth.processClientCredentialsResponse(as, client(full), response), []);
  } catch (error) {
    rethrow(error);
  }
}

/** http is only allowed for a local authorization server (the emulator). */
function isLocal(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

const requestOptions = (config: OAuthClientConfig) =>
  isLocal(config.authorizationServer)
    ? // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated to stand out: only the local emulator (http://localhost) gets it
      { [oauth.allowInsecureRequests]: true }
    : {};

const client = (config: OAuthClientConfig): oauth.Client => ({ client_id: config.clientId });

const discovered = new Map<string, Promise<oauth.AuthorizationServer>>();

/** The server's metadata, fetched once per issuer (a failed fetch is retried next time). */
export function discover(config: OAuthClientConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.authorizationServer);
  const key = issuer.href;
  let pending = discovered.get(key);
  if (!pending) {
    pending = oauth
      .discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(config) })
      .then((response) => oauth.processDiscoveryResponse(issuer, response));
    pending.catch(() => discovered.delete(key));
    discovered.set(key, pending);
  }
  return pending;
}

export async function startAuthorization(
  config: OAuthClientConfig,
  options: { redirectUri: string; scopes?: string[]; prompt?: string },
): Promise<PendingAuthorization> {
  const scopes = options.scopes ?? config.scopes;
  const state = oauth.generateRandomState();
  // The browser app's callback page, or (carto-auth CLI) a loopback URL.
  const redirect = options.redirectUri;
  if (config.flow === 'implicit') {
    const url = new URL('/oauth2/authorize', config.authorizationServer);
    url.search = new URLSearchParams({
      client_id: config.clientId,
      response_type: 'token',
      redirect_uri: redirect,
      scope: scopes.join(' '),
      state,
    }).toString();
    return { url: url.href, state, verifier: null, redirectUri: redirect, scopes };
  }
  const as = await discover(config);
  if (!as.authorization_endpoint) {
    throw new OAuthFlowError(
      'misconfigured_client',
      'The authorization server has no authorization endpoint.',
    );
  }
  const verifier = oauth.generateRandomCodeVerifier();
  const url = new URL(as.authorization_endpoint);
  const params: Record<string, string> = {
    client_id: config.clientId,
    response_type: 'code',
    redirect_uri: redirect,
    scope: scopes.join(' '),
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  };
  if (config.audience) params.audience = config.audience;
  if (config.organization) params.organization = config.organization;
  if (options.prompt) params.prompt = options.prompt;
  url.search = new URLSearchParams(params).toString();
  return { url: url.href, state, verifier, redirectUri: redirect, scopes };
}

function tokensFrom(response: oauth.TokenEndpointResponse, requestedScopes: string[]): OAuthTokens {
  return {
    accessToken: response.access_token,
    expiresIn: response.expires_in ?? null,
    refreshToken: response.refresh_token ?? null,
    grantedScopes:
      typeof response.scope === 'string'
        ? response.scope.split(' ').filter(Boolean)
        : requestedScopes,
    userInfoUrl: null,
  };
}

/** Errors of the authorization server, or of a token-endpoint answer that makes no sense. */
function rethrow(error: unknown): never {
  if (
    error instanceof oauth.AuthorizationResponseError ||
    error instanceof oauth.ResponseBodyError
  ) {
    throw serverError(error.error, error.error_description);
  }
  // A 401 with a WWW-Authenticate challenge from the token endpoint: the client was refused.
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    throw serverError(
      error.status === 401 ? 'invalid_client' : 'server_error',
      'Client authentication failed',
    );
  }
  if (error instanceof oauth.OperationProcessingError) {
    throw new OAuthFlowError(
      'server_error',
      'CARTO answered in a way the app did not expect. Try again.',
      error.message,
    );
  }
  throw error;
}

/** Checks the callback (state, iss, error) before anything is sent to the token endpoint. */
function validateCallback(
  as: oauth.AuthorizationServer,
  config: OAuthClientConfig,
  url: URL,
  state: string,
) {
  try {
    return oauth.validateAuthResponse(as, client(config), url, state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError)
      throw serverError(error.error, error.error_description);
    throw new OAuthFlowError(
      'invalid_state',
      'The login answer could not be trusted and was refused. Try again.',
      error instanceof Error ? error.message : undefined,
    );
  }
}

/** Validates the callback (state, iss, errors) and exchanges the code. */
export async function finishAuthorization(
  config: OAuthClientConfig,
  callbackUrl: URL,
  pending: PendingAuthorization,
): Promise<OAuthTokens> {
  if (config.flow === 'implicit') return finishImplicit(callbackUrl, pending);
  const as = await discover(config);
  const params = validateCallback(as, config, callbackUrl, pending.state);
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client(config),
      oauth.None(),
      params,
      pending.redirectUri,
      pending.verifier ?? '',
      requestOptions(config),
    );
    return tokensFrom(
      await oauth.processAuthorizationCodeResponse(as, client(config), response),
      pending.scopes,
    );
  } catch (error) {
    rethrow(error);
  }
}

/**
 * CARTO 2 implicit flow: the token is in the fragment. oauth4webapi does not implement this
 * legacy response type, so it is read here, with the same state and error checks.
 */
function finishImplicit(callbackUrl: URL, pending: PendingAuthorization): OAuthTokens {
  const params = new URLSearchParams(callbackUrl.hash.slice(1));
  const state = params.get('state');
  if (state === null || !constantTimeEqual(state, pending.state)) {
    throw new OAuthFlowError(
      'invalid_state',
      'The login answer did not match this login attempt. Try again.',
    );
  }
  const error = params.get('error');
  if (error) throw serverError(error, params.get('error_description'));
  const accessToken = params.get('access_token');
  if (!accessToken || params.get('token_type')?.toLowerCase() !== 'bearer') {
    throw new OAuthFlowError('server_error', 'The login answer had no access token.');
  }
  const expiresIn = Number(params.get('expires_in'));
  const scope = params.get('scope');
  return {
    accessToken,
    expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : null,
    refreshToken: null,
    grantedScopes: scope ? scope.split(' ').filter(Boolean) : pending.scopes,
    userInfoUrl: params.get('user_info_url'),
  };
}

export async function refreshTokens(
  config: OAuthClientConfig,
  refreshToken: string,
): Promise<OAuthTokens> {
  try {
    const as = await discover(config);
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client(config),
      oauth.None(),
      refreshToken,
      requestOptions(config),
    );
    return tokensFrom(
      await oauth.processRefreshTokenResponse(as, client(config), response),
      config.scopes,
    );
  } catch (error) {
    rethrow(error);
  }
}

export async function revokeToken(config: OAuthClientConfig, token: string): Promise<void> {
  const as = await discover(config);
  if (!as.revocation_endpoint) return;
  const response = await oauth.revocationRequest(
    as,
    client(config),
    oauth.None(),
    token,
    requestOptions(config),
  );
  await oauth.processRevocationResponse(response);
}

/** The user's profile: OIDC userinfo, or CARTO 2's user_info_url. */
export async function fetchUser(
  config: OAuthClientConfig,
  tokens: OAuthTokens,
): Promise<OAuthUser | null> {
  if (tokens.userInfoUrl) {
    const response = await fetch(tokens.userInfoUrl, {
      headers: { Authorization: `Bearer ${tokens.accessToken}` },
    });
    if (!response.ok) return null;
    const me = (await response.json()) as {
      username?: string;
      name?: string;
      avatar_url?: string;
      organization?: string;
    };
    return {
      id: me.username ?? 'unknown',
      name: me.name ?? me.username ?? 'CARTO user',
      ...(me.avatar_url ? { avatarUrl: me.avatar_url } : {}),
      ...(me.organization ? { organization: me.organization } : {}),
    };
  }
  const as = await discover(config);
  if (!as.userinfo_endpoint) return null;
  const response = await oauth.userInfoRequest(
    as,
    client(config),
    tokens.accessToken,
    requestOptions(config),
  );
  if (!response.ok) return null;
  const info = await oauth.processUserInfoResponse(
    as,
    client(config),
    oauth.skipSubjectCheck,
    response,
  );
  const org =
    (info as { org_name?: unknown; org_id?: unknown }).org_name ??
    (info as { org_id?: unknown }).org_id;
  return {
    id: info.sub,
    name: info.name ?? info.nickname ?? info.email ?? 'CARTO user',
    ...(info.email ? { email: info.email } : {}),
    ...(info.picture ? { avatarUrl: info.picture } : {}),
    ...(typeof org === 'string' ? { organization: org } : {}),
  };
}

/** Where to send the browser to end the server session (Auth0's /v2/logout). */
export async function logoutUrl(config: OAuthClientConfig, returnTo: string): Promise<string> {
  const as = config.flow === 'implicit' ? null : await discover(config).catch(() => null);
  const endpoint =
    as?.end_session_endpoint ?? new URL('/v2/logout', config.authorizationServer).href;
  const url = new URL(endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('returnTo', returnTo);
  return url.href;
}
