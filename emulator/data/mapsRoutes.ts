import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Feature, Geometry } from 'geojson';
import type { AuthContext } from '../auth/authContext';
import { authenticate, bearerChallenge } from '../auth/authenticate';
import type { Principal } from '../auth/tokens';
import { apiError } from '../http/responses';
import { QueryError, type Database } from './database';
import { ColumnNotFoundError, bboxToSql, column, filtersToSql, SqlBuilder } from './filters';
import { readParams, textParam } from './requestParams';
import type { ResolvedSource, SourceResolver } from './sources';
import {
  encodeMvt,
  fractionDropped,
  MAX_ZOOM,
  TILE_FEATURE_LIMIT,
  tileBBox,
  validTile,
} from './tiles';

interface MapSourceSpec {
  connection: string;
  type: 'table' | 'query';
  name?: string;
  q?: string;
  queryParameters?: unknown;
  columns: string[] | null;
  filters?: unknown;
  filtersLogicalOperator?: unknown;
  spatialDataColumn: string;
  spatialDataType: string;
}

export interface DataContext {
  auth: AuthContext;
  db: Database;
  sources: SourceResolver;
}

/** Runs a data handler: authentication first, then CARTO-shaped JSON errors for anything bad. */
export function dataHandler(
  ctx: DataContext,
  handler: (c: Context, principal: Principal) => Response | Promise<Response>,
) {
  return async (c: Context) => {
    const auth = await authenticate(ctx.auth, c);
    if (!auth.ok) return bearerChallenge(c, auth.error);
    try {
      return await handler(c, auth.principal);
    } catch (error) {
      if (error instanceof ColumnNotFoundError) {
        return apiError(c, 400, 'Column not found', { column_name: error.column });
      }
      if (error instanceof QueryError) return apiError(c, error.status, error.message);
      throw error;
    }
  };
}

function parseColumns(raw: unknown): string[] | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string') throw new QueryError('columns must be a comma-separated list.');
  return raw
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
}

export function mapsRoutes(ctx: DataContext) {
  const app = new Hono();
  const specs = new Map<string, MapSourceSpec>();
  const tilejsonCache = new Map<string, Promise<Record<string, unknown>>>();
  const tileCache = new Map<string, Uint8Array | null>();

  async function resolve(principal: Principal, spec: MapSourceSpec): Promise<ResolvedSource> {
    const source =
      spec.type === 'table'
        ? ctx.sources.table(principal, spec.connection, spec.name)
        : await ctx.sources.query(principal, spec.connection, spec.q, spec.queryParameters);
    ctx.sources.recheck(principal, source);
    return source;
  }

  /** Validates what the request asks of the source; throws "Column not found" and the like. */
  function check(source: ResolvedSource, spec: MapSourceSpec): void {
    if (spec.spatialDataType !== 'geo') {
      throw new QueryError(
        `spatialDataType "${spec.spatialDataType}" tiles are not available in the emulator (vector "geo" sources only).`,
      );
    }
    if (spec.spatialDataColumn !== 'geom' || !source.columns.some((c) => c.name === 'geom')) {
      throw new ColumnNotFoundError(spec.spatialDataColumn);
    }
    for (const name of spec.columns ?? []) column(source, name);
    filtersToSql(new SqlBuilder(), source, spec.filters, spec.filtersLogicalOperator);
  }

  function whereClause(
    sql: SqlBuilder,
    source: ResolvedSource,
    spec: MapSourceSpec,
    extra: string[] = [],
  ): string {
    const filters = filtersToSql(sql, source, spec.filters, spec.filtersLogicalOperator);
    const clauses = [...extra, ...(filters ? [filters] : []), 'geom IS NOT NULL'];
    return `WHERE ${clauses.join(' AND ')}`;
  }

  const instantiate = dataHandler(ctx, async (c, principal) => {
    const connection = c.req.param('connection') ?? '';
    const type = c.req.param('type') ?? '';
    if (type === 'tileset')
      return apiError(
        c,
        400,
        'Tilesets are not available in the emulator: use a table or a query source.',
      );
    if (type !== 'table' && type !== 'query')
      return apiError(c, 400, `Unknown source type "${type}"`);
    const params = await readParams(c);
    const spec: MapSourceSpec = {
      connection,
      type,
      ...(type === 'table'
        ? { name: textParam(params.name, 'name') }
        : { q: textParam(params.q, 'q'), queryParameters: params.queryParameters }),
      columns: parseColumns(params.columns),
      filters: params.filters,
      filtersLogicalOperator: params.filtersLogicalOperator,
      spatialDataColumn: textParam(params.spatialDataColumn, 'spatialDataColumn', 'geom'),
      spatialDataType: textParam(params.spatialDataType, 'spatialDataType', 'geo'),
    };
    const source = await resolve(principal, spec);
    check(source, spec);
    const id = createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 32);
    specs.set(id, spec);
    const sql = new SqlBuilder();
    const count = await ctx.db.query(
      `SELECT count(*) AS n FROM ${source.relation} ${whereClause(sql, source, spec)}`,
      sql.params,
    );
    const dataUrl = `${ctx.auth.issuer}/v3/maps/${encodeURIComponent(connection)}/${type}/${id}/tilejson`;
    return c.json({
      tilejson: { url: [dataUrl] },
      schema: source.columns.map((col) => ({ name: col.name, type: col.type.toLowerCase() })),
      nrows: Number(count.rows[0]?.n ?? 0),
    });
  });

  async function buildTilejson(principal: Principal, id: string, spec: MapSourceSpec) {
    const source = await resolve(principal, spec);
    const sql = new SqlBuilder();
    const where = whereClause(sql, source, spec);
    const [extent] = (
      await ctx.db.query(
        `SELECT count(*) AS n, min(__xmin) AS xmin, min(__ymin) AS ymin, max(__xmax) AS xmax, max(__ymax) AS ymax FROM ${source.relation} ${where}`,
        sql.params,
      )
    ).rows as {
      n: number;
      xmin: number | null;
      ymin: number | null;
      xmax: number | null;
      ymax: number | null;
    }[];
    const total = extent?.n ?? 0;
    const bounds: [number, number, number, number] =
      extent?.xmin != null && extent.ymin != null && extent.xmax != null && extent.ymax != null
        ? [
            Math.max(-180, extent.xmin),
            Math.max(-85.05, extent.ymin),
            Math.min(180, extent.xmax),
            Math.min(85.05, extent.ymax),
          ]
        : [-180, -85.05, 180, 85.05];
    // Most features in one tile, per zoom: what the per-tile limit drops.
    const zooms = Array.from({ length: 13 }, (_, z) => z);
    const perZoom = await Promise.all(
      zooms.map(async (z) => {
        const s = new SqlBuilder();
        const w = whereClause(s, source, spec);
        const n = 2 ** z;
        const r = await ctx.db.query(
          `SELECT max(c) AS m FROM (SELECT count(*) AS c FROM ${source.relation} ${w}
             GROUP BY floor((least(greatest(__xmin, -180), 179.9999) + 180) / 360 * ${n}),
                      floor((1 - ln(tan(radians(least(greatest(__ymin, -85), 85))) + 1 / cos(radians(least(greatest(__ymin, -85), 85)))) / pi()) / 2 * ${n}))`,
          s.params,
        );
        return Number(r.rows[0]?.m ?? 0);
      }),
    );
    const attributes = await Promise.all(
      (spec.columns ?? source.columns.map((col) => col.name))
        .filter((name) => name !== 'geom')
        .map(async (name) => {
          const col = source.columns.find((x) => x.name === name);
          const quoted = column(source, name);
          const numeric = /INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/i.test(col?.type ?? '');
          if (numeric) {
            const r = await ctx.db.query(
              `SELECT min(${quoted}) AS min, max(${quoted}) AS max FROM ${source.relation}`,
            );
            return { attribute: name, type: 'Number', min: r.rows[0]?.min, max: r.rows[0]?.max };
          }
          const r = await ctx.db.query(
            `SELECT CAST(${quoted} AS VARCHAR) AS category, count(*) AS frequency FROM ${source.relation} GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
          );
          return { attribute: name, type: 'String', categories: r.rows };
        }),
    );
    const base = `${ctx.auth.issuer}/v3/maps/${encodeURIComponent(spec.connection)}/${spec.type}/${id}`;
    return {
      tilejson: '3.0.0',
      name: spec.name ?? 'query',
      description: '',
      version: '1.0.0',
      attribution: 'CARTO platform emulator',
      scheme: 'xyz',
      tiles: [`${base}/tiles/{z}/{x}/{y}?formatTiles=mvt`],
      minzoom: 0,
      maxzoom: MAX_ZOOM,
      bounds,
      center: [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 2],
      vector_layers: [
        {
          id: 'default',
          minzoom: 0,
          maxzoom: MAX_ZOOM,
          fields: Object.fromEntries(attributes.map((a) => [a.attribute, a.type])),
        },
      ],
      tilestats: {
        layerCount: 1,
        layers: [{ layer: 'default', count: total, attributeCount: attributes.length, attributes }],
      },
      fraction_dropped_per_zoom: fractionDropped(perZoom, total),
      tile_feature_limit: TILE_FEATURE_LIMIT,
      schema: source.columns.map((col) => ({ name: col.name, type: col.type.toLowerCase() })),
    };
  }

  const tilejson = dataHandler(ctx, async (c, principal) => {
    const id = c.req.param('id') ?? '';
    const spec = specs.get(id);
    if (!spec) return apiError(c, 404, 'Unknown map source: instantiate it again.');
    await resolve(principal, spec); // access check on every request
    let pending = tilejsonCache.get(id);
    if (!pending) {
      pending = buildTilejson(principal, id, spec);
      pending.catch(() => tilejsonCache.delete(id));
      tilejsonCache.set(id, pending);
    }
    c.header('Cache-Control', 'private, max-age=300');
    return c.json(await pending);
  });

  const tile = dataHandler(ctx, async (c, principal) => {
    const id = c.req.param('id') ?? '';
    const spec = specs.get(id);
    if (!spec) return apiError(c, 404, 'Unknown map source: instantiate it again.');
    const [z, x, y] = ['z', 'x', 'y'].map((k) => Number(c.req.param(k)));
    if (z === undefined || x === undefined || y === undefined || !validTile(z, x, y)) {
      return apiError(c, 400, 'Invalid tile coordinates');
    }
    const source = await resolve(principal, spec);
    c.header('Cache-Control', 'private, max-age=3600');
    const key = `${id}/${z}/${x}/${y}`;
    let bytes = tileCache.get(key);
    if (bytes === undefined) {
      const sql = new SqlBuilder();
      const where = whereClause(sql, source, spec, [bboxToSql(sql, tileBBox(z, x, y))]);
      const properties = (spec.columns ?? source.columns.map((col) => col.name)).filter(
        (name) => name !== 'geom',
      );
      const select = properties.map((name) => column(source, name)).join(', ');
      const rows = (
        await ctx.db.query(
          `SELECT ${select}${select ? ', ' : ''}geom FROM ${source.relation} ${where} ORDER BY __rank LIMIT ${TILE_FEATURE_LIMIT}`,
          sql.params,
        )
      ).rows;
      const features: Feature[] = rows.map((row) => {
        const props: Record<string, string | number | boolean> = {};
        for (const name of properties) {
          const value = row[name];
          if (value !== null && value !== undefined)
            props[name] =
              typeof value === 'object'
                ? JSON.stringify(value)
                : (value as string | number | boolean);
        }
        return {
          type: 'Feature',
          properties: props,
          geometry: JSON.parse(String(row.geom)) as Geometry,
        };
      });
      bytes = encodeMvt(features, z, x, y);
      if (tileCache.size > 2000) tileCache.delete(tileCache.keys().next().value ?? '');
      tileCache.set(key, bytes);
    }
    if (!bytes) return c.body(null, 204);
    c.header('Content-Type', 'application/vnd.mapbox-vector-tile');
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200);
  });

  app.get('/v3/maps/:connection/:type', instantiate);
  app.post('/v3/maps/:connection/:type', instantiate);
  app.get('/v3/maps/:connection/:type/:id/tilejson', tilejson);
  app.get('/v3/maps/:connection/:type/:id/tiles/:z/:x/:y', tile);
  return app;
}
