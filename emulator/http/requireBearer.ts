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
