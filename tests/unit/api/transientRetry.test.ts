import { afterEach, describe, expect, it, vi } from 'vitest';
import { retryTransient } from '../../../src/api/transientRetry';

/** An error as @carto/api-client's CartoAPIError carries it (the Maps API's). */
const apiError = (status: number, retryAfter?: string) =>
  Object.assign(new Error(`Server returned: Error (${status})`), {
    errorContext: { requestType: 'Map instantiation' },
    response: { status, headers: new Headers(retryAfter ? { 'Retry-After': retryAfter } : {}) },
  });

const failing = (...errors: Error[]) => {
  const read = vi.fn(() => {
    const next = errors.shift();
    return next === undefined ? Promise.resolve('answer') : Promise.reject(next);
  });
  return read;
};

afterEach(() => {
  vi.useRealTimers();
});

describe('retryTransient', () => {
  it('tries a 503 and a dropped connection again, after the server’s Retry-After', async () => {
    vi.useFakeTimers();
    const read = failing(apiError(503, '2'), new TypeError('Failed to fetch'));
    const result = retryTransient(read, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(read).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(read).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1_500);
    await expect(result).resolves.toBe('answer');
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('gives up after two retries, with the last error', async () => {
    vi.useFakeTimers();
    const last = Object.assign(new Error('Failed request: TypeError'), {
      cause: new TypeError('x'),
    });
    const read = failing(new TypeError('a'), new TypeError('b'), last);
    const result = retryTransient(read, new AbortController().signal);
    result.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(result).rejects.toBe(last);
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('fails at once on what asking again would not change (a 4xx, a server message)', async () => {
    for (const error of [apiError(400), apiError(403), new Error('Column not found')]) {
      const read = failing(error);
      await expect(retryTransient(read, new AbortController().signal)).rejects.toBe(error);
      expect(read).toHaveBeenCalledTimes(1);
    }
  });

  it('stops waiting when the request is cancelled', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const read = failing(new TypeError('Failed to fetch'));
    const result = retryTransient(read, controller.signal);
    result.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await expect(result).rejects.toMatchObject({ name: 'AbortError' });
    expect(read).toHaveBeenCalledTimes(1);
  });
});
