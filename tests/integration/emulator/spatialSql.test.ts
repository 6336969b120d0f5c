/**
 * Spatial SQL (issue 15): BigQuery's GEOGRAPHY functions, with the Postgres and Snowflake
 * spellings, through the real @carto/api-client `query()` against the emulator. Distances and
 * areas are geodesic metres on BigQuery's sphere; predicates are exact for polygons and lines.
 */
import { describe, expect, it } from 'vitest';
import { query } from '@carto/api-client';
import { EMULATOR_URL, sampleDataEmulator } from '../../mocks/emulator';

let token: string;

sampleDataEmulator((t) => {
  token = t;
});

const base = () => ({ accessToken: token, apiBaseUrl: EMULATOR_URL, connectionName: 'carto_dw' });

type QueryParameters = Parameters<typeof query>[0]['queryParameters'];

async function rows(sqlQuery: string, queryParameters?: QueryParameters) {
  const result = await query({
    ...base(),
    sqlQuery,
    ...(queryParameters === undefined ? {} : { queryParameters }),
  });
  return result.rows as Record<string, unknown>[];
}

async function sql(q: string, queryParameters?: unknown) {
  const search = new URLSearchParams({ q });
  if (queryParameters !== undefined) search.set('queryParameters', JSON.stringify(queryParameters));
  const response = await fetch(`${EMULATOR_URL}/v3/sql/carto_dw/query?${search}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A U-shaped polygon: its bounding box holds (2, 3), the polygon does not. */
const U = 'POLYGON((0 0, 4 0, 4 4, 3 4, 3 1, 1 1, 1 4, 0 4, 0 0))';
const MADRID = [-3.7038, 40.4168] as const;
const BARCELONA = [2.1734, 41.3851] as const;

describe('spatial SQL on carto_dw', () => {
  it('ST_DISTANCE Madrid–Barcelona is ~505 km (geodesic, within 0.5%)', async () => {
    const [row] = await rows(
      `SELECT ST_DISTANCE(ST_GEOGPOINT(${MADRID.join(', ')}), ST_GEOGPOINT(${BARCELONA.join(', ')})) AS d`,
    );
    expect(Math.abs(Number(row?.d) - 505_000) / 505_000).toBeLessThan(0.005);
  });

  it('ST_DISTANCE to a line is to its nearest edge, not a vertex; ST_DWITHIN agrees', async () => {
    // One degree of longitude on the equator: 111,195 m on a sphere of 6,371,008.8 m.
    const [row] = await rows(
      `SELECT ST_DISTANCE(ST_GEOGPOINT(0, 0), ST_GEOGFROMTEXT('LINESTRING(1 -1, 1 1)')) AS d,
              ST_DWITHIN(ST_GEOGPOINT(0, 0), ST_GEOGFROMTEXT('LINESTRING(1 -1, 1 1)'), 111300) AS near,
              ST_DWITHIN(ST_GEOGPOINT(0, 0), ST_GEOGFROMTEXT('LINESTRING(1 -1, 1 1)'), 111000) AS far`,
    );
    expect(Number(row?.d)).toBeCloseTo(111_195, -1);
    expect(row).toMatchObject({ near: true, far: false });
  });

  it('predicates are exact on a concave polygon, where a bounding-box test is wrong', async () => {
    const [row] = await rows(
      `SELECT ST_INTERSECTS(ST_GEOGFROMTEXT('${U}'), ST_GEOGPOINT(2, 3)) AS in_notch,
              ST_INTERSECTS(ST_GEOGFROMTEXT('${U}'), ST_GEOGPOINT(0.5, 3)) AS in_arm,
              ST_INTERSECTS(ST_GEOGFROMTEXT('${U}'), ST_GEOGFROMTEXT('LINESTRING(1.5 2, 2.5 3)')) AS line_in_notch,
              ST_INTERSECTS(ST_GEOGFROMTEXT('${U}'), ST_GEOGFROMTEXT('LINESTRING(0.5 2, 2 2)')) AS line_into_arm,
              ST_CONTAINS(ST_GEOGFROMTEXT('${U}'), ST_GEOGPOINT(2, 3)) AS contains_notch,
              ST_CONTAINS(ST_GEOGFROMTEXT('${U}'), ST_GEOGPOINT(3.5, 3.5)) AS contains_arm,
              ST_WITHIN(ST_GEOGPOINT(2, 0.5), ST_GEOGFROMTEXT('${U}')) AS within_base,
              ST_WITHIN(ST_GEOGFROMTEXT('POLYGON((0.2 0.2, 3.8 0.2, 3.8 3, 0.2 3, 0.2 0.2))'), ST_GEOGFROMTEXT('${U}')) AS box_within`,
    );
    expect(row).toEqual({
      in_notch: false,
      in_arm: true,
      line_in_notch: false,
      line_into_arm: true,
      contains_notch: false,
      contains_arm: true,
      within_base: true,
      box_within: false,
    });
  });

  it('geographies come back as parsed GeoJSON (BigQuery), typed geography', async () => {
    const result = await query({
      ...base(),
      sqlQuery: `SELECT ST_GEOGPOINT(1.5, 2.5) AS p,
                        ST_CENTROID(ST_GEOGFROMTEXT('POLYGON((0 0, 2 0, 2 2, 0 2, 0 0))')) AS c,
                        ST_ASGEOJSON(ST_GEOGPOINT(1, 2)) AS text`,
    });
    const [row] = result.rows as Record<string, unknown>[];
    expect(row?.p).toEqual({ type: 'Point', coordinates: [1.5, 2.5] });
    expect(row?.c).toEqual({ type: 'Point', coordinates: [1, 1] });
    expect(JSON.parse(String(row?.text))).toEqual({ type: 'Point', coordinates: [1, 2] });
    const schema = (result as unknown as { schema: { name: string; type: string }[] }).schema;
    expect(schema).toEqual([
      { name: 'p', type: 'geography' },
      { name: 'c', type: 'geography' },
      { name: 'text', type: 'varchar' },
    ]);
  });

  it('ST_BUFFER and ST_AREA: a 1 km buffer has the area of its 32-gon (BigQuery’s 8 per quarter)', async () => {
    const [row] = await rows(
      'SELECT ST_AREA(ST_BUFFER(ST_GEOGPOINT(-3.7, 40.4), 1000)) AS a, ST_BUFFER(ST_GEOGPOINT(-3.7, 40.4), 1000) AS b',
    );
    const polygonArea = 16 * 1000 ** 2 * Math.sin((2 * Math.PI) / 32);
    expect(Math.abs(Number(row?.a) - polygonArea) / polygonArea).toBeLessThan(0.005);
    const ring = (row?.b as { type: string; coordinates: number[][][] }).coordinates[0] ?? [];
    expect(ring).toHaveLength(33);
  });

  it('BigQuery SQL (translated, a backticked table): the state holding Denver, its area and centroid', async () => {
    const [row] = await rows(
      `SELECT name, ST_AREA(geom) AS area, ST_CENTROID(geom) AS centre,
              ST_INTERSECTS(geom, ST_BUFFER(ST_GEOGPOINT(-104.99, 39.74), 5000)) AS near_denver
       FROM \`carto_dw.demo.us_states\`
       WHERE ST_CONTAINS(geom, ST_GEOGFROMTEXT('POINT(-104.99 39.74)'))`,
    );
    expect(row?.name).toBe('Colorado');
    // Colorado: 269,837 km² in all (the sample outline is simplified).
    expect(Math.abs(Number(row?.area) - 269_837e6) / 269_837e6).toBeLessThan(0.01);
    const [lng = 0, lat = 0] = (row?.centre as { coordinates: number[] }).coordinates;
    expect(lng).toBeCloseTo(-105.55, 0);
    expect(lat).toBeCloseTo(39.0, 0);
    expect(row?.near_denver).toBe(true);
  });

  it('ST_BUFFER with segments per quarter circle (Postgres’s third argument)', async () => {
    const [row] = await rows('SELECT ST_BUFFER(ST_GEOGPOINT(0, 0), 100, 2) AS b');
    expect((row?.b as { coordinates: number[][][] }).coordinates[0]).toHaveLength(9);
  });

  it('ST_AREA of one degree square at the equator (~12,364 km², geodesic)', async () => {
    const [row] = await rows(
      'SELECT ST_AREA(ST_GEOGFROMGEOJSON(\'{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}\')) AS a',
    );
    // R² · Δλ · (sin φ2 − sin φ1) on BigQuery's sphere.
    const expected = 6_371_008.8 ** 2 * (Math.PI / 180) * Math.sin(Math.PI / 180);
    expect(Math.abs(Number(row?.a) - expected) / expected).toBeLessThan(0.005);
  });

  it('on table geometries: the places within 100 km of Madrid', async () => {
    const result = await rows(
      `SELECT name FROM \`carto_dw.demo.populated_places\`
       WHERE country IN ('ES', 'PT') AND ST_DWITHIN(geom, ST_GEOGPOINT(@lng, @lat), 100000)
       ORDER BY name`,
      { lng: MADRID[0], lat: MADRID[1] },
    );
    const names = result.map((r) => String(r.name));
    expect(names).toContain('Madrid');
    expect(names).not.toContain('Barcelona');
  });

  it('Postgres and Snowflake spellings', async () => {
    const [row] = await rows(
      `SELECT ST_DISTANCE(ST_MakePoint(${MADRID.join(', ')}), ST_Point(${BARCELONA.join(', ')})) AS pg,
              ST_DISTANCE(TO_GEOGRAPHY('POINT(${MADRID.join(' ')})'), TO_GEOGRAPHY('{"type":"Point","coordinates":[${BARCELONA.join(',')}]}')) AS sf,
              ST_DWithin(ST_GeomFromText('POINT(0 0)'), ST_GeomFromGeoJSON('{"type":"Point","coordinates":[0,0.5]}'), 60000) AS near,
              ST_AsGeoJSON(ST_MAKEPOINT(1, 2)) AS json`,
    );
    expect(Number(row?.pg)).toBeCloseTo(Number(row?.sf), 3);
    expect(Math.abs(Number(row?.pg) - 505_000) / 505_000).toBeLessThan(0.005);
    expect(row?.near).toBe(true);
    expect(JSON.parse(String(row?.json))).toEqual({ type: 'Point', coordinates: [1, 2] });
  });

  it('ST_BUFFER of lines and polygons: a stadium’s area, a grown and a shrunk polygon', async () => {
    const [row] = await rows(
      `WITH shapes AS (
         SELECT ST_GEOGFROMTEXT('LINESTRING(0 0, 0.1 0)') AS line,
                ST_GEOGFROMTEXT('${U}') AS u,
                ST_GEOGFROMTEXT('POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))') AS square)
       SELECT ST_AREA(ST_BUFFER(line, 1000)) AS stadium, ST_LENGTH(line) AS length,
              ST_CONTAINS(ST_BUFFER(u, 5000), u) AS grown_holds, ST_AREA(ST_BUFFER(u, 5000)) AS grown, ST_AREA(u) AS u_area,
              ST_CONTAINS(square, ST_BUFFER(square, -10000)) AS shrunk_inside, ST_AREA(ST_BUFFER(square, -10000)) AS shrunk,
              ST_ASTEXT(ST_BUFFER(line, -10)) AS nothing
       FROM shapes`,
    );
    // Two sides of 2r by the length, and two half 32-gons (8 segments per quarter circle).
    const r = 1000;
    const expected = 2 * r * Number(row?.length) + 16 * Math.sin((2 * Math.PI) / 32) * r * r;
    expect(Math.abs(Number(row?.stadium) - expected) / expected).toBeLessThan(0.005);
    expect(row?.grown_holds).toBe(true);
    expect(Number(row?.grown)).toBeGreaterThan(Number(row?.u_area));
    expect(row?.shrunk_inside).toBe(true);
    // About (111.2 − 20 km)², the square less a 10 km band inside its edges.
    expect(Math.abs(Number(row?.shrunk) / 1e6 - 91.2 * 91.2) / (91.2 * 91.2)).toBeLessThan(0.01);
    expect(row?.nothing).toBe('GEOMETRYCOLLECTION EMPTY');
  });

  it('lengths, perimeters, coordinates, vertex counts, types and lines made of points', async () => {
    /** One degree of a great circle on BigQuery's sphere, in metres. */
    const DEGREE = (6_371_008.8 * Math.PI) / 180;
    const [row] = await rows(
      `SELECT ST_LENGTH(ST_GEOGFROMTEXT('LINESTRING(0 0, 1 0)')) AS equator,
              ST_LENGTH(ST_GEOGFROMTEXT('${U}')) AS polygon_length,
              ST_PERIMETER(ST_GEOGFROMTEXT('POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))')) AS square,
              ST_PERIMETER(ST_GEOGFROMTEXT('LINESTRING(0 0, 1 0)')) AS line_perimeter,
              ST_X(ST_GEOGPOINT(${MADRID.join(', ')})) AS x, ST_Y(ST_GEOGPOINT(${MADRID.join(', ')})) AS y,
              ST_NUMPOINTS(ST_GEOGFROMTEXT('${U}')) AS vertices, ST_NPoints(ST_GEOGPOINT(1, 2)) AS one,
              ST_GEOMETRYTYPE(ST_GEOGFROMTEXT('${U}')) AS type,
              ST_LENGTH(ST_MAKELINE(ST_GEOGPOINT(${MADRID.join(', ')}), ST_GEOGPOINT(${BARCELONA.join(', ')}))) AS made,
              ST_DISTANCE(ST_GEOGPOINT(${MADRID.join(', ')}), ST_GEOGPOINT(${BARCELONA.join(', ')})) AS distance`,
    );
    expect(Number(row?.equator)).toBeCloseTo(DEGREE, 3);
    expect(row?.polygon_length).toBe(0);
    // Three edges along a meridian or the equator, one along the great circle near 1°N.
    expect(Math.abs(Number(row?.square) - DEGREE * (3 + Math.cos(Math.PI / 180)))).toBeLessThan(1);
    expect(row?.line_perimeter).toBe(0);
    expect([row?.x, row?.y]).toEqual([...MADRID]);
    expect([row?.vertices, row?.one]).toEqual([9, 1]);
    expect(row?.type).toBe('ST_Polygon');
    expect(Number(row?.made)).toBeCloseTo(Number(row?.distance), 3);
  });
});

describe('spatial SQL: bad input is a 400 that names the function', () => {
  it.each([
    ["SELECT ST_GEOGFROMTEXT('not wkt') AS g", /ST_GEOGFROMTEXT.*not WKT/],
    ['SELECT ST_GEOGFROMGEOJSON(\'{"type":"Point"}\') AS g', /ST_GEOGFROMGEOJSON/],
    ['SELECT ST_DISTANCE(1, 2) AS d', /ST_DISTANCE.*geography.*INTEGER/],
    ["SELECT ST_AREA('{oops') AS a", /ST_AREA.*not GeoJSON/],
    ['SELECT ST_GEOGPOINT(0, 91) AS p', /ST_GEOGPOINT.*latitude/],
    ["SELECT ST_GEOGPOINT('a', 'b') AS p", /.+/],
    ['SELECT ST_BUFFER(ST_GEOGPOINT(0, 0), 1e9) AS b', /ST_BUFFER.*radius/],
    ['SELECT ST_BUFFER(ST_GEOGPOINT(0, 0), 10, 1000) AS b', /ST_BUFFER.*segments/],
    [
      "SELECT ST_BUFFER(ST_GEOGFROMTEXT('GEOMETRYCOLLECTION(POINT(0 0))'), 10) AS b",
      /ST_BUFFER: buffer a collection's parts one by one/,
    ],
    ["SELECT ST_DWITHIN(ST_GEOGPOINT(0, 0), ST_GEOGPOINT(1, 1), 'far') AS w", /.+/],
    [
      `SELECT ST_X(ST_GEOGFROMTEXT('${U}')) AS x`,
      /ST_X: the geography must be a point, not a Polygon/,
    ],
    [
      `SELECT ST_MAKELINE(ST_GEOGPOINT(0, 0), ST_GEOGFROMTEXT('${U}')) AS l`,
      /ST_MAKELINE: expects points or lines, not a Polygon/,
    ],
    ['SELECT ST_LENGTH(42) AS l', /ST_LENGTH.*geography.*INTEGER/],
  ])('%s', async (q, message) => {
    const { status, body } = await sql(q);
    expect(status).toBe(400);
    expect(String(body.error)).toMatch(message);
  });

  it('a line or polygon of more than 2,000 vertices is not buffered', async () => {
    const { status, body } = await sql(
      `SELECT ST_BUFFER(ST_GEOGFROMTEXT('LINESTRING(' || string_agg(ST_X(geom) || ' ' || ST_Y(geom), ', ') || ')'), 10) AS b FROM (SELECT geom FROM demo.populated_places LIMIT 2001) AS places`,
    );
    expect(status).toBe(400);
    expect(String(body.error)).toMatch(
      /ST_BUFFER: the emulator buffers geometries of at most 2,000 vertices \(this one has 2,001\)/,
    );
  });

  it('a geometry past the vertex limit is refused, and the emulator keeps serving', async () => {
    const ring = Array.from({ length: 100_001 }, (_, i) => [
      Math.cos((2 * Math.PI * i) / 100_000),
      Math.sin((2 * Math.PI * i) / 100_000),
    ]);
    const geojson = JSON.stringify({ type: 'Polygon', coordinates: [ring] });
    const response = await fetch(`${EMULATOR_URL}/v3/sql/carto_dw/query`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ q: 'SELECT ST_AREA(?) AS a', queryParameters: [geojson] }),
    });
    const body = (await response.json()) as { error?: string };
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(String(body.error)).toMatch(/ST_AREA|too large|larger/);
    const [row] = await rows('SELECT ST_AREA(ST_BUFFER(ST_GEOGPOINT(0, 0), 10)) AS a');
    expect(Number(row?.a)).toBeGreaterThan(0);
  });
});
