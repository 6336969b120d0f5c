/** GeoJSON helpers shared by the app and the emulator. */
export type BBox = [west: number, south: number, east: number, north: number];

/**
 * The [west, south, east, north] of a GeoJSON geometry (GeometryCollections included), a list of
 * geometries, or bare coordinates at any nesting; null when there is no position. A loop, not `Math.min(...xs)`,
 * which overflows the stack on large polygons.
 */
export function bboxOf(input: unknown): BBox | null {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const stack: unknown[] = [input];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      const [x, y] = node as unknown[];
      if (typeof x === 'number' && typeof y === 'number') {
        if (x < box[0]) box[0] = x;
        if (y < box[1]) box[1] = y;
        if (x > box[2]) box[2] = x;
        if (y > box[3]) box[3] = y;
      } else for (const child of node) stack.push(child);
    } else if (node && typeof node === 'object') {
      const geometry = node as { coordinates?: unknown; geometries?: unknown };
      if ('geometries' in geometry) stack.push(geometry.geometries);
      else stack.push(geometry.coordinates);
    }
  }
  return box[0] <= box[2] && box[1] <= box[3] ? box : null;
}
