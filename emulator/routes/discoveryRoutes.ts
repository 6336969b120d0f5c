import { Hono } from 'hono';
import type { AuthContext } from '../auth/authContext';
import { issuerIdentifier } from '../auth/tokens';
import { CARTO3_PERMISSIONS, DATASERVICES } from '../../protocol/scopes';

function discoveryDocument(ctx: AuthContext) {
  const { issuer } = ctx;
  return {
    issuer: issuerIdentifier(issuer),
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    userinfo_endpoint: `${issuer}/userinfo`,
    end_session_endpoint: `${issuer}/v2/logout`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    response_modes_supported: ['query', 'fragment', 'web_message'],
    grant_types_supported: [
      'authorization_code',
      'refresh_token',
      'client_credentials',
      'implicit',
    ],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    revocation_endpoint_auth_methods_supported: ['none'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    // In ID tokens and /userinfo (profile and email ones as the scopes allow).
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'azp',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'name',
      'nickname',
      'picture',
      'email',
      'email_verified',
    ],
    scopes_supported: [
      'openid',
      'profile',
      'email',
      'offline_access',
      ...Object.keys(CARTO3_PERMISSIONS),
      'datasets:metadata',
      'datasets:r:*',
      'datasets:rw:*',
      'schemas:c',
      ...DATASERVICES.map((s) => `dataservices:${s}`),
      'user:profile',
      'offline',
    ],
    prompt_values_supported: ['none', 'login', 'consent'],
  };
}

/** OpenID / OAuth metadata and the token signing keys (public, CORS for registered apps). */
export function discoveryRoutes(ctx: AuthContext) {
  return new Hono()
    .get('/openid-configuration', (c) => c.json(discoveryDocument(ctx)))
    .get('/oauth-authorization-server', (c) => c.json(discoveryDocument(ctx)))
    .get('/jwks.json', (c) => c.json(ctx.tokens.jwks));
}
