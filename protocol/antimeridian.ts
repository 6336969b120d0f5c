/**
 * Geometry that crosses the antimeridian (±180°) or wraps around a pole, made drawable on a flat
 * Web Mercator map, and bounds that say when data straddles the antimeridian. Shared by the
 * emulator (sample tables, the listing's bounds) and the offline basemap script.
 */
import type { Geometry, Position } from 'geojson';
import type { BBox } from './geojson';

/**
 * world-atlas / us-atlas are made for spherical rendering (d3-geo): a ring that crosses the
 * antimeridian jumps from +179 to -179. In Web Mercator that draws a sliver around the whole
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

const lonOf = (p: Position | undefined) => p?.[0] ?? 0;
const latOf = (p: Position | undefined) => p?.[1] ?? 0;

/** True when a ring or line never jumps across the antimeridian nor leaves [-180, 180]. */
function isFlat(line: Position[]): boolean {
  for (let i = 0; i < line.length; i++) {
    const lon = lonOf(line[i]);
    if (lon < -180 || lon > 180) return false;
    if (i > 0 && Math.abs(lon - lonOf(line[i - 1])) > 180) return false;
  }
  return true;
}

/**
 * A ring that circles a pole within this distance of it is topojson's stitching artefact (the
 * spherical cap it cut away at the pole, e.g. world-atlas's Antarctica ring at -89.999): it
 * encloses no land, and on a flat map it is a zero-height strip, so it is dropped.
 */
const POLAR_ARTEFACT_LAT = 89.99;

/** Planar signed area (shoelace) of a closed ring, in square degrees. */
function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 1; i < ring.length; i++) {
    const a = ring[i - 1];
    const b = ring[i];
    sum += lonOf(a) * latOf(b) - lonOf(b) * latOf(a);
  }
  return sum / 2;
}

/** The point where segment a-b meets the meridian `lon` (a and b on either side of it). */
function atLon(a: Position, b: Position, lon: number): Position {
  const t = (lon - lonOf(a)) / (lonOf(b) - lonOf(a));
  return [lon, latOf(a) + t * (latOf(b) - latOf(a))];
}

/** Sutherland–Hodgman against one half-plane: keeps the side where `inside(lon)` holds. */
function clipHalf(ring: Position[], edge: number, inside: (lon: number) => boolean): Position[] {
  const out: Position[] = [];
  let previous = ring[ring.length - 1];
  for (const current of ring) {
    if (!previous) break;
    const currentIn = inside(lonOf(current));
    if (currentIn !== inside(lonOf(previous))) out.push(atLon(previous, current, edge));
    if (currentIn) out.push(current);
    previous = current;
  }
  return out;
}

/**
 * The part of a closed ring between meridians `west` and `east`, closed, or null when nothing
 * with area is left. A ring that leaves the strip and comes back gives one ring with a
 * zero-width bridge along the meridian, which lies on a tile edge at every zoom (±180° is one),
 * so it never draws.
 */
function clipRing(ring: Position[], west: number, east: number): Position[] | null {
  const open = ring.slice(0, -1);
  const clipped = clipHalf(
    clipHalf(open, west, (lon) => lon >= west),
    east,
    (lon) => lon <= east,
  );
  const [start] = clipped;
  if (!start || clipped.length < 3) return null;
  const closed = [...clipped, start];
  return ringArea(closed) === 0 ? null : closed;
}

/** Shifts a ring's longitudes by `by` degrees (exactly ±180 stays exact: it is an integer). */
const shift = (ring: Position[], by: number): Position[] =>
  by === 0 ? ring : ring.map(([lon = 0, lat = 0]) => [lon + by, lat]);

/** The world copies (k: longitudes [-180 + 360k, 180 + 360k]) that a span touches. */
function worldCopies(min: number, max: number): number[] {
  const first = Math.floor((min + 180) / 360);
  const last = Math.ceil((max + 180) / 360) - 1;
  const copies: number[] = [];
  for (let k = first; k <= Math.max(first, last); k++) copies.push(k);
  return copies;
}

function lonRange(ring: Position[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const p of ring) {
    min = Math.min(min, lonOf(p));
    max = Math.max(max, lonOf(p));
  }
  return [min, max];
}

/**
 * One polygon (exterior + holes) as the polygons it makes on a flat map, each inside
 * [-180, 180]: unwrapped, rings around a pole closed along that pole, then cut at ±180 and the
 * pieces past it shifted back by 360°.
 */
function splitPolygon(rings: Position[][]): Position[][][] {
  if (rings.every(isFlat)) return rings.length > 0 ? [rings] : [];
  const closed: Position[][] = [];
  for (const raw of rings) {
    const ring = unwrapRing(raw);
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (!first || !last) continue;
    // A ring that ends 360° from where it started went once around a pole: on the sphere that
    // is a closed ring (Antarctica's coast), on a flat map it needs the pole's edge to close.
    if (Math.abs(lonOf(last) - lonOf(first)) < 1e-9) {
      closed.push(ring);
      continue;
    }
    if (ring.every((p) => Math.abs(latOf(p)) >= POLAR_ARTEFACT_LAT)) continue;
    const meanLat = ring.reduce((sum, p) => sum + latOf(p), 0) / ring.length;
    const pole = meanLat < 0 ? -90 : 90;
    closed.push([...ring, [lonOf(last), pole], [lonOf(first), pole], first]);
  }
  const [exterior, ...holes] = closed;
  if (!exterior) return [];
  // Holes were unwrapped from their own first point: move each to the exterior's world copy,
  // so that both are cut into the same pieces.
  const [min, max] = lonRange(exterior);
  const centre = (min + max) / 2;
  const aligned = holes.map((hole) => {
    const [hMin, hMax] = lonRange(hole);
    return shift(hole, 360 * Math.round((centre - (hMin + hMax) / 2) / 360));
  });
  const parts: Position[][][] = [];
  for (const k of worldCopies(min, max)) {
    const west = -180 + 360 * k;
    const east = 180 + 360 * k;
    const outer = clipRing(exterior, west, east);
    if (!outer) continue;
    const inner = aligned
      .map((hole) => clipRing(hole, west, east))
      .filter((hole): hole is Position[] => hole !== null);
    parts.push([outer, ...inner].map((ring) => shift(ring, -360 * k)));
  }
  return parts;
}

/** A line as the lines it makes on a flat map, cut where it crosses ±180. */
function splitLine(line: Position[]): Position[][] {
  if (isFlat(line)) return [line];
  const unwrapped = unwrapRing(line);
  const copyOf = (lon: number) => Math.floor((lon + 180) / 360);
  const pieces: Position[][] = [];
  let current: Position[] = [];
  let copy: number | undefined;
  for (const point of unwrapped) {
    const k = copyOf(lonOf(point));
    const previous = current[current.length - 1];
    if (copy !== undefined && k !== copy && previous) {
      // Unwrapped steps are under 180°, so a step crosses at most one ±180 meridian.
      const edge = 180 * Math.sign(k - copy) + 360 * copy;
      const crossing = atLon(previous, point, edge);
      current.push(crossing);
      pieces.push(shift(current, -360 * copy));
      current = [[edge, latOf(crossing)]];
    }
    copy = k;
    current.push(point);
  }
  if (copy !== undefined) pieces.push(shift(current, -360 * copy));
  return pieces.filter((piece) => piece.length >= 2);
}

/**
 * A geometry as RFC 7946 §3.1.9 asks: cut at the antimeridian, every part within
 * [-180, 180], a polygon on both sides a MultiPolygon with a part on each side, and a polygon
 * wrapped around a pole (Antarctica) closed along it. Meant for data in the spherical (d3)
 * convention, where a jump of more than 180° between two points means crossing the
 * antimeridian; a planar polygon that really spans more than 180° in one edge would be misread,
 * so do not apply it to arbitrary uploads. Ring winding is kept as it was.
 */
export function splitAtAntimeridian(geometry: Geometry): Geometry {
  switch (geometry.type) {
    case 'Polygon': {
      const parts = splitPolygon(geometry.coordinates);
      const [only] = parts;
      if (only === geometry.coordinates) return geometry;
      return parts.length === 1 && only
        ? { type: 'Polygon', coordinates: only }
        : { type: 'MultiPolygon', coordinates: parts };
    }
    case 'MultiPolygon':
      if (geometry.coordinates.every((p) => p.every(isFlat))) return geometry;
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.flatMap(splitPolygon) };
    case 'LineString': {
      const pieces = splitLine(geometry.coordinates);
      const [only] = pieces;
      if (only === geometry.coordinates) return geometry;
      return pieces.length === 1 && only
        ? { type: 'LineString', coordinates: only }
        : { type: 'MultiLineString', coordinates: pieces };
    }
    case 'MultiLineString':
      if (geometry.coordinates.every(isFlat)) return geometry;
      return { type: 'MultiLineString', coordinates: geometry.coordinates.flatMap(splitLine) };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map(splitAtAntimeridian) };
    default:
      return geometry;
  }
}

/**
 * A bounds form west > east only pays when it is this much narrower than [min lon, max lon]:
 * below that a fit looks the same, and plain bounds are what every client understands.
 */
const CROSSING_GAIN_DEGREES = 30;

/**
 * Bounds of many geometries that know about the antimeridian. Each part (a polygon, a line, a
 * point) is taken as one span of longitudes; the bounds leave out the widest stretch of
 * longitude that no part covers. When that stretch is not the one across ±180 (Fiji, Russia,
 * the US with the Aleutians), west > east: the bounds cross the antimeridian, as RFC 7946 §5.2
 * writes it (e.g. Fiji [174.6, -21.7, -178.2, -12.5]).
 */
export class LonLatBounds {
  private readonly spans: [number, number][] = [];
  private south = Infinity;
  private north = -Infinity;

  add(geometry: Geometry): this {
    switch (geometry.type) {
      case 'Point':
        this.addPart([geometry.coordinates]);
        break;
      case 'MultiPoint':
        for (const p of geometry.coordinates) this.addPart([p]);
        break;
      case 'LineString':
        this.addPart(geometry.coordinates);
        break;
      case 'MultiLineString':
        for (const line of geometry.coordinates) this.addPart(line);
        break;
      case 'Polygon':
        this.addPart(geometry.coordinates[0] ?? []);
        break;
      case 'MultiPolygon':
        for (const polygon of geometry.coordinates) this.addPart(polygon[0] ?? []);
        break;
      case 'GeometryCollection':
        for (const g of geometry.geometries) this.add(g);
        break;
    }
    return this;
  }

  private addPart(positions: Position[]): void {
    if (positions.length === 0) return;
    let [west, east] = lonRange(positions);
    for (const p of positions) {
      this.south = Math.min(this.south, latOf(p));
      this.north = Math.max(this.north, latOf(p));
    }
    if (east - west >= 360) {
      this.spans.push([-180, 180]);
      return;
    }
    // Unwrapped input (longitudes past ±180) counts where it lands on the globe.
    const k = Math.floor((west + 180) / 360);
    west -= 360 * k;
    east -= 360 * k;
    if (east > 180) this.spans.push([west, 180], [-180, east - 360]);
    else this.spans.push([west, east]);
  }

  /** [west, south, east, north], west > east across the antimeridian; null when empty. */
  result(): BBox | null {
    const sorted = [...this.spans].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [w, e] of sorted) {
      const last = merged[merged.length - 1];
      if (last && w <= last[1]) last[1] = Math.max(last[1], e);
      else merged.push([w, e]);
    }
    const [first] = merged;
    const last = merged[merged.length - 1];
    if (!first || !last) return null;
    const across = first[0] + 360 - last[1];
    // The widest gap between two neighbouring spans: [east of the one before, west of the next].
    let widest = 0;
    let west = first[0];
    let east = last[1];
    merged.reduce((before, next) => {
      if (next[0] - before[1] > widest) {
        widest = next[0] - before[1];
        west = next[0];
        east = before[1];
      }
      return next;
    });
    if (widest - across < CROSSING_GAIN_DEGREES) {
      return [first[0], this.south, last[1], this.north];
    }
    return [west, this.south, east, this.north];
  }
}
