/**
 * pako's API on top of fflate, for builds only (vite.config.ts aliases `pako` to this file).
 * Its one user here is @loaders.gl/compression, which @deck.gl/carto imports to read gzipped
 * arrays in CARTO's binary tiles. pako is 14 kB gzip; fflate, already a dependency of
 * loaders.gl, does the same work in about 6 kB. Covered: what loaders.gl calls (deflate,
 * deflateRaw, inflate, inflateRaw, and the streaming Deflate / Inflate with onData, onEnd and
 * push). Tests check it against the real pako in both directions.
 */
import {
  Decompress,
  Deflate as RawDeflate,
  Gzip,
  Inflate as RawInflate,
  Zlib,
  decompressSync,
  deflateSync,
  gzipSync,
  inflateSync,
  zlibSync,
  type DeflateOptions,
} from 'fflate';

export interface PakoOptions {
  /** Write a gzip wrapper (deflate) instead of zlib. */
  gzip?: boolean;
  /** No wrapper at all. */
  raw?: boolean;
  level?: number;
}

type Level = NonNullable<DeflateOptions['level']>;
const flateOptions = (options: PakoOptions): DeflateOptions =>
  options.level !== undefined && options.level >= 0 && options.level <= 9
    ? { level: options.level as Level }
    : {};

export function deflate(data: Uint8Array, options: PakoOptions = {}): Uint8Array {
  if (options.raw) return deflateSync(data, flateOptions(options));
  return options.gzip
    ? gzipSync(data, flateOptions(options))
    : zlibSync(data, flateOptions(options));
}

export function deflateRaw(data: Uint8Array, options: PakoOptions = {}): Uint8Array {
  return deflateSync(data, flateOptions(options));
}

/** Like pako's inflate: the wrapper (gzip or zlib) is detected from the data. */
export function inflate(data: Uint8Array, options: PakoOptions = {}): Uint8Array {
  return options.raw ? inflateSync(data) : decompressSync(data);
}

export function inflateRaw(data: Uint8Array): Uint8Array {
  return inflateSync(data);
}

interface FflateStream {
  ondata: (chunk: Uint8Array, final: boolean) => void;
  push(chunk: Uint8Array, final?: boolean): void;
}

/** pako's streaming interface: push(chunk, last) returns false on error; onEnd(0) when done. */
class Stream {
  err = 0;
  msg = '';
  chunks: Uint8Array[] = [];
  result: Uint8Array | undefined;

  constructor(private readonly stream: FflateStream) {
    stream.ondata = (chunk, final) => {
      this.onData(chunk);
      if (final) this.onEnd(0);
    };
  }

  onData(chunk: Uint8Array): void {
    this.chunks.push(chunk);
  }

  onEnd(status: number): void {
    if (status !== 0) return;
    const size = this.chunks.reduce((sum, c) => sum + c.length, 0);
    this.result = new Uint8Array(size);
    let offset = 0;
    for (const chunk of this.chunks) {
      this.result.set(chunk, offset);
      offset += chunk.length;
    }
  }

  push(data: Uint8Array | ArrayBuffer, last: boolean | number = false): boolean {
    try {
      this.stream.push(data instanceof Uint8Array ? data : new Uint8Array(data), Boolean(last));
      return true;
    } catch (error) {
      this.err = -3;
      this.msg = error instanceof Error ? error.message : String(error);
      this.onEnd(this.err);
      return false;
    }
  }
}

export class Deflate extends Stream {
  constructor(options: PakoOptions = {}) {
    const flate = flateOptions(options);
    super(options.raw ? new RawDeflate(flate) : options.gzip ? new Gzip(flate) : new Zlib(flate));
  }
}

export class Inflate extends Stream {
  constructor(options: PakoOptions = {}) {
    super(options.raw ? new RawInflate() : new Decompress());
  }
}

export default { deflate, deflateRaw, inflate, inflateRaw, Deflate, Inflate };
