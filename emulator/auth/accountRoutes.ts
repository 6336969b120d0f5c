import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { AuthContext } from './authContext';
import { authenticate, bearerChallenge } from './authenticate';
import { SESSION_COOKIE } from './authorizeRoutes';
import { errorPage, loggedOutPage } from './pages';
import { matchesAny } from './redirectUris';
import { htmlPage } from '../http/responses';
import { CARTO3_PERMISSIONS, DATASERVICES } from '../../protocol/scopes';

export function discoveryDocument(ctx: AuthContext) {
  const { issuer } = ctx;
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    userinfo_endpoint: `${issuer}/userinfo`,
    end_session_endpoint: `${issuer}/v2/logout`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    response_modes_supported: ['query', 'fragment'],
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

export function accountRoutes(ctx: AuthContext) {
  const app = new Hono();

  app.get('/.well-known/openid-configuration', (c) => c.json(discoveryDocument(ctx)));
  app.get('/.well-known/oauth-authorization-server', (c) => c.json(discoveryDocument(ctx)));
  app.get('/.well-known/jwks.json', (c) => c.json(ctx.tokens.jwks));

  app.get('/userinfo', async (c) => {
    const auth = await authenticate(ctx, c);
    if (!auth.ok) return bearerChallenge(c, auth.error);
    const user = ctx.users.get(auth.principal.userId);
    if (!user || auth.principal.kind === 'm2m') {
      return c.json({ error: 'Forbidden: no user behind this token', status: 403 }, 403);
    }
    const org = ctx.config.organizations.find((o) => o.id === user.organization);
    return c.json({
      sub: user.id,
      name: user.name,
      nickname: user.account,
      email: user.email,
      email_verified: true,
      picture: user.avatarUrl,
      org_id: org?.id,
      org_name: org?.name,
    });
  });

  /** CARTO 2 user info (the implicit flow's user_info_url). Profile fields need user:profile. */
  app.get('/api/v4/me', async (c) => {
    const auth = await authenticate(ctx, c);
    if (!auth.ok) return bearerChallenge(c, auth.error);
    const user = ctx.users.get(auth.principal.userId);
    if (!user) return c.json({ error: 'Forbidden', status: 403 }, 403);
    const profile = auth.principal.scopes.includes('user:profile');
    const base = ctx.issuer;
    return c.json({
      username: user.account,
      ...(profile
        ? { name: user.name, avatar_url: user.avatarUrl, organization: user.organization ?? null }
        : {}),
      api_endpoints: {
        sql: `${base}/v3/sql`,
        maps: `${base}/v3/maps`,
        import: `${base}/v3/imports`,
        auth: base,
      },
    });
  });

  app.get('/v2/logout', (c) => {
    const returnTo = c.req.query('returnTo');
    if (returnTo !== undefined) {
      const client = ctx.spaClients.get(c.req.query('client_id') ?? '');
      if (!client || !matchesAny(client.logoutPatterns, returnTo)) {
        return htmlPage(
          c,
          'Logout URL not allowed',
          errorPage(
            'Logout URL not allowed',
            `"${returnTo}" is not an Allowed Logout URL of client "${c.req.query('client_id') ?? ''}".`,
          ),
          { status: 400 },
        );
      }
    }
    ctx.state.endSession(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    if (returnTo !== undefined) return c.redirect(returnTo, 302);
    return htmlPage(c, 'Logged out', loggedOutPage());
  });

  return app;
}
