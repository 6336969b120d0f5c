import { listValue } from '@duckdb/node-api';
import type { DataContext } from './dataContext';
import { bboxOf } from '../../protocol/geojson';
import { QueryError } from './database';
import { bboxToSql, filtersToSql, SqlBuilder, type BBox } from './filters';
import type { ResolvedSource } from './sources';

/** A GeoJSON (Multi)Polygon's bounding box, and whether it is exactly that rectangle. */
function spatialFilterBox(filter: unknown): { bbox: BBox; rectangle: boolean } {
  const geometry = filter as { type?: string; coordinates?: unknown } | null;
  if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
    throw new QueryError('spatialFilters must be a GeoJSON Polygon or MultiPolygon.');
  }
  const polygons = (
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  ) as number[][][][];
  const points = polygons.flat(2);
  if (
    !Array.isArray(points) ||
    points.some((p) => !Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number')
  ) {
    throw new QueryError('spatialFilters coordinates are malformed.');
  }
  const bbox = bboxOf(points);
  if (!bbox) throw new QueryError('spatialFilters has no coordinates.');
  // A rectangle is one ring whose distinct vertices are exactly the four bbox corners.
  const ring = polygons[0]?.[0] ?? [];
  const corners = new Set(ring.map(([x, y]) => `${String(x)},${String(y)}`));
  const isCorner = ([x, y]: number[]) =>
    (x === bbox[0] || x === bbox[2]) && (y === bbox[1] || y === bbox[3]);
  const rectangle =
    polygons.length === 1 &&
    (polygons[0]?.length ?? 0) === 1 &&
    corners.size === 4 &&
    ring.every(isCorner);
  return { bbox, rectangle };
}

/** Ray casting for points against (Multi)Polygon rings (holes included by parity). */
function pointInGeometry(
  x: number,
  y: number,
  geometry: { type: string; coordinates: unknown },
): boolean {
  const polygons = (
    geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  ) as number[][][][];
  let inside = false;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi = 0, yi = 0] = ring[i] ?? [];
        const [xj = 0, yj = 0] = ring[j] ?? [];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/**
 * The WHERE clauses of a widget model: the request's column filters, and its spatial filter
 * (a bounding-box test in SQL, made exact for point rows when the polygon is not a rectangle).
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
  const spatial = params.spatialFilters as Record<string, unknown> | undefined;
  if (spatial && typeof spatial === 'object') {
    for (const [geoColumn, geometry] of Object.entries(spatial)) {
      if (geoColumn !== 'geom' || !source.hasBbox)
        throw new QueryError(`Spatial filter on unknown column "${geoColumn}"`);
      const { bbox, rectangle } = spatialFilterBox(geometry);
      clauses.push(bboxToSql(sql, bbox));
      if (!rectangle) {
        // Exact test for point rows in JS; polygons and lines keep the bounding-box test.
        const inBox = new SqlBuilder();
        const candidates = await ctx.db.query(
          `SELECT rowid AS id, __xmin AS x, __ymin AS y, (__xmin = __xmax AND __ymin = __ymax) AS point FROM ${source.relation} WHERE ${bboxToSql(inBox, bbox)}`,
          inBox.params,
        );
        const keep = candidates.rows
          .filter(
            (r) =>
              !r.point ||
              pointInGeometry(
                Number(r.x),
                Number(r.y),
                geometry as { type: string; coordinates: unknown },
              ),
          )
          .map((r) => Number(r.id));
        clauses.push(
          `rowid IN (SELECT unnest(${sql.param(listValue(keep.map((id) => BigInt(id))))}))`,
        );
      }
    }
  }
  return clauses;
}
