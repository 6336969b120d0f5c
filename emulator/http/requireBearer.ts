import { createMiddleware } from 'hono/factory';
import type { AuthContext } from '../auth/authContext';
import { authenticate } from '../auth/authenticate';
import type { AuthEnv } from './env';
import { ApiError } from './errors';

/**
 * Data-API authentication: a Bearer token from the Authorization header (never the URL),
 * verified once here; the handler reads the caller from `c.var.principal`.
 */
export function requireBearer(ctx: AuthContext) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const auth = await authenticate(ctx, c.req.header('Authorization'));
    if (!auth.ok) {
      throw new ApiError(401, auth.error, {
        headers: { 'WWW-Authenticate': 'Bearer realm="carto-emulator", error="invalid_token"' },
      });
    }
    c.set('principal', auth.principal);
    await next();
  });
}

/**
 * A 403 for a valid token that lacks the scope an endpoint needs (RFC 6750 §3.1
 * `insufficient_scope`), naming the scope(s) that would do.
 */
export function insufficientScope(scopes: readonly string[]): ApiError {
  const named =
    scopes.length === 1 ? `the ${scopes[0]} scope` : `one of the scopes ${scopes.join(', ')}`;
  return new ApiError(403, `Forbidden: the token needs ${named}`, {
    headers: {
      'WWW-Authenticate': `Bearer realm="carto-emulator", error="insufficient_scope", scope="${scopes.join(' ')}"`,
    },
  });
}
