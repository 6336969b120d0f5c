import { randomBytes } from 'node:crypto';

/** Tiles kept at most (oldest dropped first): enough for a few maps panned around. */
const MAX_TILES = 2000;

/** Whether an If-None-Match header names `etag` (weak or strong, or `*`). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * What map sources have already computed: TileJSON per source id (a failed build is forgotten,
 * so a retry recomputes) and tile bytes per id and tile (null = empty tile). Keys name the
 * instantiated spec, whose id is a hash of it, and the data never changes while the emulator
 * runs, so they never go stale and a key is a valid entity tag.
 */
export class MapCache {
  /** Part of every tag: after a restart the same source id may hold other data. */
  private readonly run = randomBytes(6).toString('base64url');
  private readonly tilejsons = new Map<string, Promise<Record<string, unknown>>>();
  private readonly tiles = new Map<string, Uint8Array | null>();

  etag(key: string): string {
    return `"${this.run}/${key}"`;
  }

  tilejson(id: string, build: () => Promise<Record<string, unknown>>) {
    let pending = this.tilejsons.get(id);
    if (!pending) {
      pending = build();
      pending.catch(() => this.tilejsons.delete(id));
      this.tilejsons.set(id, pending);
    }
    return pending;
  }

  async tile(key: string, produce: () => Promise<Uint8Array | null>) {
    let bytes = this.tiles.get(key);
    if (bytes === undefined) {
      bytes = await produce();
      if (this.tiles.size > MAX_TILES) this.tiles.delete(this.tiles.keys().next().value ?? '');
      this.tiles.set(key, bytes);
    }
    return bytes;
  }
}
