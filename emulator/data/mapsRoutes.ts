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
  aggregationSelect,
  checkAggregationExp,
  childRange,
  DEFAULT_AGGREGATION_RES_LEVEL,
  encodeSpatialTile,
  MAX_QUADBIN_RESOLUTION,
  parentCellSql,
  parseTileCell,
  resolutionSql,
  SPATIAL_TILE_CONTENT_TYPE,
  type SpatialTileCells,
} from './spatialIndex';
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
  aggregationExp?: string;
  aggregationResLevel?: number;
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
  async function check(source: ResolvedSource, spec: MapSourceSpec): Promise<void> {
    if (spec.spatialDataType === 'quadbin') {
      await checkQuadbin(source, spec);
    } else if (spec.spatialDataType !== 'geo') {
      throw new QueryError(
        `spatialDataType "${spec.spatialDataType}" tiles are not available in the emulator ("geo" and "quadbin" sources only).`,
      );
    } else if (
      spec.spatialDataColumn !== 'geom' ||
      !source.columns.some((c) => c.name === 'geom')
    ) {
      throw new ColumnNotFoundError(spec.spatialDataColumn);
    }
    for (const name of spec.columns ?? []) column(source, name);
    filtersToSql(new SqlBuilder(), source, spec.filters, spec.filtersLogicalOperator);
  }

  async function checkQuadbin(source: ResolvedSource, spec: MapSourceSpec): Promise<void> {
    const index = source.columns.find((c) => c.name === spec.spatialDataColumn);
    if (!index) throw new ColumnNotFoundError(spec.spatialDataColumn);
    if (!/INT/i.test(index.type)) {
      throw new QueryError(
        `Column "${spec.spatialDataColumn}" is ${index.type}, not a quadbin index (an integer).`,
      );
    }
    if (spec.aggregationExp === undefined) {
      throw new QueryError(
        'aggregationExp is required for quadbin sources, e.g. "SUM(population) AS population".',
      );
    }
    const level = spec.aggregationResLevel;
    if (level === undefined || !Number.isInteger(level) || level < 0 || level > 12) {
      throw new QueryError('aggregationResLevel must be a whole number from 0 to 12.');
    }
    await checkAggregationExp(ctx.db, spec.aggregationExp);
  }

  const resolutions = new Map<string, Promise<number>>();
  /** The one resolution of a quadbin source's cells (tiles select them as a range). */
  function quadbinResolution(source: ResolvedSource, spec: MapSourceSpec): Promise<number> {
    const key = `${source.relation}/${spec.spatialDataColumn}`;
    let pending = resolutions.get(key);
    if (!pending) {
      pending = readQuadbinResolution(source, spec);
      pending.catch(() => resolutions.delete(key));
      resolutions.set(key, pending);
    }
    return pending;
  }

  async function readQuadbinResolution(source: ResolvedSource, spec: MapSourceSpec) {
    const index = column(source, spec.spatialDataColumn);
    const r = await ctx.db.query(
      `SELECT min(${resolutionSql(index)}) AS lo, max(${resolutionSql(index)}) AS hi FROM ${source.relation} WHERE ${index} IS NOT NULL`,
    );
    const lo = r.rows[0]?.lo as number | null;
    const hi = r.rows[0]?.hi as number | null;
    if (lo !== hi) {
      throw new QueryError(
        `The quadbin column "${spec.spatialDataColumn}" mixes resolutions ${String(lo)} to ${String(hi)}: use one resolution.`,
      );
    }
    return hi ?? MAX_QUADBIN_RESOLUTION;
  }

  function whereClause(
    sql: SqlBuilder,
    source: ResolvedSource,
    spec: MapSourceSpec,
    extra: string[] = [],
  ): string {
    const filters = filtersToSql(sql, source, spec.filters, spec.filtersLogicalOperator);
    const present = `${column(source, spec.spatialDataColumn)} IS NOT NULL`;
    const clauses = [...extra, ...(filters ? [filters] : []), present];
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
    const spatialDataType = textParam(params.spatialDataType, 'spatialDataType', 'geo');
    const level = textParam(params.aggregationResLevel, 'aggregationResLevel', '');
    const aggregationExp = textParam(params.aggregationExp, 'aggregationExp', '');
    const spec: MapSourceSpec = {
      connection,
      type,
      ...(type === 'table'
        ? { name: textParam(params.name, 'name') }
        : { q: textParam(params.q, 'q'), queryParameters: params.queryParameters }),
      columns: parseColumns(params.columns),
      filters: params.filters,
      filtersLogicalOperator: params.filtersLogicalOperator,
      spatialDataColumn: textParam(
        params.spatialDataColumn,
        'spatialDataColumn',
        spatialDataType === 'geo' ? 'geom' : spatialDataType,
      ),
      spatialDataType,
      ...(spatialDataType === 'quadbin'
        ? {
            ...(aggregationExp ? { aggregationExp } : {}),
            aggregationResLevel: level === '' ? DEFAULT_AGGREGATION_RES_LEVEL : Number(level),
          }
        : {}),
    };
    const source = await resolve(principal, spec);
    await check(source, spec);
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

  /** The TileJSON fields every source has (`base` is where its tiles live). */
  function tilejsonHeader(id: string, spec: MapSourceSpec, bounds: number[]) {
    const [west = -180, south = -85.05, east = 180, north = 85.05] = bounds;
    return {
      tilejson: '3.0.0',
      name: spec.name ?? 'query',
      description: '',
      version: '1.0.0',
      attribution: 'CARTO platform emulator',
      scheme: 'xyz',
      base: `${ctx.auth.issuer}/v3/maps/${encodeURIComponent(spec.connection)}/${spec.type}/${id}`,
      bounds,
      center: [(west + east) / 2, (south + north) / 2, 2],
    };
  }

  async function buildTilejson(principal: Principal, id: string, spec: MapSourceSpec) {
    const source = await resolve(principal, spec);
    if (spec.spatialDataType === 'quadbin') return buildQuadbinTilejson(source, id, spec);
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
    const { base, ...header } = tilejsonHeader(id, spec, bounds);
    return {
      ...header,
      tiles: [`${base}/tiles/{z}/{x}/{y}?formatTiles=mvt`],
      minzoom: 0,
      maxzoom: MAX_ZOOM,
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

  /** SQL aggregating a quadbin source to `resolution`, over the cells in [lo, hi]. */
  function aggregationSql(
    sql: SqlBuilder,
    source: ResolvedSource,
    spec: MapSourceSpec,
    resolution: number,
    range?: [bigint, bigint],
  ): string {
    const index = column(source, spec.spatialDataColumn);
    const extra = range
      ? [`${index} BETWEEN ${sql.param(range[0])} AND ${sql.param(range[1])}`]
      : [];
    const inner = `(SELECT * FROM ${source.relation} ${whereClause(sql, source, spec, extra)}) AS __agg`;
    const cell = `CAST(${parentCellSql(`__agg.${index}`, resolution)} AS VARCHAR)`;
    return aggregationSelect(spec.aggregationExp ?? '', inner, cell);
  }

  const isNumericType = (type: string) =>
    /INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/i.test(type) && !/\[\]|MAP|STRUCT/i.test(type);

  async function buildQuadbinTilejson(source: ResolvedSource, id: string, spec: MapSourceSpec) {
    const dataResolution = await quadbinResolution(source, spec);
    const level = spec.aggregationResLevel ?? DEFAULT_AGGREGATION_RES_LEVEL;
    const maxresolution = Math.max(0, dataResolution - level);
    // Value ranges over the finest tiles' cells (what a legend needs), computed in SQL.
    const described = new SqlBuilder();
    const cells = `(${aggregationSql(described, source, spec, dataResolution)}) AS __cells`;
    const outputs = (
      await ctx.db.query(`SELECT * FROM ${cells} LIMIT 0`, described.params)
    ).columns.filter((col) => col.name !== '__cell');
    const numeric = outputs.filter((col) => isNumericType(col.type));
    const stats = new SqlBuilder();
    const ranges = numeric.flatMap((col, i) => {
      const quoted = column({ columns: outputs }, col.name);
      return [`min(${quoted}) AS min_${i}`, `max(${quoted}) AS max_${i}`];
    });
    const [row = {}] = (
      await ctx.db.query(
        `SELECT ${['count(*) AS n', ...ranges].join(', ')} FROM (${aggregationSql(stats, source, spec, dataResolution)}) AS __cells`,
        stats.params,
      )
    ).rows;
    const attributes = outputs.map((col) => {
      const i = numeric.indexOf(col);
      if (i < 0) return { attribute: col.name, type: 'String' };
      return { attribute: col.name, type: 'Number', min: row[`min_${i}`], max: row[`max_${i}`] };
    });
    const bounds = source.table?.bounds ?? [-180, -85.05, 180, 85.05];
    const { base, ...header } = tilejsonHeader(id, spec, bounds);
    return {
      ...header,
      tiles: [`${base}/tiles/{i}?formatTiles=binary&spatialIndex=quadbin`],
      minresolution: 0,
      maxresolution,
      minzoom: 0,
      maxzoom: maxresolution,
      tilestats: {
        layerCount: 1,
        layers: [
          {
            layer: 'default',
            count: Number(row.n ?? 0),
            attributeCount: attributes.length,
            attributes,
          },
        ],
      },
      schema: outputs.map((col) => ({ name: col.name, type: col.type.toLowerCase() })),
    };
  }

  async function quadbinTile(source: ResolvedSource, spec: MapSourceSpec, hex: string) {
    const { z, x, y } = parseTileCell(hex);
    const dataResolution = await quadbinResolution(source, spec);
    if (z > dataResolution) return null;
    const level = spec.aggregationResLevel ?? DEFAULT_AGGREGATION_RES_LEVEL;
    const resolution = Math.min(dataResolution, z + level);
    const sql = new SqlBuilder();
    const result = await ctx.db.query(
      aggregationSql(sql, source, spec, resolution, childRange(z, x, y, dataResolution)),
      sql.params,
    );
    if (result.rows.length === 0) return null;
    const tile: SpatialTileCells = {
      cells: result.rows.map((row) => BigInt(String(row.__cell))),
      numeric: new Map(),
      text: new Map(),
    };
    for (const col of result.columns) {
      if (col.name === '__cell') continue;
      const values = result.rows.map((row) => row[col.name]);
      if (isNumericType(col.type)) {
        tile.numeric.set(
          col.name,
          Float64Array.from(values, (v) => (v == null ? NaN : Number(v))),
        );
      } else {
        tile.text.set(
          col.name,
          values.map((v) =>
            v == null ? undefined : typeof v === 'string' ? v : JSON.stringify(v),
          ),
        );
      }
    }
    return encodeSpatialTile(tile);
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

  /** The instantiated source a tile URL names, if it has this kind of tiles. */
  function tileSpec(c: Context, kind: 'geo' | 'quadbin'): MapSourceSpec | Response {
    const spec = specs.get(c.req.param('id') ?? '');
    if (!spec) return apiError(c, 404, 'Unknown map source: instantiate it again.');
    if (spec.spatialDataType === kind) return spec;
    return kind === 'geo'
      ? apiError(c, 400, 'This source has spatial-index tiles ({i}), not z/x/y tiles.')
      : apiError(c, 400, 'This source has z/x/y tiles, not spatial-index tiles.');
  }

  /** Serves a tile from the cache or `produce`: 204 when it is empty. */
  async function cachedTile(
    c: Context,
    key: string,
    contentType: string,
    produce: () => Promise<Uint8Array | null>,
  ) {
    c.header('Cache-Control', 'private, max-age=3600');
    let bytes = tileCache.get(key);
    if (bytes === undefined) {
      bytes = await produce();
      if (tileCache.size > 2000) tileCache.delete(tileCache.keys().next().value ?? '');
      tileCache.set(key, bytes);
    }
    if (!bytes) return c.body(null, 204);
    c.header('Content-Type', contentType);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200);
  }

  /** A vector tile: the source's features in z/x/y, as MVT (null when empty). */
  async function vectorTile(
    source: ResolvedSource,
    spec: MapSourceSpec,
    z: number,
    x: number,
    y: number,
  ) {
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
    return encodeMvt(features, z, x, y);
  }

  const tile = dataHandler(ctx, async (c, principal) => {
    const spec = tileSpec(c, 'geo');
    if (spec instanceof Response) return spec;
    const [z, x, y] = ['z', 'x', 'y'].map((k) => Number(c.req.param(k)));
    if (z === undefined || x === undefined || y === undefined || !validTile(z, x, y)) {
      return apiError(c, 400, 'Invalid tile coordinates');
    }
    const source = await resolve(principal, spec);
    const key = `${c.req.param('id') ?? ''}/${z}/${x}/${y}`;
    return cachedTile(c, key, 'application/vnd.mapbox-vector-tile', () =>
      vectorTile(source, spec, z, x, y),
    );
  });

  const spatialTile = dataHandler(ctx, async (c, principal) => {
    const spec = tileSpec(c, 'quadbin');
    if (spec instanceof Response) return spec;
    const source = await resolve(principal, spec);
    const cell = c.req.param('cell') ?? '';
    return cachedTile(c, `${c.req.param('id') ?? ''}/${cell}`, SPATIAL_TILE_CONTENT_TYPE, () =>
      quadbinTile(source, spec, cell),
    );
  });

  app.get('/v3/maps/:connection/:type', instantiate);
  app.post('/v3/maps/:connection/:type', instantiate);
  app.get('/v3/maps/:connection/:type/:id/tilejson', tilejson);
  app.get('/v3/maps/:connection/:type/:id/tiles/:z/:x/:y', tile);
  app.get('/v3/maps/:connection/:type/:id/tiles/:cell', spatialTile);
  return app;
}
