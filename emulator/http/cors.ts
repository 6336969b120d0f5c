import type { MiddlewareHandler } from 'hono';
import { matchesAny, type UrlPattern } from '../auth/redirectUris';

const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, Cache-Control, X-Requested-With';

/**
 * CORS for the registered origins only (Allowed Web Origins / Allowed Origins of the SPA
 * clients). `Origin: null` (sandboxed frames, file://) is never allowed. Preflights from
 * other origins get 403, and responses to them carry no Access-Control-Allow-Origin.
 */
export function corsForRegisteredOrigins(origins: () => UrlPattern[]): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('Origin');
    const allowed = origin !== undefined && origin !== 'null' && matchesAny(origins(), origin);
    if (c.req.method === 'OPTIONS') {
      if (!allowed) return c.json({ error: 'Origin not allowed', status: 403 }, 403);
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      c.header('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      c.header('Access-Control-Max-Age', '600');
      c.header('Vary', 'Origin');
      return c.body(null, 204);
    }
    await next();
    if (allowed) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', 'Content-Type, Cache-Control');
    }
    c.header('Vary', 'Origin', { append: true });
  };
}
