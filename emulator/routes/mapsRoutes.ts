import { Hono, type Context } from 'hono';
import type { DataContext } from '../data/dataContext';
import { etagMatches, MapCache } from '../data/maps/tileCache';
import { MapSources } from '../data/maps/mapSources';
import { parseMapSpec, sourceType } from '../data/maps/mapSpec';
import { buildTilejson } from '../data/maps/tilejson';
import { exactJsonText } from '../data/exactJson';
import { spatialIndexTile, vectorTile } from '../data/maps/tileEncoding';
import { readParams } from '../http/readParams';
import { parseTileCell, SPATIAL_TILE_CONTENT_TYPE } from '../data/spatialIndex';
import { parseH3TileCell } from '../data/h3Index';
import { validTile } from '../data/tiles';
import { badRequest } from '../http/errors';
import { requireBearer } from '../http/requireBearer';

const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';
const TILE_CACHE_CONTROL = 'private, max-age=3600';

/**
 * The Maps API (mounted at /v3/maps), in two steps: instantiate a source, then its TileJSON
 * and tiles. Every step resolves the source again for the caller, so access is always checked.
 */
export function mapsRoutes(ctx: DataContext) {
  const maps = new MapSources(ctx);
  const cache = new MapCache();
  const bearer = requireBearer(ctx.auth);

  /**
   * A tile from the cache or `produce`: 204 when empty, 304 when the client holds this
   * version (asked only after the caller's access was checked: a tag never stands in for a
   * token). Browsers may keep tiles for an hour; errors are not cacheable.
   */
  async function serveTile(
    c: Context,
    key: string,
    contentType: string,
    produce: () => Promise<Uint8Array | null>,
  ) {
    const etag = cache.etag(key);
    if (etagMatches(c.req.header('If-None-Match'), etag)) {
      c.header('Cache-Control', TILE_CACHE_CONTROL);
      c.header('ETag', etag);
      return c.body(null, 304);
    }
    const bytes = await cache.tile(key, produce);
    c.header('Cache-Control', TILE_CACHE_CONTROL);
    if (!bytes) return c.body(null, 204);
    c.header('ETag', etag);
    c.header('Content-Type', contentType);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200);
  }

  return new Hono()
    .on(['GET', 'POST'], '/:connection/:type', bearer, async (c) => {
      const { connection } = c.req.param();
      const type = sourceType(c.req.param('type'));
      const spec = parseMapSpec(connection, type, await readParams(c));
      const source = await maps.resolve(c.var.principal, spec);
      await maps.check(source, spec);
      const id = maps.register(spec);
      return c.json({
        tilejson: {
          url: [
            `${ctx.auth.issuer}/v3/maps/${encodeURIComponent(connection)}/${type}/${id}/tilejson`,
          ],
        },
        schema: source.columns.map((col) => ({ name: col.name, type: col.type.toLowerCase() })),
        nrows: await maps.count(source, spec),
      });
    })
    .get('/:connection/:type/:id/tilejson', bearer, async (c) => {
      const { id } = c.req.param();
      const spec = maps.spec(id);
      const source = await maps.resolve(c.var.principal, spec);
      const etag = cache.etag(`${id}/tilejson`);
      c.header('Cache-Control', 'private, max-age=300');
      c.header('ETag', etag);
      if (etagMatches(c.req.header('If-None-Match'), etag)) return c.body(null, 304);
      // A 64-bit column's min and max in tilestats are exact (strings past 2^53).
      const tilejson = await cache.tilejson(id, () => buildTilejson(maps, source, id, spec));
      return c.body(exactJsonText(tilejson), 200, { 'Content-Type': 'application/json' });
    })
    .get('/:connection/:type/:id/tiles/:z/:x/:y', bearer, async (c) => {
      const { id } = c.req.param();
      const spec = maps.spec(id, 'geo');
      const [z, x, y] = [c.req.param('z'), c.req.param('x'), c.req.param('y')].map(Number);
      if (z === undefined || x === undefined || y === undefined || !validTile(z, x, y)) {
        throw badRequest('Invalid tile coordinates');
      }
      const source = await maps.resolve(c.var.principal, spec);
      return serveTile(c, `${id}/${z}/${x}/${y}`, MVT_CONTENT_TYPE, () =>
        vectorTile(maps, source, spec, z, x, y),
      );
    })
    .get('/:connection/:type/:id/tiles/:cell', bearer, async (c) => {
      const { id, cell } = c.req.param();
      const spec = maps.spec(id, 'index');
      const source = await maps.resolve(c.var.principal, spec);
      // A 400 for a malformed cell, before it goes into a tag.
      if (spec.spatialDataType === 'h3') parseH3TileCell(cell);
      else parseTileCell(cell);
      return serveTile(c, `${id}/${cell.toLowerCase()}`, SPATIAL_TILE_CONTENT_TYPE, () =>
        spatialIndexTile(maps, source, spec, cell),
      );
    });
}
