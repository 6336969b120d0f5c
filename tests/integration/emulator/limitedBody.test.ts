import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import {
  BodyTooLargeError,
  limitBody,
  readLimitedBody,
  readLimitedText,
} from '../../../emulator/http/limitedBody';

const MiB = 1024 * 1024;

/** A body of `total` bytes made 64 KiB at a time as it is read; `pulled()` says how much was. */
function lazyBody(total: number) {
  let pulled = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) {
        controller.close();
        return;
      }
      const part = chunk.subarray(0, Math.min(chunk.byteLength, total - pulled));
      pulled += part.byteLength;
      controller.enqueue(part);
    },
  });
  return { stream, pulled: () => pulled };
}

const streamed = (
  body: ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
  path = '/x',
) =>
  new Request(`http://emulator.test${path}`, {
    method: 'POST',
    body,
    headers,
    duplex: 'half',
  } as RequestInit);

describe('limitedBody', () => {
  it('stops reading a streamed body at the first chunk past the limit', async () => {
    const body = lazyBody(300 * MiB);
    await expect(readLimitedBody(streamed(body.stream), MiB)).rejects.toBeInstanceOf(
      BodyTooLargeError,
    );
    expect(body.pulled()).toBeLessThan(2 * MiB);
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const body = lazyBody(300 * MiB);
    const request = streamed(body.stream, { 'Content-Length': String(300 * MiB) });
    await expect(readLimitedText(request, MiB)).rejects.toThrow(/larger than 1,048,576 bytes/);
    expect(body.pulled()).toBeLessThanOrEqual(128 * 1024);
  });

  it('reads a body of exactly the limit, and decodes UTF-8', async () => {
    const text = 'é'.repeat(512);
    const request = new Request('http://emulator.test/x', { method: 'POST', body: text });
    expect(await readLimitedText(request, 1024)).toBe(text);
    const over = new Request('http://emulator.test/x', { method: 'POST', body: `${text}x` });
    await expect(readLimitedText(over, 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
  });

  it('as middleware, the handler reads the body as usual, or never runs', async () => {
    let ran = 0;
    const app = new Hono().post(
      '/form',
      limitBody(1024, (c, max) => c.json({ error: `over ${max}` }, 413)),
      async (c) => {
        ran++;
        const form = await c.req.parseBody();
        return c.json(form);
      },
    );
    const ok = await app.request('/form', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=two',
    });
    expect(await ok.json()).toEqual({ a: '1', b: 'two' });
    const body = lazyBody(50 * MiB);
    const big = await app.request(
      streamed(body.stream, { 'Content-Type': 'application/x-www-form-urlencoded' }, '/form'),
    );
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: 'over 1024' });
    expect(ran).toBe(1);
    expect(body.pulled()).toBeLessThan(MiB);
  });
});
