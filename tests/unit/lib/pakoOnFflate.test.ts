import { describe, expect, it, vi } from 'vitest';
import realPako from 'pako';
import * as adapter from '../../../src/lib/pakoOnFflate';

const TEXT = Array.from({ length: 2000 }, (_, i) => `cell ${i}: ${(i * 7919) % 1000}`).join('\n');
const text = new TextEncoder().encode(TEXT);

/**
 * Bytes as the text they encode (bytes that are not UTF-8 throw): the same bytes are the same
 * text, and one string comparison replaces toEqual's 30,000 element by element (2 s of CPU).
 */
const asText = (bytes: Uint8Array | ArrayBuffer) =>
  new TextDecoder('utf-8', { fatal: true }).decode(bytes);

describe('pako API on fflate', () => {
  it.each([
    ['zlib', {}, (d: Uint8Array) => realPako.deflate(d)],
    ['gzip', { gzip: true }, (d: Uint8Array) => realPako.gzip(d)],
    ['raw', { raw: true }, (d: Uint8Array) => realPako.deflateRaw(d)],
  ] as const)('%s: what one compresses, the other decompresses', (_name, options, pack) => {
    const raw = 'raw' in options;
    expect(asText(adapter.inflate(pack(text), { raw }))).toBe(TEXT);
    const byAdapter = adapter.deflate(text, options);
    expect(asText(raw ? realPako.inflateRaw(byAdapter) : realPako.inflate(byAdapter))).toBe(TEXT);
    expect(byAdapter.length).toBeLessThan(text.length / 2);
  });

  it('raw helpers and levels', () => {
    expect(asText(adapter.inflateRaw(realPako.deflateRaw(text)))).toBe(TEXT);
    expect(asText(realPako.inflateRaw(adapter.deflateRaw(text, { level: 9 })))).toBe(TEXT);
  });

  it('streams like pako: onData per chunk, onEnd(0), push false on bad data', () => {
    const gz = realPako.gzip(text);
    const inflater = new adapter.Inflate();
    const chunks: Uint8Array[] = [];
    let ended: number | null = null;
    inflater.onData = (chunk) => chunks.push(chunk);
    inflater.onEnd = (status) => {
      ended = status;
    };
    for (let i = 0; i < gz.length; i += 1000) {
      expect(inflater.push(gz.subarray(i, i + 1000), false)).toBe(true);
    }
    expect(inflater.push(new Uint8Array(0), true)).toBe(true);
    expect(ended).toBe(0);
    expect(asText(Buffer.concat(chunks))).toBe(TEXT);

    const deflater = new adapter.Deflate({ gzip: true });
    deflater.push(text, true);
    expect(asText(realPako.ungzip(deflater.result!))).toBe(TEXT);

    const broken = new adapter.Inflate({ raw: true });
    expect(broken.push(new Uint8Array([255, 255, 255, 255]), true)).toBe(false);
    expect(broken.err).not.toBe(0);
    expect(broken.msg).not.toBe('');
  });

  it('runs loaders.gl GZipCompression (what @deck.gl/carto uses) unchanged', async () => {
    vi.resetModules();
    vi.doMock('pako', () => ({ default: adapter.default }));
    const { GZipCompression } = await import('@loaders.gl/compression');
    const gzip = new GZipCompression();
    const packed = gzip.compressSync(text.buffer);
    expect(asText(realPako.ungzip(new Uint8Array(packed)))).toBe(TEXT);
    expect(asText(gzip.decompressSync(realPako.gzip(text).buffer as ArrayBuffer))).toBe(TEXT);
    const batches: ArrayBuffer[] = [];
    const gz = realPako.gzip(text);
    async function* input() {
      for (let i = 0; i < gz.length; i += 500) {
        yield await Promise.resolve(gz.slice(i, i + 500).buffer);
      }
    }
    for await (const batch of gzip.decompressBatches(input())) batches.push(batch);
    expect(asText(Buffer.concat(batches.map((b) => new Uint8Array(b))))).toBe(TEXT);
    vi.doUnmock('pako');
    // No copy of loaders.gl built on the stand-in is left for the files after this one.
    vi.resetModules();
  });
});
