// @vitest-environment node
/**
 * Property-based fuzzing (fast-check) of the emulator's widget models (formula, category,
 * histogram, range, scatterplot, table, timeseries) and of the Maps API (instantiation,
 * TileJSON, z/x/y and quadbin tiles): arbitrary JSON params, filters and spatial filters, sent
 * as a JSON body or in the query string. Whatever comes in, the answer is never a 5xx and
 * comes within a bounded time. One line per endpoint: cases tried, 4xx, 5xx, slowest answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Emulator } from '../../emulator/createEmulator';
import { Database } from '../../emulator/data/database';
import type { SampleTable } from '../../emulator/data/sampleData';
import { pointToCell } from '../../emulator/data/spatialIndex';
import { bearerRequest, clientToken, ISSUER, makeTestEmulator } from '../utils/emulatorHarness';
import { printTable, type Row } from './table';

/** Cases per endpoint: enough to find the shapes that break, few enough for a slow CI box. */
const RUNS = 200;
/** The slowest answer allowed (the database's own query limit is 10 s; these tables are tiny). */
const MAX_MS = 8_000;

const STORES: SampleTable = {
  schema: 'demo',
  name: 'stores',
  description: 'Fuzz target',
  spatial: 'geo',
  columns: [
    { name: 'store_type', type: 'VARCHAR' },
    { name: 'revenue', type: 'DOUBLE' },
    { name: 'size_m2', type: 'BIGINT' },
    { name: 'opened_at', type: 'DATE' },
    { name: 'open', type: 'BOOLEAN' },
  ],
  rows: Array.from({ length: 60 }, (_, i) => ({
    values: [
      ['Pharmacy', 'Hardware', 'Grocery'][i % 3] ?? null,
      i % 11 === 0 ? null : 1000 + i * 13.5,
      100 + i,
      `20${10 + (i % 10)}-0${(i % 9) + 1}-1${i % 10}`,
      i % 2 === 0,
    ],
    ...(i % 13 === 0
      ? {}
      : {
          geometry:
            i % 5 === 0
              ? {
                  type: 'Polygon' as const,
                  coordinates: [
                    [
                      [i - 30, 10],
                      [i - 29, 10],
                      [i - 29, 11],
                      [i - 30, 10],
                    ],
                  ],
                }
              : { type: 'Point' as const, coordinates: [i * 3 - 90, (i % 17) * 5 - 40] },
        }),
  })),
};

const CELLS: SampleTable = {
  schema: 'demo',
  name: 'cells',
  description: 'Fuzz target (quadbin)',
  spatial: 'quadbin',
  bounds: [-180, -85, 180, 85],
  columns: [
    { name: 'quadbin', type: 'BIGINT' },
    { name: 'population', type: 'BIGINT' },
  ],
  rows: Array.from({ length: 40 }, (_, i) => ({
    values: [pointToCell(i * 8 - 160, (i % 9) * 15 - 60, 8), i * 100],
  })),
};

let emulator: Emulator;
let token: string;

beforeAll(async () => {
  ({ emulator } = await makeTestEmulator(undefined, {
    data: await Database.create({ sample: false, extraTables: [STORES, CELLS] }),
  }));
  token = await clientToken(emulator);
}, 60_000);

interface Tally {
  cases: number;
  client: number;
  server: number;
  maxMs: number;
  examples: string[];
}
const tallies = new Map<string, Tally>();

afterAll(() => {
  const rows: Row[] = [];
  for (const [name, t] of tallies) {
    console.log(
      `${name.padEnd(22)} ${String(t.cases).padStart(4)} cases  4xx ${String(t.client).padStart(4)}  5xx ${t.server}  slowest ${Math.round(t.maxMs)} ms`,
    );
    rows.push({ case: `fuzz ${name} (5xx)`, attempts: t.cases, accepted: t.server });
  }
  printTable('Emulator fuzzing (models, maps)', rows);
});

/** Sends one request; records its status and time under `name`; null when it hung. */
async function send(name: string, request: Request): Promise<Response> {
  const tally = tallies.get(name) ?? { cases: 0, client: 0, server: 0, maxMs: 0, examples: [] };
  tallies.set(name, tally);
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), MAX_MS);
  });
  const answer = await Promise.race([emulator.fetch(request), hung]);
  clearTimeout(timer);
  const ms = performance.now() - started;
  tally.cases += 1;
  tally.maxMs = Math.max(tally.maxMs, ms);
  if (answer === 'hung') {
    tally.server += 1;
    throw new Error(`${name}: no answer within ${MAX_MS} ms: ${request.method} ${request.url}`);
  }
  if (answer.status >= 500) tally.server += 1;
  else if (answer.status >= 400) tally.client += 1;
  return answer;
}

/** The params as a JSON body, or (one time in three) in the query string as the client sends them. */
function request(path: string, params: Record<string, unknown>, viaQuery: boolean): Request {
  if (viaQuery) {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      query.append(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
    return bearerRequest(`${path}?${query.toString()}`, token);
  }
  return bearerRequest(path, token, JSON.stringify(params));
}

async function expectNo5xx(response: Response, what: unknown) {
  if (response.status >= 500) {
    expect.fail(`${response.status} ${await response.text()} for ${JSON.stringify(what)}`);
  }
}

// ---- Arbitraries ------------------------------------------------------------------------

/** Keys and values that have broken lookups and conversions before. */
const nasty = fc.constantFrom<unknown>(
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'prototype',
  '',
  ' ',
  '*',
  '%',
  '_',
  '\\',
  "'",
  '"',
  '\u0000',
  'NaN',
  'Infinity',
  '-1',
  '1e999',
  -1,
  0,
  1e308,
  -1e308,
  2 ** 53 + 1,
  0.5,
  true,
  false,
  null,
  [],
  {},
  JSON.parse('{"__proto__": {"x": 1}}'),
  { toString: 1 },
  { toString: 1, valueOf: 1 },
  { toJSON: 1 },
  'a'.repeat(5000),
);

const json = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: nasty },
);

const COLUMNS = ['store_type', 'revenue', 'size_m2', 'opened_at', 'open', 'geom'];
const column = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...COLUMNS) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('rowid', '__xmin', '__rank', 'REVENUE', '*') },
  { weight: 1, arbitrary: json },
);

const operation = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<unknown>('count', 'sum', 'avg', 'min', 'max', 'COUNT') },
  { weight: 1, arbitrary: json },
);

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
const scalar = fc.oneof(fc.string({ maxLength: 12 }), finite, fc.boolean(), nasty);

const filterSpec = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        values: fc.oneof(
          fc.array(scalar, { maxLength: 4 }),
          fc.array(fc.tuple(scalar, scalar), { maxLength: 3 }),
          fc.array(fc.array(scalar, { maxLength: 3 }), { maxLength: 3 }),
          json,
        ),
        params: fc.oneof(
          fc.record({ caseSensitive: json, mustStart: json, mustEnd: json }, { requiredKeys: [] }),
          json,
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: json },
);

const filterType = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('in', 'between', 'closed_open', 'time', 'stringSearch') },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'IN', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

const filters = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.dictionary(
      fc.oneof(
        fc.constantFrom(...COLUMNS, '__proto__', 'constructor'),
        fc.string({ maxLength: 6 }),
      ),
      fc.oneof(
        { weight: 4, arbitrary: fc.dictionary(filterType, filterSpec, { maxKeys: 2 }) },
        {
          weight: 1,
          arbitrary: json,
        },
      ),
      { maxKeys: 2 },
    ),
  },
  { weight: 1, arbitrary: json },
);

const coordinate = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -200, max: 200 }),
  },
  { weight: 1, arbitrary: nasty },
);
const position = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(coordinate, coordinate) },
  { weight: 1, arbitrary: fc.array(coordinate, { maxLength: 4 }) },
  { weight: 1, arbitrary: json },
);
const ring = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.tuple(finite, finite), { minLength: 3, maxLength: 12 })
      .map((points) => [...points, points[0]]),
  },
  { weight: 2, arbitrary: fc.array(position, { maxLength: 8 }) },
  { weight: 1, arbitrary: json },
);
const polygon = fc.oneof(
  { weight: 4, arbitrary: fc.array(ring, { minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: json },
);
const geometry = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('Polygon'), coordinates: polygon }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('MultiPolygon'),
      coordinates: fc.oneof(fc.array(polygon, { maxLength: 3 }), json),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        type: fc.oneof(fc.constantFrom('Point', 'LineString', 'GeometryCollection'), json),
        coordinates: json,
        geometries: json,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: json },
);
const spatialFilters = fc.oneof(
  { weight: 4, arbitrary: fc.record({ geom: geometry }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.oneof(fc.constantFrom('geom', '__proto__'), fc.string()),
      geometry,
      {
        maxKeys: 2,
      },
    ),
  },
  { weight: 1, arbitrary: json },
);

const SOURCES = [
  'demo.stores',
  'stores',
  'carto_dw.demo.stores',
  'demo.cells',
  'demo.nope',
  '__sources.x',
];
const QUERIES = [
  'SELECT * FROM demo.stores',
  'SELECT store_type, revenue, geom FROM demo.stores WHERE revenue > ?',
  'SELECT store_type, \'{"a": 1}\' AS geom FROM demo.stores',
  'SELECT store_type, \'{"type": "Point", "coordinates": "abc"}\' AS geom FROM demo.stores',
  'SELECT 1 AS x',
  'SELECT * FROM demo.cells',
  'SELECT quadbin, population FROM demo.cells WHERE population > ?',
];

const sourceParams = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant<unknown>('table'),
      source: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom<unknown>(...SOURCES) },
        {
          weight: 1,
          arbitrary: json,
        },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant<unknown>('query'),
      source: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom<unknown>(...QUERIES) },
        {
          weight: 1,
          arbitrary: json,
        },
      ),
      queryParameters: fc.oneof(fc.constant([500]), fc.array(scalar, { maxLength: 2 }), json),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: json, source: json }) },
);

const modelParams = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      {
        operation,
        column: fc.oneof(column, fc.array(column, { maxLength: 3 })),
        operationColumn: column,
        ticks: fc.oneof(fc.array(finite, { maxLength: 6 }), json),
        orderBy: fc.oneof(
          fc.constantFrom<unknown>('frequency_desc', 'frequency_asc', 'alphabetical_asc'),
          json,
        ),
        othersThreshold: fc.oneof(fc.integer({ min: -2, max: 10 }), json),
        stepSize: fc.oneof(fc.constantFrom<unknown>('year', 'month', 'day', 'hour'), json),
        limit: fc.oneof(fc.integer({ min: -5, max: 20 }), json),
        offset: fc.oneof(fc.integer({ min: -5, max: 100 }), json),
        sortBy: column,
        sortDirection: fc.oneof(fc.constantFrom<unknown>('asc', 'desc', 'DESC'), json),
        xAxisColumn: column,
        yAxisColumn: column,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: json },
);

/**
 * A value at `path` in a copy of `target`, made an own property (also for "__proto__"): the
 * way to corrupt one field of an otherwise well-formed request.
 */
function setPath(target: unknown, path: string[], value: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  const base: Record<string, unknown> =
    target && typeof target === 'object' ? { ...(target as Record<string, unknown>) } : {};
  const child = Object.hasOwn(base, key) ? base[key] : undefined;
  Object.defineProperty(base, key, {
    value: setPath(child, rest, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return base;
}

/** Up to two fields of a request replaced by arbitrary or nasty JSON. */
const mutations = (paths: string[]) =>
  fc.array(fc.tuple(fc.constantFrom(...paths), json), { maxLength: 2 });

function mutate(params: Record<string, unknown>, changes: [string, unknown][]) {
  let out: unknown = params;
  for (const [path, value] of changes) out = setPath(out, path.split('.'), value);
  return out as Record<string, unknown>;
}

const sortedTicks = fc
  .array(fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 3000 }), {
    minLength: 1,
    maxLength: 6,
  })
  .map((ticks) => [...ticks].sort((x, y) => x - y));

/** Well-formed params per model, with valid-looking but arbitrary choices. */
const VALID_PARAMS: Record<string, fc.Arbitrary<Record<string, unknown>>> = {
  formula: fc.oneof(
    fc.record({ operation: fc.constant('count'), column: fc.constant('*') }),
    fc.record({ operation, column: fc.constantFrom('revenue', 'size_m2') }),
  ),
  category: fc.record({
    column: fc.constantFrom('store_type', 'open', 'size_m2'),
    operation,
    operationColumn: fc.constantFrom('revenue', 'size_m2'),
    othersThreshold: fc.integer({ min: 0, max: 3 }),
    orderBy: fc.constantFrom('frequency_desc', 'frequency_asc', 'alphabetical_asc'),
  }),
  histogram: fc.record({
    column: fc.constantFrom('revenue', 'size_m2'),
    ticks: sortedTicks,
    operation,
  }),
  range: fc.record({ column: fc.constantFrom('revenue', 'size_m2', 'opened_at', 'store_type') }),
  scatterplot: fc.record({
    xAxisColumn: fc.constantFrom('revenue', 'size_m2'),
    yAxisColumn: fc.constantFrom('revenue', 'size_m2'),
    limit: fc.integer({ min: 0, max: 100 }),
  }),
  table: fc.record(
    {
      column: fc.subarray(['store_type', 'revenue', 'size_m2', 'opened_at']),
      sortBy: fc.constantFrom('revenue', 'store_type'),
      sortDirection: fc.constantFrom('asc', 'desc'),
      limit: fc.integer({ min: 0, max: 50 }),
      offset: fc.integer({ min: 0, max: 70 }),
    },
    { requiredKeys: [] },
  ),
  timeseries: fc.record({
    column: fc.constant('opened_at'),
    stepSize: fc.constantFrom('year', 'quarter', 'month', 'week', 'day'),
    operation,
    operationColumn: fc.constantFrom('revenue', 'size_m2'),
  }),
};

const validFilters = fc.dictionary(
  fc.constantFrom('store_type', 'revenue', 'size_m2', 'opened_at', 'open'),
  fc.oneof(
    fc.record({ in: fc.record({ values: fc.array(scalar, { maxLength: 4 }) }) }),
    fc.record({
      between: fc.record({ values: fc.array(fc.tuple(finite, finite), { maxLength: 2 }) }),
    }),
    fc.record({
      closed_open: fc.record({ values: fc.array(fc.tuple(finite, finite), { maxLength: 2 }) }),
    }),
    fc.record({
      time: fc.record({
        values: fc.array(
          fc.tuple(fc.integer({ min: 0, max: 2e12 }), fc.integer({ min: 0, max: 2e12 })),
          { maxLength: 2 },
        ),
      }),
    }),
    fc.record({
      stringSearch: fc.record({
        values: fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }),
        params: fc.record(
          { caseSensitive: fc.boolean(), mustStart: fc.boolean(), mustEnd: fc.boolean() },
          { requiredKeys: [] },
        ),
      }),
    }),
  ),
  { maxKeys: 2 },
);

const validGeometry = fc.oneof(
  fc.record({
    type: fc.constant('Polygon'),
    coordinates: fc.array(
      fc
        .array(fc.tuple(finite, finite), { minLength: 3, maxLength: 12 })
        .map((points) => [...points, points[0]]),
      { minLength: 1, maxLength: 2 },
    ),
  }),
  fc
    .tuple(
      fc.double({ noNaN: true, min: -180, max: 170 }),
      fc.double({ noNaN: true, min: -80, max: 70 }),
      fc.double({ noNaN: true, min: 0.1, max: 180 }),
    )
    .map(([w, s, size]) => ({
      type: 'Polygon',
      coordinates: [
        [
          [w, s],
          [w + size, s],
          [w + size, s + size],
          [w, s + size],
          [w, s],
        ],
      ],
    })),
  fc.record({
    type: fc.constant('MultiPolygon'),
    coordinates: fc.array(
      fc.array(
        fc
          .array(fc.tuple(finite, finite), { minLength: 3, maxLength: 6 })
          .map((points) => [...points, points[0]]),
        { minLength: 1, maxLength: 2 },
      ),
      { minLength: 1, maxLength: 2 },
    ),
  }),
);

/** A well-formed model request most of the time, wild otherwise; then up to two fields broken. */
const modelRequest = (model: string) =>
  fc.record({
    source: fc.oneof(
      { weight: 6, arbitrary: fc.constant({ type: 'table', source: 'demo.stores' }) },
      { weight: 1, arbitrary: sourceParams },
    ),
    params: fc.oneof(
      { weight: 6, arbitrary: VALID_PARAMS[model] ?? modelParams },
      { weight: 1, arbitrary: modelParams },
    ),
    filters: fc.option(
      fc.oneof({ weight: 4, arbitrary: validFilters }, { weight: 1, arbitrary: filters }),
      { nil: undefined },
    ),
    filtersLogicalOperator: fc.option(fc.oneof(fc.constantFrom<unknown>('and', 'or', 'OR'), json), {
      nil: undefined,
    }),
    spatialFilters: fc.option(
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ geom: validGeometry }) },
        { weight: 1, arbitrary: spatialFilters },
      ),
      { nil: undefined },
    ),
    spatialFilter: fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: geometry },
    ),
    extra: fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 2 }),
    viaQuery: fc.boolean(),
    changes: fc.oneof(
      { weight: 1, arbitrary: fc.constant<[string, unknown][]>([]) },
      {
        weight: 2,
        arbitrary: mutations([
          'type',
          'source',
          'queryParameters',
          'params',
          'params.operation',
          'params.column',
          'params.operationColumn',
          'params.ticks',
          'params.limit',
          'params.offset',
          'params.othersThreshold',
          'params.stepSize',
          'params.sortBy',
          'params.sortDirection',
          'params.xAxisColumn',
          'filters',
          'filters.revenue',
          'filters.revenue.in',
          'filters.revenue.in.values',
          'filters.store_type.stringSearch.params',
          'filtersLogicalOperator',
          'spatialFilters',
          'spatialFilters.geom',
          'spatialFilters.geom.type',
          'spatialFilters.geom.coordinates',
          'spatialFilters.geom.coordinates.0',
          'spatialFilters.geom.coordinates.0.0',
          'spatialFilters.geom.coordinates.0.0.1',
          'spatialFilters.__proto__',
          'params.__proto__',
          'filters.__proto__',
        ]),
      },
    ),
  });

const MODELS = ['formula', 'category', 'histogram', 'range', 'scatterplot', 'table', 'timeseries'];

describe('fuzzing the widget models: never a 5xx, never a hang', () => {
  it.each(MODELS)(
    '%s',
    async (model) => {
      await fc.assert(
        fc.asyncProperty(modelRequest(model), async (r) => {
          const params = mutate(
            {
              ...r.extra,
              ...r.source,
              params: r.params,
              filters: r.filters,
              filtersLogicalOperator: r.filtersLogicalOperator,
              spatialFilters: r.spatialFilters,
              spatialFilter: r.spatialFilter,
              spatialDataColumn: 'geom',
              spatialDataType: 'geo',
            },
            r.changes,
          );
          const response = await send(
            `model/${model}`,
            request(`/v3/sql/carto_dw/model/${model}`, params, r.viaQuery),
          );
          await expectNo5xx(response, params);
        }),
        { numRuns: RUNS },
      );
    },
    120_000,
  );
});

// ---- Maps ---------------------------------------------------------------------------------

const wildMapRequest = fc.record({
  type: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('table', 'query') },
    { weight: 1, arbitrary: fc.constantFrom('tileset', 'raster', '__proto__', 'x') },
  ),
  name: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<unknown>(...SOURCES) },
    { weight: 1, arbitrary: json },
  ),
  q: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<unknown>(...QUERIES) },
    { weight: 1, arbitrary: json },
  ),
  queryParameters: fc.oneof(fc.constant<unknown>([500]), fc.array(scalar, { maxLength: 2 }), json),
  columns: fc.oneof(
    fc.constantFrom<unknown>(undefined, 'store_type,revenue', 'population', 'nope', ','),
    json,
  ),
  filters: fc.option(filters, { nil: undefined }),
  filtersLogicalOperator: fc.option(json, { nil: undefined }),
  spatialDataType: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<unknown>(undefined, 'geo', 'quadbin') },
    { weight: 1, arbitrary: json },
  ),
  spatialDataColumn: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<unknown>(undefined, 'geom', 'quadbin', 'revenue') },
    { weight: 1, arbitrary: json },
  ),
  aggregationExp: fc.oneof(
    fc.constantFrom<unknown>(
      undefined,
      'SUM(population) AS population',
      'count(*) AS n',
      'population',
      '1; DROP TABLE demo.cells',
      '(SELECT 1)',
    ),
    json,
  ),
  aggregationResLevel: fc.oneof(fc.integer({ min: -2, max: 14 }), json),
  tile: fc.oneof(
    fc
      .tuple(
        fc.integer({ min: -1, max: 22 }),
        fc.integer({ min: -1, max: 5000 }),
        fc.integer({ min: -1, max: 5000 }),
      )
      .map(([z, x, y]) => `${z}/${x}/${y}`),
    fc.constantFrom(
      '0/0/0',
      '1/1/0',
      '2/1/1',
      '1.5/0/0',
      'a/b/c',
      '0/0/0x1',
      '99999999999999999999/0/0',
    ),
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((n) => n.toString(16).padStart(16, '0')),
    fc.constantFrom(
      pointToCell(-3.7, 40.4, 2).toString(16),
      pointToCell(0, 0, 4).toString(16),
      '480fffffffffffff',
      'zzzzzzzzzzzzzzzz',
      '%00',
    ),
    fc.string({ maxLength: 20 }).map((s) => encodeURIComponent(s)),
  ),
});

const validTile = fc
  .integer({ min: 0, max: 10 })
  .chain((z) =>
    fc
      .tuple(fc.integer({ min: 0, max: 2 ** z - 1 }), fc.integer({ min: 0, max: 2 ** z - 1 }))
      .map(([x, y]) => `${z}/${x}/${y}`),
  );
const validCell = fc
  .tuple(
    fc.double({ noNaN: true, min: -180, max: 180 }),
    fc.double({ noNaN: true, min: -85, max: 85 }),
    fc.integer({ min: 0, max: 12 }),
  )
  .map(([lon, lat, z]) => pointToCell(lon, lat, z).toString(16));

const GEO_QUERIES = [
  'SELECT store_type, revenue, geom FROM demo.stores',
  'SELECT store_type, revenue, geom FROM demo.stores WHERE revenue > ?',
  'SELECT store_type, \'{"type": "Point", "coordinates": "abc"}\' AS geom FROM demo.stores',
  'SELECT store_type, \'{"type": "Point", "coordinates": [1e999, 0]}\' AS geom FROM demo.stores',
];

/** Well-formed Maps requests: a geo table, a geo query, a quadbin table. */
const validMapRequest = fc.oneof(
  fc.record({
    type: fc.constant('table'),
    name: fc.constantFrom<unknown>('demo.stores', 'stores'),
    columns: fc.constantFrom<unknown>(undefined, 'store_type,revenue', 'revenue'),
    filters: fc.option(validFilters, { nil: undefined }),
    spatialDataType: fc.constant<unknown>('geo'),
    tile: validTile,
  }),
  fc.record({
    type: fc.constant('query'),
    q: fc.constantFrom<unknown>(...GEO_QUERIES),
    queryParameters: fc.constantFrom<unknown>(undefined, [500], [1500]),
    filters: fc.option(validFilters, { nil: undefined }),
    tile: validTile,
  }),
  fc.record({
    type: fc.constant('table'),
    name: fc.constant<unknown>('demo.cells'),
    spatialDataType: fc.constant<unknown>('quadbin'),
    spatialDataColumn: fc.constant<unknown>('quadbin'),
    aggregationExp: fc.constantFrom<unknown>('SUM(population) AS population', 'count(*) AS n'),
    aggregationResLevel: fc.integer({ min: 0, max: 8 }),
    tile: validCell,
  }),
);

const mapRequest = fc.record({
  base: fc.oneof(
    { weight: 3, arbitrary: validMapRequest },
    { weight: 1, arbitrary: wildMapRequest },
  ),
  viaQuery: fc.boolean(),
  changes: fc.oneof(
    { weight: 1, arbitrary: fc.constant<[string, unknown][]>([]) },
    {
      weight: 1,
      arbitrary: mutations([
        'name',
        'q',
        'queryParameters',
        'columns',
        'filters',
        'filters.revenue',
        'filters.revenue.between.values',
        'filtersLogicalOperator',
        'spatialDataType',
        'spatialDataColumn',
        'aggregationExp',
        'aggregationResLevel',
        '__proto__',
      ]),
    },
  ),
});

describe('fuzzing the Maps API: instantiation, TileJSON and tiles never give a 5xx or hang', () => {
  it('instantiate → tilejson → tile', async () => {
    await fc.assert(
      fc.asyncProperty(mapRequest, async ({ base: chosen, viaQuery, changes }) => {
        const { type, tile, ...rest } = chosen;
        const params = mutate(
          Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
          changes,
        );
        const instantiated = await send(
          'maps/instantiate',
          request(`/v3/maps/carto_dw/${encodeURIComponent(type)}`, params, viaQuery),
        );
        await expectNo5xx(instantiated, params);
        let base = `/v3/maps/carto_dw/${encodeURIComponent(type)}/0123456789abcdef`;
        if (instantiated.status === 200) {
          const body = (await instantiated.json()) as { tilejson: { url: string[] } };
          const url = body.tilejson.url[0] ?? '';
          base = url.replace(ISSUER, '').replace(/\/tilejson$/, '');
          const tilejson = await send(
            'maps/tilejson',
            bearerRequest(url.replace(ISSUER, ''), token),
          );
          await expectNo5xx(tilejson, params);
        }
        const answer = await send('maps/tile', bearerRequest(`${base}/tiles/${tile}`, token));
        await expectNo5xx(answer, { params, tile });
      }),
      { numRuns: RUNS },
    );
  }, 180_000);
});
