// @vitest-environment node
/**
 * The spatial SQL functions (ST_*, issue 15) under attack: they run in JavaScript on the
 * emulator's main thread, so huge or malformed geometries must be refused with a 4xx in bounded
 * time, and they must open no way around the SQL sandbox (files, metadata, other tables).
 * "accepted" counts answers that were not a 4xx, or came too late.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/createEmulator';
import { Database } from '../../emulator/data/database';
import type { SampleTable } from '../../emulator/data/sampleData';
import { bearerRequest, clientToken, makeTestEmulator } from '../utils/emulatorHarness';
import { printTable, type Row } from './table';

/** The slowest answer allowed for a refusal (the query limit is 10 s). */
const MAX_MS = 8_000;

const PLACES: SampleTable = {
  schema: 'demo',
  name: 'places',
  description: 'Spatial attack target',
  spatial: 'geo',
  columns: [{ name: 'name', type: 'VARCHAR' }],
  rows: Array.from({ length: 5_000 }, (_, i) => ({
    values: [`p${i}`],
    geometry: { type: 'Point' as const, coordinates: [(i % 360) - 180, ((i * 7) % 170) - 85] },
  })),
};

let emulator: Emulator;
let token: string;
const report: Row[] = [];

beforeAll(async () => {
  ({ emulator } = await makeTestEmulator(undefined, {
    data: await Database.create({ sample: false, extraTables: [PLACES] }),
  }));
  token = await clientToken(emulator);
});

afterAll(() => {
  printTable('Spatial SQL: hostile geometries and sandbox escapes', report);
});

async function post(q: string, queryParameters?: unknown[]) {
  const started = performance.now();
  const response = await emulator.fetch(
    bearerRequest('/v3/sql/carto_dw/query', token, JSON.stringify({ q, queryParameters })),
  );
  const body = (await response.json()) as { error?: string };
  return { status: response.status, body, ms: performance.now() - started };
}

const ring = (n: number) =>
  Array.from({ length: n + 1 }, (_, i) => [
    Math.cos((2 * Math.PI * (i % n)) / n) * (1 + 0.3 * (i % 2)),
    Math.sin((2 * Math.PI * (i % n)) / n) * (1 + 0.3 * (i % 2)),
  ]);

/** Nested arrays `depth` deep: a GeoJSON-looking value no geometry has. */
const nested = (depth: number) => `${'['.repeat(depth)}0${']'.repeat(depth)}`;

const CASES: [string, string, unknown[]?][] = [
  ['huge buffer radius', 'SELECT ST_BUFFER(ST_GEOGPOINT(0, 0), 1e12) AS b'],
  ['huge buffer segments', 'SELECT ST_BUFFER(ST_GEOGPOINT(0, 0), 10, 1e9) AS b'],
  ['NaN buffer radius', "SELECT ST_BUFFER(ST_GEOGPOINT(0, 0), 'NaN'::DOUBLE) AS b"],
  [
    'buffer of a zigzag line (slow in general buffer code)',
    'SELECT ST_BUFFER(ST_GEOGFROMGEOJSON(?), 100000) AS b',
    [JSON.stringify({ type: 'LineString', coordinates: ring(300) })],
  ],
  [
    'geometry past the vertex limit',
    'SELECT ST_AREA(?) AS a',
    [JSON.stringify({ type: 'Polygon', coordinates: [ring(150_000)] })],
  ],
  [
    'two large polygons compared',
    'SELECT ST_INTERSECTS(?, ?) AS i',
    [
      JSON.stringify({ type: 'Polygon', coordinates: [ring(20_000)] }),
      JSON.stringify({ type: 'Polygon', coordinates: [ring(20_000)] }),
    ],
  ],
  [
    'large polygon contains a large polygon',
    'SELECT ST_CONTAINS(?, ?) AS c',
    [
      JSON.stringify({ type: 'Polygon', coordinates: [ring(20_000)] }),
      JSON.stringify({ type: 'Polygon', coordinates: [ring(20_000)] }),
    ],
  ],
  ['deeply nested arrays', 'SELECT ST_AREA(?) AS a', [nested(200_000)]],
  [
    'deeply nested collections',
    'SELECT ST_AREA(?) AS a',
    [`${'{"type":"GeometryCollection","geometries":['.repeat(5_000)}${']}'.repeat(5_000)}`],
  ],
  ['WKT garbage', "SELECT ST_GEOGFROMTEXT('POLYGON((((((((') AS g"],
  ['WKT huge', 'SELECT ST_GEOGFROMTEXT(?) AS g', [`POINT(${'1'.repeat(3_000_000)} 1)`]],
  ['coordinates off the globe', "SELECT ST_GEOGFROMTEXT('POINT(1e308 1e308)') AS g"],
  ['a file path as WKT', "SELECT ST_GEOGFROMTEXT('/etc/passwd') AS g"],
  ['a file read inside', "SELECT ST_AREA(read_text('/etc/passwd')) AS a"],
  ['metadata inside', 'SELECT ST_AREA((SELECT min(sql) FROM duckdb_tables())) AS a'],
  ['a qualified spatial function', 'SELECT system.main.st_area(NULL) AS a'],
  ['wrong argument types', 'SELECT ST_DISTANCE(1, [1, 2]) AS d'],
];

describe('spatial SQL under attack', () => {
  it('hostile geometries and sandbox escapes get a 4xx, in bounded time', async () => {
    const failures: string[] = [];
    for (const [name, q, params] of CASES) {
      const { status, body, ms } = await post(q, params);
      const ok = status >= 400 && status < 500 && typeof body.error === 'string' && ms < MAX_MS;
      if (!ok) failures.push(`${name}: ${status} in ${Math.round(ms)} ms ${JSON.stringify(body)}`);
      report.push({ case: name, attempts: 1, accepted: ok ? 0 : 1 });
    }
    expect(failures).toEqual([]);
  });

  it('a costly function over many rows is stopped in bounded time, and the emulator keeps serving', async () => {
    // 25M pairs of rows, a buffer and a predicate each: far past the 10 s query limit.
    const { status, ms } = await post(
      'SELECT count(*) AS n FROM demo.places a, demo.places b WHERE ST_INTERSECTS(ST_BUFFER(a.geom, 1000), b.geom)',
    );
    const ok = status === 408 && ms < 12_000;
    report.push({
      case: 'a costly predicate over 25M row pairs',
      attempts: 1,
      accepted: ok ? 0 : 1,
    });
    expect({ status, fast: ms < 12_000 }).toEqual({ status: 408, fast: true });
    const after = await post('SELECT ST_DISTANCE(ST_GEOGPOINT(0, 0), ST_GEOGPOINT(0, 1)) AS d');
    expect(after.status).toBe(200);
  });
});
