import type { Geometry, Position } from 'geojson';

/**
 * world-atlas is made for spherical rendering (d3-geo): a ring that crosses the antimeridian
 * jumps from +179 to -179. In Web Mercator (maplibre, MVT) that draws a sliver around the whole
 * world, so such rings are unwrapped to be continuous (longitudes past 180 are fine there).
 */
function unwrapRing(ring: Position[]): Position[] {
  let offset = 0;
  let previous: number | undefined;
  return ring.map(([lon = 0, lat = 0]) => {
    if (previous !== undefined) {
      if (lon + offset - previous > 180) offset -= 360;
      else if (previous - (lon + offset) > 180) offset += 360;
    }
    previous = lon + offset;
    return [lon + offset, lat];
  });
}

export function unwrapGeometry(geometry: Geometry): Geometry {
  switch (geometry.type) {
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map(unwrapRing) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map((p) => p.map(unwrapRing)) };
    case 'LineString':
      return { ...geometry, coordinates: unwrapRing(geometry.coordinates) };
    case 'MultiLineString':
      return { ...geometry, coordinates: geometry.coordinates.map(unwrapRing) };
    default:
      return geometry;
  }
}
