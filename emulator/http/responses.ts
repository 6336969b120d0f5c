import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** OAuth error body (RFC 6749 §5.2): never CARTO's API shape, never cached. */
export function oauthError(
  c: Context,
  error: string,
  description: string,
  status: ContentfulStatusCode = 400,
) {
  c.header('Cache-Control', 'no-store');
  return c.json({ error, error_description: description }, status);
}
