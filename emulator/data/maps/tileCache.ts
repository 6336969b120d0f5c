/** Tiles kept at most (oldest dropped first): enough for a few maps panned around. */
const MAX_TILES = 2000;

/**
 * What map sources have already computed: TileJSON per source id (a failed build is forgotten,
 * so a retry recomputes) and tile bytes per id and tile (null = empty tile). Keys name the
 * instantiated spec, whose id is a hash of it, so they never go stale.
 */
export class MapCache {
  private readonly tilejsons = new Map<string, Promise<Record<string, unknown>>>();
  private readonly tiles = new Map<string, Uint8Array | null>();

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
