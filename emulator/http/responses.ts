import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { page } from '../auth/pages';
import { randomToken } from '../auth/passwords';

type PageBody = Parameters<typeof page>[2];

/**
 * An HTML page of the authorization server: unframeable, not cached, no referrer, and a CSP
 * that allows only its own nonce-tagged styles and form posts to itself (plus `formTargets`,
 * the origins a form's redirect may lead to).
 */
export function htmlPage(
  c: Context,
  title: string,
  body: PageBody,
  {
    status = 200,
    formTargets = [],
  }: { status?: ContentfulStatusCode; formTargets?: string[] } = {},
) {
  const nonce = randomToken(16);
  c.header(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      "img-src 'self' data: https:",
      `form-action 'self' ${formTargets.join(' ')}`.trim(),
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
  );
  c.header('X-Frame-Options', 'DENY');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cache-Control', 'no-store');
  return c.html(page(title, nonce, body), status);
}

/** OAuth error body (RFC 6749 §5.2). */
export function oauthError(
  c: Context,
  error: string,
  description: string,
  status: ContentfulStatusCode = 400,
) {
  c.header('Cache-Control', 'no-store');
  return c.json({ error, error_description: description }, status);
}

/** API error body in CARTO's shape: `{ error, status }`. */
export function apiError(c: Context, status: ContentfulStatusCode, error: string, extra?: object) {
  return c.json({ error, status, ...extra }, status);
}
