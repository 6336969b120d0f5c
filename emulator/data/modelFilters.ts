import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { DataContext } from './dataContext';
import { bboxOf } from '../../protocol/geojson';
import { QueryError } from './database';
import { bboxToSql, filtersToSql, SqlBuilder, type BBox } from './filters';
import type { ResolvedSource } from './sources';
import { PolygonIndex, type PolygonCoordinates } from './polygonIndex';
import { cachedRows, parseFiltersMode, spatialIndexClause } from './indexFilters';
import { isSpatialIndex } from './maps/mapSpec';

/**
 * Vertices a spatial filter may have: a drawn shape has hundreds, Canada at 1:50m 11,573. The
 * exact test for point rows costs rows × (edges near each row), so this bounds its time.
 */
const MAX_SPATIAL_FILTER_VERTICES = 20_000;

const finite = z.number({ error: 'must be a finite number' });
const position = z
  .array(finite, { error: 'must be a position [longitude, latitude]' })
  .min(2, 'a position needs a longitude and a latitude');
const ring = z
  .array(position, { error: 'must be a ring (a list of positions)' })
  .min(3, 'a ring needs at least 3 positions');
const polygon = z
  .array(ring, { error: 'must be a list of rings' })
  .min(1, 'a polygon needs at least one ring');
const spatialFilterSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('Polygon'), coordinates: polygon }),
    z.object({
      type: z.literal('MultiPolygon'),
      coordinates: z
        .array(polygon, { error: 'must be a list of polygons' })
        .min(1, 'a MultiPolygon needs at least one polygon'),
    }),
  ],
  { error: 'must be a GeoJSON Polygon or MultiPolygon' },
);

type Position = number[];
type SpatialFilter = z.infer<typeof spatialFilterSchema>;

/** Positions in a (Multi)Polygon-shaped value, counted before anything else looks at it. */
function vertexCount(value: unknown): number {
  const geometry = value as { type?: unknown; coordinates?: unknown } | null;
  if (!geometry || typeof geometry !== 'object' || !Array.isArray(geometry.coordinates)) return 0;
  const polygons: unknown[] =
    geometry.type === 'MultiPolygon' ? geometry.coordinates : [geometry.coordinates];
  let count = 0;
  for (const rings of polygons) {
    if (!Array.isArray(rings)) continue;
    for (const positions of rings) if (Array.isArray(positions)) count += positions.length;
  }
  return count;
}

/** A client's spatial filter, checked: a 400 saying where it is malformed, a 413 when too big. */
function parseSpatialFilter(value: unknown, name = 'spatialFilters.geom'): SpatialFilter {
  const vertices = vertexCount(value);
  if (vertices > MAX_SPATIAL_FILTER_VERTICES) {
    throw new QueryError(
      `${name} has ${vertices.toLocaleString('en-US')} vertices; the emulator takes at most ${MAX_SPATIAL_FILTER_VERTICES.toLocaleString('en-US')}: simplify the polygon.`,
      413,
    );
  }
  const parsed = spatialFilterSchema.safeParse(value);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const path = (issue?.path ?? []).map((p) =>
      typeof p === 'number' ? `[${p}]` : `.${String(p)}`,
    );
    throw new QueryError(`${name}${path.join('')} ${issue?.message ?? 'is malformed'}.`);
  }
  return parsed.data;
}

const polygonsOf = (geometry: SpatialFilter): PolygonCoordinates[] =>
  geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;

/** Each polygon's bounding box, and whether the polygon is exactly that rectangle. */
function polygonBoxes(geometry: SpatialFilter): { bbox: BBox; rectangle: boolean }[] {
  return polygonsOf(geometry).flatMap((rings) => {
    const bbox = bboxOf(rings);
    if (!bbox) return [];
    // A rectangle is one ring whose distinct vertices are exactly the four bbox corners.
    const ring = rings[0] ?? [];
    const corners = new Set(ring.map(([x, y]) => `${String(x)},${String(y)}`));
    const isCorner = ([x, y]: Position) =>
      (x === bbox[0] || x === bbox[2]) && (y === bbox[1] || y === bbox[3]);
    return [{ bbox, rectangle: rings.length === 1 && corners.size === 4 && ring.every(isCorner) }];
  });
}

/** Candidate rows read per query (under the database's row limit). */
const CANDIDATE_PAGE = 50_000;

/** Whether a row's geometry meets the filter's polygons (touching counts). */
function geometryMeets(value: unknown, filter: PolygonIndex, filterPolygons: PolygonCoordinates[]) {
  let parsed: unknown;
  try {
    parsed = typeof value === 'string' ? JSON.parse(value) : value;
  } catch {
    return false; // not GeoJSON: nothing to meet (tiles report such rows)
  }
  const geometries: unknown[] = [parsed];
  const shapes: PolygonCoordinates[] = [];
  const lines: Position[][] = [];
  const points: Position[] = [];
  while (geometries.length > 0) {
    const next = geometries.pop();
    if (!next || typeof next !== 'object') continue;
    const g = next as { type?: unknown; coordinates?: unknown; geometries?: unknown };
    const c = g.coordinates as never;
    switch (g.type) {
      case 'Point':
        points.push(c);
        break;
      case 'MultiPoint':
        points.push(...(c as Position[]));
        break;
      case 'LineString':
        lines.push(c);
        break;
      case 'MultiLineString':
        lines.push(...(c as Position[][]));
        break;
      case 'Polygon':
        shapes.push(c);
        lines.push(...(c as Position[][]));
        break;
      case 'MultiPolygon':
        shapes.push(...(c as PolygonCoordinates[]));
        for (const rings of c as PolygonCoordinates[]) lines.push(...rings);
        break;
      case 'GeometryCollection':
        if (Array.isArray(g.geometries)) geometries.push(...(g.geometries as unknown[]));
        break;
    }
  }
  const inside = ([x = NaN, y = NaN]: Position) => filter.contains(x, y);
  if (points.some(inside) || lines.some((line) => line.some(inside))) return true;
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) {
      const [ax = NaN, ay = NaN] = line[i - 1] ?? [];
      const [bx = NaN, by = NaN] = line[i] ?? [];
      if (filter.crosses(ax, ay, bx, by)) return true;
    }
  }
  // The filter wholly inside a shape (a small view inside a country).
  if (shapes.length === 0) return false;
  const shape = new PolygonIndex(shapes);
  return filterPolygons.some((rings) => {
    const [x = NaN, y = NaN] = rings[0]?.[0] ?? [];
    return shape.contains(x, y);
  });
}

/** The ids of the rows in the filter's boxes that meet its polygons, a page at a time. */
async function exactRows(
  ctx: DataContext,
  source: ResolvedSource,
  polygons: PolygonCoordinates[],
  inBoxes: (builder: SqlBuilder) => string,
  skipPoints: boolean,
): Promise<bigint[]> {
  const filter = new PolygonIndex(polygons);
  const pageSize = Math.min(CANDIDATE_PAGE, ctx.db.maxRows);
  const point = '(__xmin = __xmax AND __ymin = __ymax)';
  const keep: bigint[] = [];
  for (let after = -1n; ;) {
    const page = new SqlBuilder();
    const candidates = await ctx.db.query(
      `SELECT rowid AS id, __xmin AS x, __ymin AS y, CASE WHEN ${point} THEN NULL ELSE CAST(geom AS VARCHAR) END AS g FROM ${source.relation} WHERE ${inBoxes(page)}${skipPoints ? ` AND NOT ${point}` : ''} AND rowid > ${page.param(after)} ORDER BY rowid LIMIT ${pageSize}`,
      page.params,
    );
    for (const r of candidates.rows) {
      const meets =
        r.g === null || r.g === undefined
          ? filter.contains(Number(r.x), Number(r.y))
          : geometryMeets(r.g, filter, polygons);
      if (meets) keep.push(BigInt(Number(r.id)));
    }
    const last = candidates.rows[candidates.rows.length - 1];
    if (candidates.rows.length < pageSize || !last) break;
    after = BigInt(Number(last.id));
  }
  return keep;
}

/**
 * The WHERE clauses of a widget model: the request's column filters, and its spatial filter
 * (a bounding-box test in SQL, then exact in JS: points inside the polygon, lines and shapes
 * that meet it).
 */
export async function modelFilters(
  ctx: DataContext,
  sql: SqlBuilder,
  source: ResolvedSource,
  params: Record<string, unknown>,
): Promise<string[]> {
  const clauses: string[] = [];
  const filters = filtersToSql(sql, source, params.filters, params.filtersLogicalOperator);
  if (filters) clauses.push(filters);
  const spatial = params.spatialFilters;
  if (spatial === undefined || spatial === null || spatial === '') return clauses;
  if (typeof spatial !== 'object' || Array.isArray(spatial)) {
    throw new QueryError(
      'spatialFilters must be an object: {"geom": a GeoJSON Polygon or MultiPolygon}.',
    );
  }
  const type = params.spatialDataType;
  const indexType = typeof type === 'string' && isSpatialIndex(type) ? type : null;
  for (const [geoColumn, value] of Object.entries(spatial)) {
    if (
      indexType &&
      geoColumn === params.spatialDataColumn &&
      source.columns.some((c) => c.name === geoColumn)
    ) {
      const geometry = parseSpatialFilter(value, `spatialFilters.${geoColumn}`);
      const index = {
        spatialDataType: indexType,
        spatialDataColumn: geoColumn,
      };
      const mode = parseFiltersMode(params.spatialFiltersMode);
      clauses.push(await spatialIndexClause(ctx, sql, source, index, polygonsOf(geometry), mode));
      continue;
    }
    if (geoColumn !== 'geom' || !source.hasBbox)
      throw new QueryError(`Spatial filter on unknown column "${geoColumn}"`);
    const geometry = parseSpatialFilter(value, `spatialFilters.${geoColumn}`);
    const boxes = polygonBoxes(geometry);
    if (boxes.length === 0) throw new QueryError('spatialFilters has no coordinates.');
    // Rows whose box meets a polygon's box; e.g. a view across the antimeridian, two rectangles.
    const inBoxes = (builder: SqlBuilder) =>
      `(${boxes.map((b) => bboxToSql(builder, b.bbox)).join(' OR ')})`;
    // Points inside a rectangle are exact by their box; any other row is tested in JS: a point
    // against the polygon, a line or a shape by its vertices and edges (exact, not its box).
    const rectangles = boxes.every((b) => b.rectangle);
    const key = JSON.stringify([source.relation, 'geom', geometry]);
    const keep = await cachedRows(ctx, key, () =>
      exactRows(ctx, source, polygonsOf(geometry), inBoxes, rectangles),
    );
    // Parameters in the order of the text: the boxes', then the list's.
    const boxesSql = inBoxes(sql);
    const kept = keep.length ? `rowid IN (SELECT unnest(${sql.param(listValue(keep))}))` : 'FALSE';
    clauses.push(
      rectangles
        ? `${boxesSql} AND ((__xmin = __xmax AND __ymin = __ymax) OR ${kept})`
        : `${boxesSql} AND ${kept}`,
    );
  }
  return clauses;
}
