import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { QueryError } from '../data/database';
import { ColumnNotFoundError } from '../data/filters';

/** An API error in CARTO's shape, `{ error, status, ...body }`, thrown from any handler. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    message: string,
    readonly extra: { body?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(status, { message });
  }
}

/** An OAuth error (RFC 6749 §5.2): `{ error, error_description }`, never CARTO's API shape. */
export class OAuthError extends HTTPException {
  constructor(
    readonly error: string,
    readonly description: string,
    status: ContentfulStatusCode = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message: description });
  }
}

/**
 * The one place errors become responses: known errors get CARTO's JSON body with their status;
 * anything else is a 500 that says nothing about the emulator's insides (logged here instead).
 */
export function onError(error: Error, c: Context): Response {
  if (error instanceof OAuthError) {
    return c.json({ error: error.error, error_description: error.description }, error.status, {
      ...error.headers,
      'Cache-Control': 'no-store',
    });
  }
  if (error instanceof ColumnNotFoundError) {
    return c.json({ error: 'Column not found', status: 400, column_name: error.column }, 400);
  }
  if (error instanceof QueryError) {
    // With its headers: Retry-After on a 429 or 503 (the sandbox's queues), wherever it is thrown.
    return c.json({ error: error.message, status: error.status }, error.status, error.headers);
  }
  if (error instanceof ApiError) {
    const { status } = error;
    return c.json(
      { error: error.message, status, ...error.extra.body },
      status,
      error.extra.headers,
    );
  }
  if (error instanceof HTTPException && error.status < 500) {
    const { status } = error;
    return c.json({ error: error.message || 'Bad request', status }, status);
  }
  console.error('[emulator]', error);
  return c.json({ error: 'Internal error in the emulator', status: 500 }, 500);
}

/** `throw notFound(...)` reads better in a handler than building the response by hand. */
export const notFound = (message: string) => new ApiError(404, message);
export const badRequest = (message: string) => new ApiError(400, message);
export const forbidden = (message: string) => new ApiError(403, message);
