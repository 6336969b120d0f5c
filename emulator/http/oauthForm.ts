import type { Context } from 'hono';
import { OAuthError } from './errors';
import { BodyTooLargeError, readLimitedBody } from './limitedBody';

/** Token and revocation requests are small forms. */
const OAUTH_FORM_MAX_BYTES = 16 * 1024;
/** The login and consent forms: a few fields and the scopes ticked on the consent page. */
export const PAGE_FORM_MAX_BYTES = 64 * 1024;

const contentType = (c: Context) => (c.req.header('Content-Type') ?? '').toLowerCase();
const isUrlEncoded = (c: Context) => contentType(c).startsWith('application/x-www-form-urlencoded');
/** Auth0's SDKs post token requests as JSON; Auth0 takes both, and so does the emulator. */
const isJson = (c: Context) => /^application\/(?:[\w.+-]*\+)?json\b/.test(contentType(c));

/**
 * An `application/x-www-form-urlencoded` body read under `maxBytes` while it streams in
 * (`readLimitedBody`: a Content-Length over the cap is refused unread, a streamed body is
 * cancelled at the first chunk past it; throws BodyTooLargeError): every value of each field,
 * in order. Null when the body is not such a form (nothing is read then).
 */
export async function readUrlEncoded(
  c: Context,
  maxBytes: number,
): Promise<Map<string, string[]> | null> {
  if (!isUrlEncoded(c)) return null;
  const bytes = await readLimitedBody(c.req.raw, maxBytes);
  const fields = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(new TextDecoder().decode(bytes))) {
    const values = fields.get(key);
    if (values) values.push(value);
    else fields.set(key, [value]);
  }
  return fields;
}

export type Form = Record<string, string>;

/**
 * A JSON token request's fields: an object of text, number or boolean values (as text), like a
 * form's. Anything else is a 400 `invalid_request`.
 */
async function readJsonFields(c: Context): Promise<Map<string, string[]>> {
  const bytes = await readLimitedBody(c.req.raw, OAUTH_FORM_MAX_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new OAuthError('invalid_request', 'The request body is not valid JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new OAuthError('invalid_request', 'The JSON body must be an object of parameters');
  const fields = new Map<string, string[]>();
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      throw new OAuthError('invalid_request', `Parameter "${key}" must be text`);
    fields.set(key, [String(value)]);
  }
  return fields;
}

/**
 * The parameters of a token or revocation request: a urlencoded form, or a JSON object (as
 * Auth0's SDKs send); null when the body is neither. Bodies over 16 KiB are refused with 413
 * `invalid_request` while they stream in.
 */
export async function readForm(c: Context): Promise<Form | null> {
  let fields: Map<string, string[]> | null;
  try {
    fields = isJson(c) ? await readJsonFields(c) : await readUrlEncoded(c, OAUTH_FORM_MAX_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw new OAuthError('invalid_request', 'The request body is too large', 413);
    }
    throw error;
  }
  if (!fields) return null;
  const form: Form = Object.create(null) as Form; // no inherited keys (`__proto__`, `constructor`)
  for (const [key, values] of fields) {
    // A parameter sent twice is ambiguous (RFC 6749 §3.1): refuse it.
    if (values.length > 1) return { __duplicate: key };
    form[key] = values[0] ?? '';
  }
  return form;
}

function decodeBasicPart(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null; // a broken percent-encoding (`%zz`): not credentials
  }
}

/**
 * Client credentials from HTTP Basic or the form (client_secret_basic / client_secret_post).
 * Basic credentials whose encoding is broken are a 401 `invalid_client`, never a crash.
 */
export function clientCredentials(c: Context, form: Form): { id: string; secret: string | null } {
  const auth = c.req.header('Authorization');
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      const id = decodeBasicPart(decoded.slice(0, colon));
      const secret = decodeBasicPart(decoded.slice(colon + 1));
      if (id === null || secret === null) {
        throw new OAuthError('invalid_client', 'The Basic credentials are not well encoded', 401, {
          'WWW-Authenticate': 'Basic realm="carto-emulator"',
        });
      }
      return { id, secret };
    }
  }
  return { id: form.client_id ?? '', secret: form.client_secret ?? null };
}
