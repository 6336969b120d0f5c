import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { OAuthError } from './errors';

/** Token and revocation requests are small forms; anything bigger is refused unread. */
export const oauthBodyLimit = bodyLimit({
  maxSize: 16 * 1024,
  onError: () => {
    throw new OAuthError('invalid_request', 'The request body is too large', 413);
  },
});

export type Form = Record<string, string>;

/** The form of a token or revocation request, or null when the body is not a form. */
export async function readForm(c: Context): Promise<Form | null> {
  const type = c.req.header('Content-Type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return null;
  const params = new URLSearchParams(await c.req.text());
  const form: Form = {};
  for (const [key, value] of params) {
    // A parameter sent twice is ambiguous (RFC 6749 §3.1): refuse it.
    if (key in form) return { __duplicate: key };
    form[key] = value;
  }
  return form;
}

/** Client credentials from HTTP Basic or the form (client_secret_basic / client_secret_post). */
export function clientCredentials(c: Context, form: Form): { id: string; secret: string | null } {
  const auth = c.req.header('Authorization');
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return {
        id: decodeURIComponent(decoded.slice(0, colon)),
        secret: decodeURIComponent(decoded.slice(colon + 1)),
      };
    }
  }
  return { id: form.client_id ?? '', secret: form.client_secret ?? null };
}
