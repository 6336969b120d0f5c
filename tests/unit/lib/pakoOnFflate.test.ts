import { describe, expect, it, vi } from 'vitest';
import realPako from 'pako';
import * as adapter from '../../../src/lib/pakoOnFflate';

const text = new TextEncoder().encode(
  Array.from({ length: 2000 }, (_, i) => `cell ${i}: ${(i * 7919) % 1000}`).join('\n'),
);

describe('pako API on fflate', () => {
  it.each([
    ['zlib', {}, (d: Uint8Array) => realPako.deflate(d)],
    ['gzip', { gzip: true }, (d: Uint8Array) => realPako.gzip(d)],
    ['raw', { raw: true }, (d: Uint8Array) => realPako.deflateRaw(d)],
  ] as const)('%s: what one compresses, the other decompresses', (_name, options, pack) => {
    const raw = 'raw' in options;
    expect(adapter.inflate(pack(text), { raw })).toEqual(text);
    const byAdapter = adapter.deflate(text, options);
    expect(raw ? realPako.inflateRaw(byAdapter) : realPako.inflate(byAdapter)).toEqual(text);
    expect(byAdapter.length).toBeLessThan(text.length / 2);
  });

  it('raw helpers and levels', () => {
    expect(adapter.inflateRaw(realPako.deflateRaw(text))).toEqual(text);
    expect(realPako.inflateRaw(adapter.deflateRaw(text, { level: 9 }))).toEqual(text);
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
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(text));

    const deflater = new adapter.Deflate({ gzip: true });
    deflater.push(text, true);
    expect(realPako.ungzip(deflater.result!)).toEqual(text);

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
    expect(new Uint8Array(realPako.ungzip(new Uint8Array(packed)))).toEqual(text);
    expect(new Uint8Array(gzip.decompressSync(realPako.gzip(text).buffer as ArrayBuffer))).toEqual(
      text,
    );
    const batches: ArrayBuffer[] = [];
    const gz = realPako.gzip(text);
    async function* input() {
      for (let i = 0; i < gz.length; i += 500) {
        yield await Promise.resolve(gz.slice(i, i + 500).buffer);
      }
    }
    for await (const batch of gzip.decompressBatches(input())) batches.push(batch);
    expect(Buffer.concat(batches.map((b) => new Uint8Array(b)))).toEqual(Buffer.from(text));
    vi.doUnmock('pako');
    // No copy of loaders.gl built on the stand-in is left for the files after this one.
    vi.resetModules();
  });
});
