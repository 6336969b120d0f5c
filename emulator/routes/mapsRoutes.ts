import { Hono, type Context } from 'hono';
import type { DataContext } from '../data/dataContext';
import { MapCache } from '../data/maps/tileCache';
import { MapSources } from '../data/maps/mapSources';
import { parseMapSpec, sourceType } from '../data/maps/mapSpec';
import { buildTilejson } from '../data/maps/tilejson';
import { quadbinTile, vectorTile } from '../data/maps/tileEncoding';
import { readParams } from '../data/requestParams';
import { SPATIAL_TILE_CONTENT_TYPE } from '../data/spatialIndex';
import { validTile } from '../data/tiles';
import { badRequest } from '../http/errors';
import { requireBearer } from '../http/requireBearer';

const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

/** A tile's bytes, or 204 when the tile is empty; browsers may keep tiles for an hour. */
function tileResponse(c: Context, contentType: string, bytes: Uint8Array | null) {
  c.header('Cache-Control', 'private, max-age=3600');
  if (!bytes) return c.body(null, 204);
  c.header('Content-Type', contentType);
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200);
}

/**
 * The Maps API (mounted at /v3/maps), in two steps: instantiate a source, then its TileJSON
 * and tiles. Every step resolves the source again for the caller, so access is always checked.
 */
export function mapsRoutes(ctx: DataContext) {
  const maps = new MapSources(ctx);
  const cache = new MapCache();
  const bearer = requireBearer(ctx.auth);

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
      const tilejson = await cache.tilejson(id, () => buildTilejson(maps, source, id, spec));
      c.header('Cache-Control', 'private, max-age=300');
      return c.json(tilejson);
    })
    .get('/:connection/:type/:id/tiles/:z/:x/:y', bearer, async (c) => {
      const { id } = c.req.param();
      const spec = maps.spec(id, 'geo');
      const [z, x, y] = [c.req.param('z'), c.req.param('x'), c.req.param('y')].map(Number);
      if (z === undefined || x === undefined || y === undefined || !validTile(z, x, y)) {
        throw badRequest('Invalid tile coordinates');
      }
      const source = await maps.resolve(c.var.principal, spec);
      const bytes = await cache.tile(`${id}/${z}/${x}/${y}`, () =>
        vectorTile(maps, source, spec, z, x, y),
      );
      return tileResponse(c, MVT_CONTENT_TYPE, bytes);
    })
    .get('/:connection/:type/:id/tiles/:cell', bearer, async (c) => {
      const { id, cell } = c.req.param();
      const spec = maps.spec(id, 'quadbin');
      const source = await maps.resolve(c.var.principal, spec);
      const bytes = await cache.tile(`${id}/${cell}`, () => quadbinTile(maps, source, spec, cell));
      return tileResponse(c, SPATIAL_TILE_CONTENT_TYPE, bytes);
    });
}
