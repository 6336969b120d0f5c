import {
  ANY,
  BOOLEAN,
  DOUBLE,
  DuckDBScalarFunction,
  DuckDBVarCharType,
  INTEGER,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import area from '@turf/area';
import booleanContains from '@turf/boolean-contains';
import booleanIntersects from '@turf/boolean-intersects';
import booleanWithin from '@turf/boolean-within';
import { geoJSONToWkt, wktToGeoJSON } from 'betterknown';
import type { Geometry, Position } from 'geojson';
import { BufferTimeout, bufferInWorker } from './bufferWorker';
import { isGeometry } from './geometry';

/**
 * CARTO's spatial SQL (BigQuery's GEOGRAPHY functions, with the Postgres and Snowflake spellings)
 * as DuckDB scalar functions over the emulator's geometries: GeoJSON text. Distances, areas and
 * buffers are in metres on a sphere of radius 6,371,008.8 m, as BigQuery's are; predicates
 * (intersects, contains, within) test edges as straight lines in longitude/latitude, as the
 * widgets' spatial filters do. The functions run in JavaScript on the main thread, so each
 * input is limited in size and a bad one is an error naming the function, never a crash.
 */

/** A geography result: GeoJSON text, typed so the SQL API knows to send it parsed. */
export const GEOGRAPHY_TYPE = 'GEOGRAPHY';
const GEOGRAPHY = DuckDBVarCharType.create(GEOGRAPHY_TYPE);
/**
 * A geography argument: any type at binding (DuckDB does not cast the GEOGRAPHY alias to
 * VARCHAR by itself), checked to be text when the function runs, so a wrong type is an error
 * that names the function.
 */
const GEO_ARG = ANY;

/** BigQuery's (and CARTO's) mean Earth radius, in metres. */
const EARTH_RADIUS = 6_371_008.8;

const SPATIAL_LIMITS = {
  /** Characters in one geometry's text (GeoJSON or WKT). */
  maxTextChars: 2_000_000,
  /** Positions in one geometry. */
  maxVertices: 100_000,
  /** Segments per quarter circle in ST_BUFFER (BigQuery's default is 8). */
  maxBufferSegments: 64,
  /** Vertices of a line or polygon ST_BUFFER takes (its work grows with them and the radius). */
  maxBufferVertices: 2_000,
  /** Milliseconds one line or polygon buffer may take (self-crossing shapes can take minutes). */
  maxBufferMs: 2_000,
  /** |radius| of ST_BUFFER, in metres. */
  maxBufferRadius: 1_000_000,
  /**
   * Vertex pairs one call of a two-geometry function (ST_INTERSECTS, ST_CONTAINS, ST_WITHIN,
   * ST_DISTANCE, ST_DWITHIN) may compare: their work grows with the product.
   */
  maxPairs: 2_000_000,
  /** Milliseconds the functions may take for one batch of rows (DuckDB's vector of 2,048). */
  maxBatchMs: 3_000,
} as const;

/** A bad argument: the message names the function; DuckDB answers it as an error (a 400). */
class SpatialError extends Error {}

const fmt = (n: number) => n.toLocaleString('en-US');

/** Visits every position; throws past the vertex limit or on a coordinate off the globe. */
function checkPositions(fn: string, geometry: Geometry, maxVertices: number): number {
  let count = 0;
  const visit = (p: Position) => {
    count++;
    if (count > maxVertices)
      throw new SpatialError(
        `${fn}: the geometry has more than ${fmt(maxVertices)} vertices (the emulator's limit).`,
      );
    const [lng = NaN, lat = NaN] = p;
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180))
      throw new SpatialError(
        `${fn}: the coordinate [${lng}, ${lat}] is off the globe (longitude in [-180, 180], latitude in [-90, 90]).`,
      );
  };
  const walk = (g: Geometry) => {
    switch (g.type) {
      case 'Point':
        visit(g.coordinates);
        break;
      case 'MultiPoint':
      case 'LineString':
        g.coordinates.forEach(visit);
        break;
      case 'MultiLineString':
      case 'Polygon':
        for (const line of g.coordinates) line.forEach(visit);
        break;
      case 'MultiPolygon':
        for (const polygon of g.coordinates) for (const ring of polygon) ring.forEach(visit);
        break;
      case 'GeometryCollection':
        g.geometries.forEach(walk);
        break;
    }
  };
  walk(geometry);
  return count;
}

/** Vertices of each geometry parsed (counted once, when it is checked). */
const vertexCounts = new WeakMap<Geometry, number>();

/** Refuses two geometries whose comparison would take too long (work grows with the product). */
function checkPairs(fn: string, a: Geometry, b: Geometry): void {
  const count = (g: Geometry) => vertexCounts.get(g) ?? checkPositions(fn, g, Infinity);
  const pairs = count(a) * count(b);
  if (pairs > SPATIAL_LIMITS.maxPairs)
    throw new SpatialError(
      `${fn}: the geometries are too large to compare (${fmt(count(a))} × ${fmt(count(b))} vertices, at most ${fmt(SPATIAL_LIMITS.maxPairs)} pairs in the emulator).`,
    );
}

function checkText(fn: string, text: string): void {
  if (text.length > SPATIAL_LIMITS.maxTextChars)
    throw new SpatialError(
      `${fn}: the geometry text is longer than ${fmt(SPATIAL_LIMITS.maxTextChars)} characters (the emulator's limit).`,
    );
}

function fromGeoJson(fn: string, text: string): Geometry {
  checkText(fn, text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SpatialError(`${fn}: the value is not GeoJSON (${snippet(text)}).`);
  }
  if (!isGeometry(value))
    throw new SpatialError(
      `${fn}: the value is not a GeoJSON geometry (Point, LineString, Polygon, their Multi kinds or a GeometryCollection): ${snippet(text)}.`,
    );
  vertexCounts.set(value, checkPositions(fn, value, SPATIAL_LIMITS.maxVertices));
  return value;
}

function fromWkt(fn: string, text: string): Geometry {
  checkText(fn, text);
  let value: Geometry | null;
  try {
    value = wktToGeoJSON(text);
  } catch {
    value = null;
  }
  if (!value || !isGeometry(value))
    throw new SpatialError(`${fn}: the value is not WKT (${snippet(text)}).`);
  vertexCounts.set(value, checkPositions(fn, value, SPATIAL_LIMITS.maxVertices));
  return value;
}

const snippet = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** Parsed geometries by text: a constant argument is parsed once per chunk, not once per row. */
class GeometryCache {
  private text: string | null = null;
  private geometry: Geometry | null = null;
  constructor(private readonly fn: string) {}
  get(text: string): Geometry {
    if (text !== this.text || !this.geometry) {
      this.geometry = fromGeoJson(this.fn, text);
      this.text = text;
    }
    return this.geometry;
  }
}

// ---- Geodesy on the sphere ----

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in radians (haversine). */
function angle(a: Position, b: Position): number {
  const [lng1 = 0, lat1 = 0] = a;
  const [lng2 = 0, lat2 = 0] = b;
  const dLat = rad(lat2 - lat1);
  const dLng = rad(lng2 - lng1);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLng / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function bearing(a: Position, b: Position): number {
  const [lng1 = 0, lat1 = 0] = a;
  const [lng2 = 0, lat2 = 0] = b;
  const y = Math.sin(rad(lng2 - lng1)) * Math.cos(rad(lat2));
  const x =
    Math.cos(rad(lat1)) * Math.sin(rad(lat2)) -
    Math.sin(rad(lat1)) * Math.cos(rad(lat2)) * Math.cos(rad(lng2 - lng1));
  return Math.atan2(y, x);
}

/** Angular distance from p to the great-circle segment a-b (cross-track, clamped to the ends). */
function angleToSegment(p: Position, a: Position, b: Position): number {
  const ab = angle(a, b);
  const ap = angle(a, p);
  if (ab === 0 || ap === 0) return ap;
  const theta = bearing(a, p) - bearing(a, b);
  const crossTrack = Math.asin(Math.max(-1, Math.min(1, Math.sin(ap) * Math.sin(theta))));
  const cosCross = Math.cos(crossTrack);
  const alongTrack = Math.acos(Math.max(-1, Math.min(1, Math.cos(ap) / (cosCross || 1))));
  if (Math.cos(theta) > 0 && alongTrack <= ab) return Math.abs(crossTrack);
  return Math.min(ap, angle(b, p));
}

interface Parts {
  points: Position[];
  /** Every edge, as [from, to] (lines and rings). */
  segments: [Position, Position][];
}

function parts(geometry: Geometry, into: Parts = { points: [], segments: [] }): Parts {
  const line = (positions: Position[]) => {
    positions.forEach((p) => into.points.push(p));
    for (let i = 1; i < positions.length; i++) {
      const a = positions[i - 1];
      const b = positions[i];
      if (a && b) into.segments.push([a, b]);
    }
  };
  switch (geometry.type) {
    case 'Point':
      into.points.push(geometry.coordinates);
      break;
    case 'MultiPoint':
      geometry.coordinates.forEach((p) => into.points.push(p));
      break;
    case 'LineString':
      line(geometry.coordinates);
      break;
    case 'MultiLineString':
    case 'Polygon':
      geometry.coordinates.forEach(line);
      break;
    case 'MultiPolygon':
      geometry.coordinates.forEach((polygon) => polygon.forEach(line));
      break;
    case 'GeometryCollection':
      geometry.geometries.forEach((g) => parts(g, into));
      break;
  }
  return into;
}

function intersects(fn: string, a: Geometry, b: Geometry): boolean {
  checkPairs(fn, a, b);
  try {
    return booleanIntersects(a, b);
  } catch (error) {
    throw unsupported(fn, a, b, error);
  }
}

function unsupported(fn: string, a: Geometry, b: Geometry, error: unknown): SpatialError {
  const why = error instanceof Error ? `: ${error.message}` : '';
  return new SpatialError(
    `${fn}: not supported for a ${a.type} and a ${b.type} in the emulator${why}.`,
  );
}

/** Metres between two geometries: 0 when they meet, else the nearest vertex-to-edge distance. */
function distance(fn: string, a: Geometry, b: Geometry): number {
  // The common case (points in a table against a point), without the general machinery.
  if (a.type === 'Point' && b.type === 'Point')
    return angle(a.coordinates, b.coordinates) * EARTH_RADIUS;
  if (intersects(fn, a, b)) return 0;
  const pa = parts(a);
  const pb = parts(b);
  const pairs =
    pa.points.length * Math.max(1, pb.segments.length) +
    pb.points.length * Math.max(1, pa.segments.length);
  if (pairs > SPATIAL_LIMITS.maxPairs)
    throw new SpatialError(
      `${fn}: the geometries are too large to compare (${fmt(pairs)} vertex-edge pairs, at most ${fmt(SPATIAL_LIMITS.maxPairs)} in the emulator).`,
    );
  let best = Infinity;
  const against = (points: Position[], other: Parts) => {
    for (const p of points) {
      if (other.segments.length === 0) {
        for (const q of other.points) best = Math.min(best, angle(p, q));
      } else {
        for (const [s, t] of other.segments) best = Math.min(best, angleToSegment(p, s, t));
      }
    }
  };
  against(pa.points, pb);
  against(pb.points, pa);
  return best * EARTH_RADIUS;
}

/**
 * The centroid of the highest-dimension parts (BigQuery's rule): area-weighted for polygons,
 * length-weighted for lines, the mean for points; in longitude/latitude.
 */
function centroid(geometry: Geometry): Geometry {
  const polygons: Position[][][] = [];
  const lines: Position[][] = [];
  const points: Position[] = [];
  const collect = (g: Geometry) => {
    if (g.type === 'Polygon') polygons.push(g.coordinates);
    else if (g.type === 'MultiPolygon') polygons.push(...g.coordinates);
    else if (g.type === 'LineString') lines.push(g.coordinates);
    else if (g.type === 'MultiLineString') lines.push(...g.coordinates);
    else if (g.type === 'Point') points.push(g.coordinates);
    else if (g.type === 'MultiPoint') points.push(...g.coordinates);
    else g.geometries.forEach(collect);
  };
  collect(geometry);
  let sx = 0;
  let sy = 0;
  let w = 0;
  if (polygons.length > 0) {
    for (const polygon of polygons) {
      polygon.forEach((ring, index) => {
        // Holes count against the area whatever their winding.
        let a = 0;
        let cx = 0;
        let cy = 0;
        for (let i = 1; i < ring.length; i++) {
          const [x0 = 0, y0 = 0] = ring[i - 1] ?? [];
          const [x1 = 0, y1 = 0] = ring[i] ?? [];
          const cross = x0 * y1 - x1 * y0;
          a += cross;
          cx += (x0 + x1) * cross;
          cy += (y0 + y1) * cross;
        }
        if (a === 0) return;
        const sign = (index === 0 ? 1 : -1) * Math.sign(a);
        sx += (sign * cx) / 3;
        sy += (sign * cy) / 3;
        w += (sign * a) / 1;
      });
    }
  }
  if (w === 0 && (lines.length > 0 || polygons.length > 0)) {
    for (const line of [...lines, ...polygons.flat()]) {
      for (let i = 1; i < line.length; i++) {
        const [x0 = 0, y0 = 0] = line[i - 1] ?? [];
        const [x1 = 0, y1 = 0] = line[i] ?? [];
        const length = Math.hypot(x1 - x0, y1 - y0);
        sx += ((x0 + x1) / 2) * length;
        sy += ((y0 + y1) / 2) * length;
        w += length;
      }
    }
  }
  if (w === 0) {
    const all = points.length > 0 ? points : parts(geometry).points;
    for (const [x = 0, y = 0] of all) {
      sx += x;
      sy += y;
      w += 1;
    }
  }
  if (w === 0) return { type: 'GeometryCollection', geometries: [] };
  return { type: 'Point', coordinates: [sx / w, sy / w] };
}

/** The point `meters` from `from` along the initial bearing `theta` (radians), on the sphere. */
function destination(from: Position, meters: number, theta: number): Position {
  const [lng = 0, lat = 0] = from;
  const d = meters / EARTH_RADIUS;
  const phi1 = rad(lat);
  const phi2 = Math.asin(
    Math.sin(phi1) * Math.cos(d) + Math.cos(phi1) * Math.sin(d) * Math.cos(theta),
  );
  const lambda2 =
    rad(lng) +
    Math.atan2(
      Math.sin(theta) * Math.sin(d) * Math.cos(phi1),
      Math.cos(d) - Math.sin(phi1) * Math.sin(phi2),
    );
  const wrapped = (((((lambda2 * 180) / Math.PI + 540) % 360) + 360) % 360) - 180;
  return [wrapped, (phi2 * 180) / Math.PI];
}

/**
 * A point's buffer: the geodesic circle of `radius` metres as a polygon of `segments` vertices
 * per quarter circle (BigQuery's default 8), counterclockwise. Buffers of lines and polygons are
 * not emulated: a general buffer (JSTS, as Turf's) takes minutes on some inputs of a few hundred
 * vertices, far past what the emulator's main thread can give one call.
 */
function bufferOf(fn: string, geometry: Geometry, radius: number, segments = 8): Geometry {
  if (!Number.isFinite(radius) || Math.abs(radius) > SPATIAL_LIMITS.maxBufferRadius)
    throw new SpatialError(
      `${fn}: the radius must be a number of metres within ±${fmt(SPATIAL_LIMITS.maxBufferRadius)} (got ${radius}).`,
    );
  if (!Number.isInteger(segments) || segments < 1 || segments > SPATIAL_LIMITS.maxBufferSegments)
    throw new SpatialError(
      `${fn}: the segments per quarter circle must be a whole number from 1 to ${SPATIAL_LIMITS.maxBufferSegments} (got ${segments}).`,
    );
  const empty: Geometry = { type: 'GeometryCollection', geometries: [] };
  if (geometry.type !== 'Point') return bufferOfShape(fn, geometry, radius, segments) ?? empty;
  if (radius <= 0) return empty;
  const steps = 4 * segments;
  const ring: Position[] = [];
  for (let k = 0; k <= steps; k++) {
    // Bearings run clockwise from north: counting down gives a counterclockwise ring.
    ring.push(
      destination(geometry.coordinates, radius, (2 * Math.PI * (steps - (k % steps))) / steps),
    );
  }
  return { type: 'Polygon', coordinates: [ring] };
}

/**
 * A line's or polygon's buffer, by Turf (JSTS's buffer in an azimuthal equidistant projection
 * centred on the geometry, on the same sphere) in a worker with a deadline: exact near the
 * centre, within a fraction of a percent across a few hundred km. A negative radius shrinks
 * polygons; null when nothing is left.
 */
function bufferOfShape(
  fn: string,
  geometry: Geometry,
  radius: number,
  segments: number,
): Geometry | null {
  const vertices = vertexCounts.get(geometry) ?? checkPositions(fn, geometry, Infinity);
  if (vertices > SPATIAL_LIMITS.maxBufferVertices)
    throw new SpatialError(
      `${fn}: the emulator buffers geometries of at most ${fmt(SPATIAL_LIMITS.maxBufferVertices)} vertices (this one has ${fmt(vertices)}).`,
    );
  if (geometry.type === 'GeometryCollection')
    throw new SpatialError(`${fn}: buffer a collection's parts one by one.`);
  if (radius === 0) return geometry;
  try {
    return bufferInWorker(
      { geometry, radiusKm: radius / 1000, steps: segments },
      SPATIAL_LIMITS.maxBufferMs,
    );
  } catch (error) {
    if (error instanceof BufferTimeout)
      throw new SpatialError(
        `${fn}: the buffer ${error.message} (the emulator's limit per geometry): simplify the geometry or use a smaller radius.`,
      );
    throw error;
  }
}

// ---- Registration ----

interface Spec {
  names: string[];
  parameters: DuckDBType[];
  returns: DuckDBType;
  /** One row's result from its arguments (never null: DuckDB answers NULL for a NULL argument). */
  row: (args: DuckDBValue[], caches: GeometryCache[]) => DuckDBValue;
}

const geography = (fn: string, caches: GeometryCache[], value: DuckDBValue, i: number) => {
  if (typeof value !== 'string') throw new SpatialError(`${fn}: expects a geography.`);
  const cache = caches[i];
  return cache ? cache.get(value) : fromGeoJson(fn, value);
};

const number = (fn: string, value: DuckDBValue, what: string): number => {
  const n = typeof value === 'number' ? value : Number.NaN;
  if (!Number.isFinite(n)) throw new SpatialError(`${fn}: ${what} must be a finite number.`);
  return n;
};

const text = (geometry: Geometry) => JSON.stringify(geometry);

function makePoint(fn: string, args: DuckDBValue[]): string {
  const lng = number(fn, args[0] ?? null, 'the longitude');
  const lat = number(fn, args[1] ?? null, 'the latitude');
  if (Math.abs(lat) > 90)
    throw new SpatialError(`${fn}: the latitude ${lat} is outside [-90, 90].`);
  // BigQuery wraps a longitude outside [-180, 180].
  const wrapped = lng >= -180 && lng <= 180 ? lng : ((((lng + 180) % 360) + 360) % 360) - 180;
  return text({ type: 'Point', coordinates: [wrapped, lat] });
}

/** Length in metres of a chain of positions (great-circle edges). */
function chainLength(chain: Position[]): number {
  let radians = 0;
  for (let i = 1; i < chain.length; i++) radians += angle(chain[i - 1] ?? [], chain[i] ?? []);
  return radians * EARTH_RADIUS;
}

/** The geometry's lines (LineString, MultiLineString) and polygon rings, in collections too. */
function chainsOf(geometry: Geometry): { lines: Position[][]; rings: Position[][] } {
  const lines: Position[][] = [];
  const rings: Position[][] = [];
  const collect = (g: Geometry) => {
    if (g.type === 'LineString') lines.push(g.coordinates);
    else if (g.type === 'MultiLineString') lines.push(...g.coordinates);
    else if (g.type === 'Polygon') rings.push(...g.coordinates);
    else if (g.type === 'MultiPolygon') for (const polygon of g.coordinates) rings.push(...polygon);
    else if (g.type === 'GeometryCollection') g.geometries.forEach(collect);
  };
  collect(geometry);
  return { lines, rings };
}

/** The coordinates of a point (ST_X, ST_Y), or an error naming the function. */
function pointCoordinates(fn: string, geometry: Geometry): Position {
  if (geometry.type !== 'Point')
    throw new SpatialError(`${fn}: the geography must be a point, not a ${geometry.type}.`);
  return geometry.coordinates;
}

/** The vertices of points and lines, in order, for ST_MAKELINE. */
function lineVertices(fn: string, geometry: Geometry): Position[] {
  if (geometry.type === 'Point') return [geometry.coordinates];
  if (geometry.type === 'LineString') return geometry.coordinates;
  throw new SpatialError(`${fn}: expects points or lines, not a ${geometry.type}.`);
}

const SPECS: Spec[] = [
  {
    names: ['st_geogpoint', 'st_makepoint', 'st_point'],
    parameters: [DOUBLE, DOUBLE],
    returns: GEOGRAPHY,
    row: (args) => makePoint('ST_GEOGPOINT', args),
  },
  {
    names: ['st_geogfromtext', 'st_geomfromtext', 'st_geometryfromtext'],
    parameters: [VARCHAR],
    returns: GEOGRAPHY,
    row: ([value]) => text(fromWkt('ST_GEOGFROMTEXT', String(value))),
  },
  {
    names: ['st_geogfromgeojson', 'st_geomfromgeojson'],
    parameters: [VARCHAR],
    returns: GEOGRAPHY,
    row: ([value]) => text(fromGeoJson('ST_GEOGFROMGEOJSON', String(value))),
  },
  {
    // Snowflake's: WKT or GeoJSON.
    names: ['to_geography'],
    parameters: [VARCHAR],
    returns: GEOGRAPHY,
    row: ([value]) => {
      const input = String(value).trimStart();
      return text(
        input.startsWith('{') ? fromGeoJson('TO_GEOGRAPHY', input) : fromWkt('TO_GEOGRAPHY', input),
      );
    },
  },
  {
    names: ['st_asgeojson'],
    parameters: [GEO_ARG],
    returns: VARCHAR,
    row: (args, caches) => text(geography('ST_ASGEOJSON', caches, args[0] ?? null, 0)),
  },
  {
    names: ['st_astext'],
    parameters: [GEO_ARG],
    returns: VARCHAR,
    row: (args, caches) => geoJSONToWkt(geography('ST_ASTEXT', caches, args[0] ?? null, 0)),
  },
  {
    names: ['st_intersects'],
    parameters: [GEO_ARG, GEO_ARG],
    returns: BOOLEAN,
    row: (args, caches) =>
      intersects(
        'ST_INTERSECTS',
        geography('ST_INTERSECTS', caches, args[0] ?? null, 0),
        geography('ST_INTERSECTS', caches, args[1] ?? null, 1),
      ),
  },
  {
    names: ['st_contains'],
    parameters: [GEO_ARG, GEO_ARG],
    returns: BOOLEAN,
    row: (args, caches) => {
      const a = geography('ST_CONTAINS', caches, args[0] ?? null, 0);
      const b = geography('ST_CONTAINS', caches, args[1] ?? null, 1);
      checkPairs('ST_CONTAINS', a, b);
      try {
        return booleanContains(a, b);
      } catch (error) {
        throw unsupported('ST_CONTAINS', a, b, error);
      }
    },
  },
  {
    names: ['st_within'],
    parameters: [GEO_ARG, GEO_ARG],
    returns: BOOLEAN,
    row: (args, caches) => {
      const a = geography('ST_WITHIN', caches, args[0] ?? null, 0);
      const b = geography('ST_WITHIN', caches, args[1] ?? null, 1);
      checkPairs('ST_WITHIN', a, b);
      try {
        return booleanWithin(a, b);
      } catch (error) {
        throw unsupported('ST_WITHIN', a, b, error);
      }
    },
  },
  {
    names: ['st_distance'],
    parameters: [GEO_ARG, GEO_ARG],
    returns: DOUBLE,
    row: (args, caches) =>
      distance(
        'ST_DISTANCE',
        geography('ST_DISTANCE', caches, args[0] ?? null, 0),
        geography('ST_DISTANCE', caches, args[1] ?? null, 1),
      ),
  },
  {
    names: ['st_dwithin'],
    parameters: [GEO_ARG, GEO_ARG, DOUBLE],
    returns: BOOLEAN,
    row: (args, caches) => {
      const limit = number('ST_DWITHIN', args[2] ?? null, 'the distance');
      return (
        distance(
          'ST_DWITHIN',
          geography('ST_DWITHIN', caches, args[0] ?? null, 0),
          geography('ST_DWITHIN', caches, args[1] ?? null, 1),
        ) <= limit
      );
    },
  },
  {
    names: ['st_buffer'],
    parameters: [GEO_ARG, DOUBLE],
    returns: GEOGRAPHY,
    row: (args, caches) =>
      text(
        bufferOf(
          'ST_BUFFER',
          geography('ST_BUFFER', caches, args[0] ?? null, 0),
          number('ST_BUFFER', args[1] ?? null, 'the radius'),
        ),
      ),
  },
  {
    // Postgres's ST_Buffer(geography, radius, segments per quarter circle).
    names: ['st_buffer'],
    parameters: [GEO_ARG, DOUBLE, DOUBLE],
    returns: GEOGRAPHY,
    row: (args, caches) =>
      text(
        bufferOf(
          'ST_BUFFER',
          geography('ST_BUFFER', caches, args[0] ?? null, 0),
          number('ST_BUFFER', args[1] ?? null, 'the radius'),
          number('ST_BUFFER', args[2] ?? null, 'the segments per quarter circle'),
        ),
      ),
  },
  {
    names: ['st_area'],
    parameters: [GEO_ARG],
    returns: DOUBLE,
    row: (args, caches) => area(geography('ST_AREA', caches, args[0] ?? null, 0)),
  },
  {
    // BigQuery's: the lines' length in metres (points and polygons count 0).
    names: ['st_length'],
    parameters: [GEO_ARG],
    returns: DOUBLE,
    row: (args, caches) =>
      chainsOf(geography('ST_LENGTH', caches, args[0] ?? null, 0)).lines.reduce(
        (sum, line) => sum + chainLength(line),
        0,
      ),
  },
  {
    // BigQuery's: the polygons' rings' length in metres (points and lines count 0).
    names: ['st_perimeter'],
    parameters: [GEO_ARG],
    returns: DOUBLE,
    row: (args, caches) =>
      chainsOf(geography('ST_PERIMETER', caches, args[0] ?? null, 0)).rings.reduce(
        (sum, ring) => sum + chainLength(ring),
        0,
      ),
  },
  {
    names: ['st_x'],
    parameters: [GEO_ARG],
    returns: DOUBLE,
    row: (args, caches) =>
      pointCoordinates('ST_X', geography('ST_X', caches, args[0] ?? null, 0))[0] ?? null,
  },
  {
    names: ['st_y'],
    parameters: [GEO_ARG],
    returns: DOUBLE,
    row: (args, caches) =>
      pointCoordinates('ST_Y', geography('ST_Y', caches, args[0] ?? null, 0))[1] ?? null,
  },
  {
    // Every position, a ring's closing one included (as PostGIS's ST_NPoints counts).
    names: ['st_numpoints', 'st_npoints'],
    parameters: [GEO_ARG],
    returns: INTEGER,
    row: (args, caches) =>
      checkPositions(
        'ST_NUMPOINTS',
        geography('ST_NUMPOINTS', caches, args[0] ?? null, 0),
        SPATIAL_LIMITS.maxVertices,
      ),
  },
  {
    // 'ST_Point', 'ST_Polygon', ... as BigQuery and PostGIS answer.
    names: ['st_geometrytype'],
    parameters: [GEO_ARG],
    returns: VARCHAR,
    row: (args, caches) => `ST_${geography('ST_GEOMETRYTYPE', caches, args[0] ?? null, 0).type}`,
  },
  {
    // Two points or lines joined into one line, in order.
    names: ['st_makeline'],
    parameters: [GEO_ARG, GEO_ARG],
    returns: GEOGRAPHY,
    row: (args, caches) => {
      const a = lineVertices('ST_MAKELINE', geography('ST_MAKELINE', caches, args[0] ?? null, 0));
      const b = lineVertices('ST_MAKELINE', geography('ST_MAKELINE', caches, args[1] ?? null, 1));
      if (a.length + b.length > SPATIAL_LIMITS.maxVertices)
        throw new SpatialError(
          `ST_MAKELINE: the line would have more than ${fmt(SPATIAL_LIMITS.maxVertices)} vertices (the emulator's limit).`,
        );
      return text({ type: 'LineString', coordinates: [...a, ...b] });
    },
  },
  {
    names: ['st_centroid'],
    parameters: [GEO_ARG],
    returns: GEOGRAPHY,
    row: (args, caches) => text(centroid(geography('ST_CENTROID', caches, args[0] ?? null, 0))),
  },
];

/** The SQL names the emulator registers (lower case), for the SQL guard's allow-list. */
export const SPATIAL_FUNCTION_NAMES: readonly string[] = [
  ...new Set(SPECS.flatMap((spec) => spec.names)),
];

/**
 * Registers the spatial functions on the instance of `connection` (they are catalog entries, so
 * every connection sees them). Call before the configuration is locked.
 */
export function registerSpatialFunctions(connection: DuckDBConnection): void {
  for (const spec of SPECS) {
    for (const name of spec.names) {
      connection.registerScalarFunction(
        DuckDBScalarFunction.create({
          name,
          returnType: spec.returns,
          parameterTypes: spec.parameters,
          mainFunction: (info, input, output) => {
            for (let i = 0; i < spec.parameters.length; i++) {
              const type = input.getColumnVector(i).type;
              if (spec.parameters[i] === GEO_ARG && type.typeId !== VARCHAR.typeId) {
                info.setError(
                  `${name.toUpperCase()}: argument ${i + 1} must be a geography (GeoJSON text, e.g. ST_GEOGPOINT(lng, lat) or a geom column), not ${type.toString()}.`,
                );
                return;
              }
            }
            const caches = spec.parameters.map(() => new GeometryCache(name.toUpperCase()));
            const columns = spec.parameters.map((_, i) => input.getColumnValues(i));
            const started = performance.now();
            try {
              for (let row = 0; row < input.rowCount; row++) {
                if (performance.now() - started > SPATIAL_LIMITS.maxBatchMs)
                  throw new SpatialError(
                    `${name.toUpperCase()}: the spatial work took over ${SPATIAL_LIMITS.maxBatchMs / 1000} s for one batch of ${fmt(input.rowCount)} rows (the emulator's limit): use smaller geometries or fewer rows.`,
                  );
                const args = columns.map((column) => column[row] ?? null);
                output.setItem(row, args.includes(null) ? null : spec.row(args, caches));
              }
              output.flush();
            } catch (error) {
              info.setError(
                error instanceof SpatialError
                  ? error.message
                  : `${name.toUpperCase()}: ${error instanceof Error ? error.message : String(error)}`,
              );
            }
          },
        }),
      );
    }
  }
}
