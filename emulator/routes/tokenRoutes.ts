import { Hono, type Context } from 'hono';
import { createHash } from 'node:crypto';
import type { AuthContext } from '../auth/authContext';
import { clientCredentials, readForm, type Form } from '../http/oauthForm';
import { DUMMY_HASH, safeEqual, verifySecret } from '../auth/passwords';
import { OAuthError } from '../http/errors';
import { splitScopes } from '../../protocol/scopes';
import type { EmulatorUser } from '../config/configSchema';
import { userClaims } from '../auth/userClaims';

/** RFC 7636: 43-128 characters of [A-Za-z0-9-._~]. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** A successful token response (RFC 6749 §5.1), never cached. */
function tokenResponse(
  c: Context,
  accessToken: string,
  ttl: number,
  scopes: string[],
  { refreshToken, idToken }: { refreshToken?: string; idToken?: string } = {},
) {
  c.header('Cache-Control', 'no-store');
  return c.json({
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: ttl,
    scope: scopes.join(' '),
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    ...(idToken ? { id_token: idToken } : {}),
  });
}

/** How the user logged in, for the ID token of a grant with `openid`. */
interface Authentication {
  authTime: number;
  /** The authorization request's nonce (none when a refresh token renews the grant). */
  nonce: string | null;
}

/** The token endpoint (RFC 6749 §3.2): OAuth error bodies, never CARTO's API shape. */
export function tokenRoutes(ctx: AuthContext) {
  async function issueForUser(
    c: Context,
    user: EmulatorUser,
    clientId: string,
    scopes: string[],
    grantId: string,
    organization: string | null,
    refresh: { expiresAt: number } | null,
    authentication: Authentication,
  ) {
    const ttl = ctx.config.accessTokenTtlSeconds;
    const { token, jti } = await ctx.tokens.issue(
      {
        sub: user.id,
        userId: user.id,
        clientId,
        scopes,
        account: user.account,
        kind: 'user',
        organization: organization ?? undefined,
      },
      ttl,
    );
    ctx.state.recordAccessToken(grantId, jti, ctx.state.now() + ttl * 1000);
    // Signing awaited: a replay of the same code or refresh token (or a logout) may have
    // revoked the grant meanwhile. Then nothing is handed out (the token above is revoked).
    if (ctx.state.isGrantRevoked(grantId)) {
      throw new OAuthError('invalid_grant', 'The grant was revoked while the token was issued');
    }
    const refreshToken = refresh
      ? ctx.state.issueRefreshToken({
          grantId,
          clientId,
          userId: user.id,
          scopes,
          organization,
          expiresAt: refresh.expiresAt,
          authTime: authentication.authTime,
        })
      : undefined;
    // OpenID Connect: an ID token when `openid` was granted, its claims as the scopes allow.
    const idToken = scopes.includes('openid')
      ? await ctx.tokens.issueIdToken(
          {
            sub: user.id,
            clientId,
            authTime: authentication.authTime,
            nonce: authentication.nonce,
            profile: userClaims(user, {
              profile: scopes.includes('profile'),
              email: scopes.includes('email'),
            }),
          },
          ttl,
        )
      : undefined;
    return tokenResponse(c, token, ttl, scopes, {
      ...(refreshToken ? { refreshToken } : {}),
      ...(idToken ? { idToken } : {}),
    });
  }

  const wantsRefresh = (scopes: string[]) =>
    scopes.includes('offline_access') || scopes.includes('offline');

  async function authorizationCodeGrant(c: Context, form: Form) {
    const code = ctx.state.getCode(form.code ?? '');
    if (!code || code.expiresAt <= ctx.state.now()) {
      throw new OAuthError('invalid_grant', 'The authorization code is invalid or expired');
    }
    if (code.used) {
      // A replayed code: someone else may hold it. Revoke what it produced.
      ctx.state.revokeGrant(code.grantId);
      throw new OAuthError('invalid_grant', 'The authorization code was already used');
    }
    code.used = true;
    if (code.clientId !== form.client_id) {
      throw new OAuthError('invalid_grant', 'The code was issued to another client');
    }
    if (code.redirectUri !== form.redirect_uri) {
      throw new OAuthError(
        'invalid_grant',
        'redirect_uri does not match the authorization request',
      );
    }
    const verifier = form.code_verifier;
    if (code.codeChallenge === null) {
      if (verifier !== undefined) throw new OAuthError('invalid_grant', 'Unexpected code_verifier');
    } else {
      if (verifier === undefined)
        throw new OAuthError('invalid_grant', 'code_verifier is required');
      if (!VERIFIER.test(verifier))
        throw new OAuthError('invalid_grant', 'code_verifier is malformed');
      if (!safeEqual(s256(verifier), code.codeChallenge)) {
        throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
      }
    }
    const user = ctx.users.get(code.userId);
    if (!user) throw new OAuthError('invalid_grant', 'The user no longer exists');
    const refresh = wantsRefresh(code.scopes)
      ? { expiresAt: ctx.state.now() + ctx.config.refreshTokenTtlSeconds * 1000 }
      : null;
    return issueForUser(
      c,
      user,
      code.clientId,
      code.scopes,
      code.grantId,
      code.organization,
      refresh,
      { authTime: code.authTime, nonce: code.nonce },
    );
  }

  async function refreshTokenGrant(c: Context, form: Form) {
    const record = ctx.state.getRefreshToken(form.refresh_token ?? '');
    if (
      !record ||
      record.expiresAt <= ctx.state.now() ||
      ctx.state.isGrantRevoked(record.grantId)
    ) {
      throw new OAuthError('invalid_grant', 'The refresh token is invalid or expired');
    }
    if (record.clientId !== form.client_id) {
      throw new OAuthError('invalid_grant', 'The refresh token was issued to another client');
    }
    if (record.used) {
      // Reuse of a rotated token: the grant may be stolen. End all of it.
      ctx.state.revokeGrant(record.grantId);
      throw new OAuthError(
        'invalid_grant',
        'The refresh token was already used; the session is revoked',
      );
    }
    let scopes = record.scopes;
    if (form.scope !== undefined) {
      const asked = splitScopes(form.scope);
      const extra = asked.filter((s) => !record.scopes.includes(s));
      if (extra.length > 0) {
        throw new OAuthError(
          'invalid_scope',
          `Scopes not in the original grant: ${extra.join(' ')}`,
        );
      }
      scopes = asked;
    }
    const user = ctx.users.get(record.userId);
    if (!user) throw new OAuthError('invalid_grant', 'The user no longer exists');
    record.used = true;
    return issueForUser(
      c,
      user,
      record.clientId,
      scopes,
      record.grantId,
      record.organization,
      { expiresAt: record.expiresAt },
      { authTime: record.authTime, nonce: null },
    );
  }

  async function clientCredentialsGrant(c: Context, form: Form) {
    const { id, secret } = clientCredentials(c, form);
    const client = ctx.m2mClients.get(id);
    // Checked and counted before the secret is hashed, with no await in between (throttle.ts):
    // concurrent guesses see each other. Policy: THROTTLE_RULES in authState.ts.
    const attempt = ctx.state.beginClientAuthentication(id);
    if (!attempt.ok) {
      const seconds = Math.ceil(attempt.retryAfterMs / 1000);
      throw new OAuthError(
        'temporarily_unavailable',
        `Too many failed authentication attempts for this client. Retry in ${seconds} seconds.`,
        429,
        { 'Retry-After': String(seconds) },
      );
    }
    // Verify even for unknown clients so timing does not reveal which ids exist.
    const ok = await verifySecret(secret ?? '', client?.clientSecretHash ?? DUMMY_HASH);
    if (!client || !ok) {
      attempt.failed();
      throw new OAuthError('invalid_client', 'Client authentication failed', 401, {
        'WWW-Authenticate': 'Basic realm="carto-emulator"',
      });
    }
    attempt.succeeded();
    if (form.audience !== undefined && form.audience !== ctx.config.audience) {
      throw new OAuthError('invalid_request', `Unknown audience "${form.audience}"`);
    }
    let scopes = client.scopes;
    if (form.scope !== undefined) {
      const asked = splitScopes(form.scope);
      const extra = asked.filter((s) => !client.scopes.includes(s));
      if (extra.length > 0)
        throw new OAuthError('invalid_scope', `Not granted to this client: ${extra.join(' ')}`);
      scopes = asked;
    }
    const user = ctx.users.get(client.user);
    if (!user) throw new OAuthError('server_error', 'The client has no user', 500);
    const ttl = ctx.config.accessTokenTtlSeconds;
    const { token } = await ctx.tokens.issue(
      {
        sub: `${client.clientId}@clients`,
        userId: user.id,
        clientId: client.clientId,
        scopes,
        account: user.account,
        kind: 'm2m',
      },
      ttl,
    );
    return tokenResponse(c, token, ttl, scopes);
  }

  return new Hono().post('/oauth/token', async (c) => {
    const form = await readForm(c);
    if (!form)
      throw new OAuthError(
        'invalid_request',
        'The body must be application/x-www-form-urlencoded or application/json',
      );
    if ('__duplicate' in form)
      throw new OAuthError('invalid_request', `Parameter "${form.__duplicate}" was sent twice`);
    switch (form.grant_type) {
      case 'authorization_code':
        return authorizationCodeGrant(c, form);
      case 'refresh_token':
        return refreshTokenGrant(c, form);
      case 'client_credentials':
        return clientCredentialsGrant(c, form);
      case undefined:
        throw new OAuthError('invalid_request', 'grant_type is required');
      default:
        throw new OAuthError(
          'unsupported_grant_type',
          `Unsupported grant_type "${form.grant_type}"`,
        );
    }
  });
}
