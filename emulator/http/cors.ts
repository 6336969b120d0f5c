import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { matchesAny, type UrlPattern } from '../auth/redirectUris';
import { ApiError } from './errors';

/**
 * CORS for the registered origins only (Allowed Web Origins / Allowed Origins of the SPA
 * clients). `Origin: null` (sandboxed frames, file://) is never allowed.
 */
export function corsForRegisteredOrigins(origins: () => UrlPattern[]) {
  const allowed = (origin: string | undefined): origin is string =>
    origin !== undefined && origin !== '' && origin !== 'null' && matchesAny(origins(), origin);
  const registered = cors({
    origin: (origin) => (allowed(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    // Auth0-Client: the SDK's telemetry header, sent on token requests (auth0-spa-js).
    allowHeaders: [
      'Authorization',
      'Content-Type',
      'Accept',
      'Cache-Control',
      'X-Requested-With',
      'Auth0-Client',
    ],
    exposeHeaders: ['Content-Type', 'Cache-Control'],
    maxAge: 600,
  });
  return createMiddleware(async (c, next) => {
    // hono/cors answers every preflight 204 (without Access-Control-Allow-Origin for strangers);
    // a 403 with a JSON error tells a developer plainly that the origin is not registered.
    if (c.req.method === 'OPTIONS' && !allowed(c.req.header('Origin'))) {
      c.header('Vary', 'Origin');
      throw new ApiError(403, 'Origin not allowed');
    }
    return registered(c, next);
  });
}
