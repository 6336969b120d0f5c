/**
 * Reads that failed for a passing reason — no answer at all (connection refused or dropped), or
 * the server busy or restarting (502, 503, 504, where the error carries the response: the Maps
 * API's; the SQL model API's errors carry only the server's message) — are tried again: twice,
 * after 0.5 s and 1.5 s, or after the server's Retry-After (up to 5 s). Only reads: asking the
 * same question again is safe. Anything else (a 4xx, a cancelled request) fails at once.
 */
const TRANSIENT = new Set([502, 503, 504]);
const DELAYS_MS = [500, 1_500];
const MAX_RETRY_AFTER_MS = 5_000;

/** fetch's errors, and @carto/api-client's CartoAPIError (the response, and the cause). */
interface HttpishError {
  name?: unknown;
  cause?: unknown;
  error?: { name?: unknown };
  errorContext?: unknown;
  response?: { status?: unknown; headers?: { get?: (name: string) => string | null } };
}

function transientDelay(error: unknown, fallback: number): number | null {
  const e = (error ?? {}) as HttpishError;
  if (e.name === 'AbortError' || e.error?.name === 'AbortError') return null;
  // No answer came (connection refused or dropped): fetch's TypeError, as is or as the
  // library's cause ("Failed request"), or its "Failed to connect" (no response).
  if (
    error instanceof TypeError ||
    e.cause instanceof TypeError ||
    (e.errorContext !== undefined && !e.response)
  )
    return fallback;
  const response = e.response;
  if (typeof response?.status !== 'number' || !TRANSIENT.has(response.status)) return null;
  const retryAfter = Number(response.headers?.get?.('Retry-After'));
  return Number.isFinite(retryAfter) && retryAfter >= 0
    ? Math.min(retryAfter * 1_000, MAX_RETRY_AFTER_MS)
    : fallback;
}

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new DOMException('The request was cancelled.', 'AbortError'));
      },
      { once: true },
    );
  });

export async function retryTransient<T>(read: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const fallback = DELAYS_MS[attempt];
      const delay = fallback === undefined ? null : transientDelay(error, fallback);
      if (delay === null || signal.aborted) throw error;
      await wait(delay, signal);
    }
  }
}
