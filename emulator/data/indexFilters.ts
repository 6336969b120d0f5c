/**
 * Spatial filters on spatial-index sources (H3 and quadbin cells), as CARTO's widgets send them:
 * `spatialFilters: {<index column>: polygon}` with `spatialFiltersMode` `center` (the cell's
 * centre is inside), `intersects` (the cell and the polygon overlap; the default) or `contains`
 * (the cell is wholly inside). Each cell is tested exactly against the polygon (planar, in
 * degrees, as the filter's own edges are drawn), then the matching rows are kept by row id.
 */
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import {
  cellToBoundary,
  cellToLatLng,
  getHexagonAreaAvg,
  gridDisk,
  latLngToCell,
  POLYGON_TO_CELLS_FLAGS,
  polygonToCellsExperimental,
  UNITS,
} from 'h3-js';
import { bboxOf } from '../../protocol/geojson';
import { cellToTile } from 'quadbin';
import { QueryError } from './database';
import type { DataContext } from './dataContext';
import { SqlBuilder } from './filters';
import { PolygonIndex, type PolygonCoordinates } from './polygonIndex';
import type { ResolvedSource } from './sources';
import { fastTileToCell, parentCellSql, pointToCell, pointToTile } from './spatialIndex';
import { h3ParentSql } from './h3Index';
import { cellSql, indexResolution } from './maps/mapSources';
import type { SpatialIndexType } from './maps/mapSpec';

export type SpatialFiltersMode = 'center' | 'intersects' | 'contains';

const MODES: readonly SpatialFiltersMode[] = ['center', 'intersects', 'contains'];

/** Rows a spatial filter reads per query, and in all (past that, a 413 that says so). */
const PAGE = 50_000;
const MAX_SCANNED = 2_000_000;

export function parseFiltersMode(value: unknown): SpatialFiltersMode {
  if (value === undefined || value === null || value === '') return 'intersects';
  if (typeof value === 'string' && (MODES as readonly string[]).includes(value)) {
    return value as SpatialFiltersMode;
  }
  throw new QueryError(`spatialFiltersMode must be one of ${MODES.join(', ')}.`);
}

type Ring = [number, number][];

interface CellShape {
  center: [number, number];
  /** The cell's outline, closed (first = last), in degrees. */
  ring: Ring;
}

function tileLat(y: number, z: number): number {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
}

function quadbinShape(cell: bigint): CellShape {
  const { z, x, y } = cellToTile(cell);
  const lon = (t: number) => (t / 2 ** z) * 360 - 180;
  const [west, east, north, south] = [lon(x), lon(x + 1), tileLat(y, z), tileLat(y + 1, z)];
  return {
    center: [(west + east) / 2, tileLat(y + 0.5, z)],
    ring: [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ],
  };
}

function h3Shape(cell: string): CellShape {
  const [lat, lng] = cellToLatLng(cell);
  return { center: [lng, lat], ring: cellToBoundary(cell, true) };
}

/**
 * A cell across the antimeridian has an outline that jumps from +180 to −180: it is tested as
 * it lies on either side (all longitudes east of −180, or all west of +180).
 */
function unwrapped(shape: CellShape): CellShape[] {
  const lons = shape.ring.map(([x]) => x);
  if (Math.max(...lons) - Math.min(...lons) <= 180) return [shape];
  const shift = (offset: number, keep: (x: number) => boolean) => {
    const move = ([x, y]: [number, number]): [number, number] => [keep(x) ? x : x + offset, y];
    return { center: move(shape.center), ring: shape.ring.map(move) };
  };
  return [shift(360, (x) => x >= 0), shift(-360, (x) => x <= 0)];
}

/** Whether a cell passes the filter in `mode`; `holdsVertex` says a polygon vertex is in it. */
function cellMatches(
  polygon: PolygonIndex,
  shape: CellShape,
  holdsVertex: boolean,
  mode: SpatialFiltersMode,
): boolean {
  const { center, ring } = shape;
  if (mode === 'center') return polygon.contains(center[0], center[1]);
  let crossed = false;
  for (let i = 1; i < ring.length && !crossed; i++) {
    const [ax, ay] = ring[i - 1] ?? [0, 0];
    const [bx, by] = ring[i] ?? [0, 0];
    crossed = polygon.crosses(ax, ay, bx, by);
  }
  if (mode === 'contains') {
    return !crossed && !holdsVertex && ring.every(([x, y]) => polygon.contains(x, y));
  }
  return (
    crossed ||
    holdsVertex ||
    polygon.contains(center[0], center[1]) ||
    ring.some(([x, y]) => polygon.contains(x, y))
  );
}

/** Coarse cells a candidate test may list: enough to skip most rows, cheap to compute. */
const MAX_COARSE_CELLS = 4_096;

/** Square degrees to km² at the equator (an over-estimate of area elsewhere: safe here). */
const KM2_PER_SQUARE_DEGREE = 111.32 * 111.32;

/**
 * A cheap SQL test that keeps every cell that may pass (and some that do not): the cells'
 * ancestors at a coarser resolution, among those near the polygon. Null when it would not
 * narrow anything down (a polygon across more than half the world).
 */
function candidateSql(
  sql: SqlBuilder,
  type: SpatialIndexType,
  cell: string,
  polygons: PolygonCoordinates[],
  resolution: number,
): string | null {
  const boxes = polygons.map((rings) => bboxOf(rings)).filter((b) => b !== null);
  if (boxes.some(([west, , east]) => east - west > 180)) return null;
  const coarse = new Set<bigint>();
  if (type === 'h3') {
    const area = boxes.reduce((sum, [w, s, e, n]) => sum + (e - w) * (n - s), 0);
    let r = resolution;
    while (
      r > 0 &&
      (area * KM2_PER_SQUARE_DEGREE) / getHexagonAreaAvg(r, UNITS.km2) > MAX_COARSE_CELLS
    )
      r--;
    // A cell's descendants reach a little past it (H3 is not strictly nested): the cells
    // around those that meet the polygon are candidates too.
    for (const rings of polygons) {
      const cells = polygonToCellsExperimental(
        rings,
        r,
        POLYGON_TO_CELLS_FLAGS.containmentOverlapping,
        true,
      );
      for (const c of cells) for (const near of gridDisk(c, 1)) coarse.add(BigInt(`0x${near}`));
    }
    if (coarse.size === 0) return 'FALSE';
    return `${h3ParentSql(cell, r)} IN (SELECT unnest(${sql.param(listValue([...coarse]))}))`;
  }
  let z = resolution;
  const tilesAt = (zoom: number) =>
    boxes.reduce((sum, [w, s, e, n]) => {
      const [x0, y0] = pointToTile(w, n, zoom);
      const [x1, y1] = pointToTile(e, s, zoom);
      return sum + (x1 - x0 + 1) * (y1 - y0 + 1);
    }, 0);
  while (z > 0 && tilesAt(z) > MAX_COARSE_CELLS) z--;
  for (const [w, s, e, n] of boxes) {
    const [x0, y0] = pointToTile(w, n, z);
    const [x1, y1] = pointToTile(e, s, z);
    for (let x = x0; x <= x1; x++)
      for (let y = y0; y <= y1; y++) coarse.add(fastTileToCell(z, x, y));
  }
  return `${parentCellSql(cell, z)} IN (SELECT unnest(${sql.param(listValue([...coarse]))}))`;
}

/**
 * The SQL clause keeping the rows of a spatial-index source whose cell passes the filter: the
 * source's cells are read a page at a time, tested, and the matching rows kept by row id.
 */
export async function spatialIndexClause(
  ctx: DataContext,
  sql: SqlBuilder,
  source: ResolvedSource,
  index: { spatialDataType: SpatialIndexType; spatialDataColumn: string },
  polygons: PolygonCoordinates[],
  mode: SpatialFiltersMode,
): Promise<string> {
  const key = JSON.stringify([source.relation, index, mode, polygons]);
  const keep = await cachedRows(ctx, key, () => matchingRows(ctx, source, index, polygons, mode));
  return keep.length ? `rowid IN (SELECT unnest(${sql.param(listValue(keep))}))` : 'FALSE';
}

const MAX_CACHED_FILTERS = 16;
const matchedRows = new WeakMap<object, Map<string, Promise<bigint[]>>>();

/**
 * The row ids a spatial filter keeps, found once for the widgets of one view (they all send the
 * same filter). Kept per database (a relation names its rows only there), the latest few.
 */
export function cachedRows(
  ctx: DataContext,
  key: string,
  find: () => Promise<bigint[]>,
): Promise<bigint[]> {
  let cache = matchedRows.get(ctx.db);
  if (!cache) matchedRows.set(ctx.db, (cache = new Map<string, Promise<bigint[]>>()));
  let rows = cache.get(key);
  if (!rows) {
    const pending = find();
    rows = pending;
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
    if (cache.size > MAX_CACHED_FILTERS) cache.delete(cache.keys().next().value ?? '');
  }
  return rows;
}

/** The row ids of the source whose cell passes the filter. */
async function matchingRows(
  ctx: DataContext,
  source: ResolvedSource,
  index: { spatialDataType: SpatialIndexType; spatialDataColumn: string },
  polygons: PolygonCoordinates[],
  mode: SpatialFiltersMode,
): Promise<bigint[]> {
  const h3 = index.spatialDataType === 'h3';
  const resolution = await indexResolution(ctx.db, source, index);
  const polygon = new PolygonIndex(polygons);
  // The cells holding a vertex of the polygon: the polygon reaches into them.
  const vertexCells = new Set<string>();
  for (const rings of polygons) {
    for (const ring of rings) {
      for (const [lon = 0, lat = 0] of ring) {
        vertexCells.add(
          h3 ? latLngToCell(lat, lon, resolution) : String(pointToCell(lon, lat, resolution)),
        );
      }
    }
  }
  const cell = cellSql(source, index);
  const id = h3 ? `lower(printf('%x', ${cell}))` : `CAST(${cell} AS VARCHAR)`;
  const keep: bigint[] = [];
  let scanned = 0;
  const candidates = new SqlBuilder();
  const near = candidateSql(candidates, index.spatialDataType, cell, polygons, resolution);
  if (near === 'FALSE') return [];
  for (let after = -1n; ;) {
    // Parameters in the order of the text: the candidates' list, then the page's start.
    const page = await ctx.db.query(
      `SELECT rowid AS row, ${id} AS cell FROM ${source.relation} WHERE ${cell} IS NOT NULL${near ? ` AND ${near}` : ''} AND rowid > ? ORDER BY rowid LIMIT ${PAGE}`,
      [...candidates.params, after],
    );
    for (const r of page.rows) {
      const text = String(r.cell);
      const shape = h3 ? h3Shape(text) : quadbinShape(BigInt(text));
      const holdsVertex = vertexCells.has(text);
      if (unwrapped(shape).some((s) => cellMatches(polygon, s, holdsVertex, mode))) {
        keep.push(BigInt(Number(r.row)));
      }
    }
    scanned += page.rows.length;
    const last = page.rows[page.rows.length - 1];
    if (page.rows.length < PAGE || !last) break;
    if (scanned >= MAX_SCANNED) {
      throw new QueryError(
        `The spatial filter would test more than ${MAX_SCANNED.toLocaleString('en-US')} cells: filter the source first (e.g. a WHERE clause).`,
        413,
      );
    }
    after = BigInt(Number(last.row));
  }
  return keep;
}

/**
 * The extent of a spatial-index column's cells (their outlines) over the rows that pass
 * `where`, as the stats API answers a geometry column's: nulls when no row passes.
 */
export async function indexExtent(
  ctx: DataContext,
  source: ResolvedSource,
  index: { spatialDataType: SpatialIndexType; spatialDataColumn: string },
  where: string,
  params: DuckDBValue[],
): Promise<{ xmin: number | null; ymin: number | null; xmax: number | null; ymax: number | null }> {
  const h3 = index.spatialDataType === 'h3';
  const cell = cellSql(source, index);
  const id = h3 ? `lower(printf('%x', ${cell}))` : `CAST(${cell} AS VARCHAR)`;
  const extent = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity };
  const pageSize = Math.min(PAGE, ctx.db.maxRows);
  for (let offset = 0; ; offset += pageSize) {
    const page = await ctx.db.query(
      `SELECT DISTINCT ${id} AS cell FROM ${source.relation} ${where}${where ? ' AND' : ' WHERE'} ${cell} IS NOT NULL ORDER BY 1 LIMIT ${pageSize} OFFSET ${offset}`,
      params,
    );
    for (const r of page.rows) {
      const text = String(r.cell);
      const shape = h3 ? h3Shape(text) : quadbinShape(BigInt(text));
      for (const [x, y] of shape.ring) {
        extent.xmin = Math.min(extent.xmin, x);
        extent.ymin = Math.min(extent.ymin, y);
        extent.xmax = Math.max(extent.xmax, x);
        extent.ymax = Math.max(extent.ymax, y);
      }
    }
    if (page.rows.length < pageSize) break;
  }
  if (extent.xmin === Infinity) return { xmin: null, ymin: null, xmax: null, ymax: null };
  return extent;
}
