import type { Geometry } from 'geojson';

const isPosition = (value: unknown): boolean =>
  Array.isArray(value) &&
  value.length >= 2 &&
  value.every((n) => typeof n === 'number' && Number.isFinite(n));

/** Nested lists of positions, `depth` lists deep (0: a position). A loop over each level. */
function isPositions(value: unknown, depth: number): boolean {
  if (depth === 0) return isPosition(value);
  return Array.isArray(value) && value.every((item) => isPositions(item, depth - 1));
}

const DEPTHS: ReadonlyMap<string, number> = new Map([
  ['Point', 0],
  ['MultiPoint', 1],
  ['LineString', 1],
  ['MultiLineString', 2],
  ['Polygon', 2],
  ['MultiPolygon', 3],
]);

/** Whether a value is a GeoJSON geometry the tiler can take (collections nest 8 deep at most). */
export function isGeometry(value: unknown, nesting = 0): value is Geometry {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const { type, coordinates, geometries } = value as Record<string, unknown>;
  if (type === 'GeometryCollection')
    return (
      nesting < 8 &&
      Array.isArray(geometries) &&
      geometries.every((g) => isGeometry(g, nesting + 1))
    );
  const depth = typeof type === 'string' ? DEPTHS.get(type) : undefined;
  return depth !== undefined && isPositions(coordinates, depth);
}
