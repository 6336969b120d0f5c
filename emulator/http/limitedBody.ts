import type { Context, MiddlewareHandler } from 'hono';

/** A request body over its limit: refused as soon as the limit is passed, the rest unread. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The request body is larger than ${maxBytes.toLocaleString('en-US')} bytes.`);
  }
}

/**
 * Reads a request's body, at most `maxBytes` of it: a declared Content-Length over the limit is
 * refused before reading anything, and a streamed (chunked) body is cancelled at the first chunk
 * past the limit, so a huge body never sits in memory. Throws BodyTooLargeError.
 */
export async function readLimitedBody(
  request: Request,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get('Content-Length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    void request.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(maxBytes);
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Stops reading (not awaited: a cancel may wait on a source that is still sending).
      void reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The body as text (UTF-8, as `Request.text()` decodes it), at most `maxBytes` of it. */
export async function readLimitedText(request: Request, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readLimitedBody(request, maxBytes));
}

/**
 * Middleware: reads the body with `readLimitedBody` before the handler runs, which then reads it
 * as usual (`c.req.text()`, `c.req.parseBody()`, ...) from memory. Over the limit, the handler
 * does not run: `tooLarge` gives the error to throw (or the response to send).
 */
export function limitBody(
  maxBytes: number,
  tooLarge: (c: Context, maxBytes: number) => Error | Response,
): MiddlewareHandler {
  return async (c, next) => {
    if (!c.req.raw.body) return next();
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await readLimitedBody(c.req.raw, maxBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      const answer = tooLarge(c, maxBytes);
      if (answer instanceof Response) return answer;
      throw answer;
    }
    const headers = new Headers(c.req.raw.headers);
    headers.delete('Transfer-Encoding');
    headers.set('Content-Length', String(body.byteLength));
    c.req.raw = new Request(c.req.raw.url, {
      method: c.req.raw.method,
      headers,
      body,
      signal: c.req.raw.signal,
    });
    return next();
  };
}
