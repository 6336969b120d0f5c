/**
 * Inputs that used to give a 500 (or a wrong answer): each is now a 4xx that says what was
 * wrong. A small warehouse of its own (no sample data) keeps the file fast.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import { Database } from '../../../emulator/data/database';
import type { SampleTable } from '../../../emulator/data/sampleData';
import {
  bearer,
  bearerRequest,
  clientToken,
  ISSUER,
  makeTestEmulator,
  testConfig,
} from '../../utils/emulatorHarness';

const PLACES: SampleTable = {
  schema: 'demo',
  name: 'populated_places',
  description: 'A tiny gazetteer',
  spatial: 'geo',
  columns: [
    { name: 'name', type: 'VARCHAR' },
    { name: 'country', type: 'VARCHAR' },
    { name: 'population', type: 'BIGINT' },
  ],
  rows: [
    ['Madrid', 'ES', 3_300_000, -3.7, 40.4],
    ['Madridejos', 'ES', 10_000, -3.5, 39.5],
    ['100% Town', 'US', 500, -100, 40],
    ['A_B', 'US', 400, -101, 41],
    ['Back\\slash', 'US', 300, -102, 42],
  ].map(([name, country, population, x, y]) => ({
    values: [name as string, country as string, population as number],
    geometry: { type: 'Point', coordinates: [x as number, y as number] },
  })),
};

const STORES: SampleTable = {
  schema: 'demo',
  name: 'stores',
  description: 'A few stores',
  spatial: 'geo',
  columns: [
    { name: 'store_type', type: 'VARCHAR' },
    { name: 'revenue', type: 'DOUBLE' },
    { name: 'opened_at', type: 'DATE' },
  ],
  rows: Array.from({ length: 40 }, (_, i) => ({
    values: [i % 2 ? 'Pharmacy' : 'Hardware', 1000 + i * 10, `2020-0${(i % 9) + 1}-01`],
    geometry: { type: 'Point', coordinates: [-10 + i * 0.5, 30 + (i % 7)] },
  })),
};

const OTHER_ORG_GEOCODER = 'm2m-other-org-geocoder';
const NARROW_GEOCODER = 'm2m-narrow-geocoder';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
  const base = await testConfig();
  const m2m = base.m2mClients ?? [];
  const hash = m2m[0]?.clientSecretHash ?? '';
  ({ emulator } = await makeTestEmulator(undefined, {
    data: await Database.create({ sample: false, extraTables: [PLACES, STORES] }),
    config: {
      m2mClients: [
        ...m2m,
        // A user outside the organization the gazetteer's connection is shared with.
        {
          clientId: OTHER_ORG_GEOCODER,
          name: 'Other org',
          clientSecretHash: hash,
          user: 'auth0|ana',
          scopes: ['dataservices:geocoding'],
        },
        // The gazetteer's owner, but a token narrowed to another table.
        {
          clientId: NARROW_GEOCODER,
          name: 'Narrow',
          clientSecretHash: hash,
          user: 'auth0|demo',
          scopes: ['dataservices:geocoding', 'datasets:r:demo.stores'],
        },
      ],
    },
  }));
  token = await clientToken(emulator);
}, 30_000);

const get = (path: string, accessToken = token) => bearer(emulator, path, accessToken);

const post = (path: string, body: unknown) =>
  emulator.fetch(bearerRequest(path, token, JSON.stringify(body)));

async function expectClientError(response: Response, message: RegExp) {
  const text = await response.text();
  expect(response.status, text).toBeGreaterThanOrEqual(400);
  expect(response.status, text).toBeLessThan(500);
  expect((JSON.parse(text) as { error?: string }).error, text).toMatch(message);
}

const model = (name: string, extra: Record<string, unknown>) =>
  post(`/v3/sql/carto_dw/model/${name}`, { type: 'table', source: 'demo.stores', ...extra });

describe('model operations are looked up, never read off a prototype', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'COUNT '])(
    'operation %j is a 400 naming the operations there are',
    async (operation) => {
      for (const name of ['formula', 'category', 'histogram', 'timeseries']) {
        const response = await model(name, {
          params: {
            operation,
            column:
              name === 'category' ? 'store_type' : name === 'timeseries' ? 'opened_at' : 'revenue',
            operationColumn: 'revenue',
            ticks: [1100, 1200],
          },
        });
        await expectClientError(response, /Unknown operation .*count, sum, avg, min, max/);
      }
    },
  );

  it('the known ones still answer, in any case', async () => {
    const response = await model('formula', { params: { operation: 'SUM', column: 'revenue' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ rows: [{ value: 40 * 1000 + 10 * ((39 * 40) / 2) }] });
  });

  it('a histogram without ticks is a 400 that says so (was a SQL syntax error)', async () => {
    await expectClientError(
      await model('histogram', { params: { column: 'revenue', ticks: [] } }),
      /^ticks must be a list of at least one number/,
    );
  });

  it('other lookups by a client string: orderBy, stepSize, sortDirection, filter types', async () => {
    await expectClientError(
      await model('timeseries', { params: { column: 'opened_at', stepSize: '__proto__' } }),
      /Unknown stepSize/,
    );
    await expectClientError(
      await model('formula', {
        params: { operation: 'count' },
        // An own "__proto__" key, as JSON.parse makes it (an object literal would set the prototype).
        filters: JSON.parse('{"store_type": {"__proto__": {"values": ["x"]}}}') as unknown,
      }),
      /filter/i,
    );
    await expectClientError(
      await model('formula', {
        params: { operation: 'count' },
        filters: { constructor: { in: { values: ['x'] } } },
      }),
      /Column not found/,
    );
    await expectClientError(
      await model('category', { params: { column: 'store_type', orderBy: 'constructor' } }),
      /orderBy/,
    );
  });
});

const square = [
  [
    [-20, 20],
    [20, 20],
    [20, 40],
    [-20, 40],
    [-20, 20],
  ],
];

describe('spatialFilters are validated', () => {
  it.each([
    ['a string', 'abc'],
    ['a number', 5],
    ['a list', [{ type: 'Polygon', coordinates: square }]],
    ['an empty geometry', { geom: {} }],
    ['null geometry', { geom: null }],
    ['a text geometry', { geom: 'Polygon' }],
    ['text coordinates', { geom: { type: 'Polygon', coordinates: 'abc' } }],
    ['object coordinates (multi)', { geom: { type: 'MultiPolygon', coordinates: {} } }],
    ['null coordinates (multi)', { geom: { type: 'MultiPolygon', coordinates: null } }],
    ['text coordinates (multi)', { geom: { type: 'MultiPolygon', coordinates: 'abc' } }],
    ['a ring of numbers', { geom: { type: 'Polygon', coordinates: [[1, 2, 3, 4]] } }],
    ['one nesting too many', { geom: { type: 'Polygon', coordinates: [square] } }],
    ['one nesting too few (multi)', { geom: { type: 'MultiPolygon', coordinates: square } }],
    [
      'text in a position',
      {
        geom: {
          type: 'Polygon',
          coordinates: [
            [
              ['1', '2'],
              [3, 4],
              [5, 6],
              ['1', '2'],
            ],
          ],
        },
      },
    ],
    [
      'a position of one number',
      { geom: { type: 'Polygon', coordinates: [[[1], [3, 4], [5, 6], [1]]] } },
    ],
    [
      'an open ring of two points',
      {
        geom: {
          type: 'Polygon',
          coordinates: [
            [
              [1, 2],
              [3, 4],
            ],
          ],
        },
      },
    ],
    ['an empty polygon', { geom: { type: 'Polygon', coordinates: [] } }],
    ['an empty ring', { geom: { type: 'Polygon', coordinates: [[]] } }],
    ['a point', { geom: { type: 'Point', coordinates: [1, 2] } }],
    ['a column that is not geom', { other: { type: 'Polygon', coordinates: square } }],
    ['a prototype key', JSON.parse('{"__proto__": {"type": "Polygon", "coordinates": []}}')],
  ])('%s: 400', async (_what, spatialFilters) => {
    for (const name of ['formula', 'range', 'table']) {
      const response = await model(name, {
        params: { operation: 'count', column: 'revenue' },
        spatialFilters,
      });
      await expectClientError(response, /spatialFilters|Spatial filter/);
    }
  });

  it('non-finite numbers (1e999 in JSON) are a 400', async () => {
    const body = `{"type":"table","source":"demo.stores","params":{"operation":"count"},"spatialFilters":{"geom":{"type":"Polygon","coordinates":[[[-20,20],[1e999,20],[20,40],[-20,20]]]}}}`;
    const response = await emulator.fetch(
      bearerRequest('/v3/sql/carto_dw/model/formula', token, body),
    );
    await expectClientError(response, /spatialFilters.*finite/);
  });

  it('valid filters still work: a rectangle, a triangle, a multipolygon and null (none)', async () => {
    const count = async (spatialFilters: unknown) => {
      const response = await model('formula', { params: { operation: 'count' }, spatialFilters });
      expect(response.status).toBe(200);
      return ((await response.json()) as { rows: { value: number }[] }).rows[0]?.value;
    };
    expect(await count(null)).toBe(40);
    const inSquare = await count({ geom: { type: 'Polygon', coordinates: square } });
    expect(inSquare).toBe(40);
    const triangle = [
      [
        [-20, 20],
        [20, 20],
        [-20, 40],
        [-20, 20],
      ],
    ];
    const inTriangle = await count({ geom: { type: 'Polygon', coordinates: triangle } });
    expect(inTriangle).toBeGreaterThan(0);
    expect(inTriangle).toBeLessThan(40);
    const multi = await count({
      geom: {
        type: 'MultiPolygon',
        coordinates: [
          triangle,
          [
            [
              [50, 50],
              [51, 50],
              [51, 51],
              [50, 50],
            ],
          ],
        ],
      },
    });
    expect(multi).toBe(inTriangle);
  });

  it('a polygon of 170,000 vertices is refused with a 413 saying the limit, quickly', async () => {
    const ring: number[][] = [];
    for (let i = 0; i < 170_000; i++) {
      const a = (i / 170_000) * 2 * Math.PI;
      ring.push([Math.round(Math.cos(a) * 1e3) / 1e2, Math.round(Math.sin(a) * 1e3) / 1e2 + 30]);
    }
    ring.push(ring[0]!);
    const started = performance.now();
    const response = await model('formula', {
      params: { operation: 'count' },
      spatialFilters: { geom: { type: 'Polygon', coordinates: [ring] } },
    });
    // Over the body limit or over the vertex limit: either way a 413 that says so.
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(/too large|vertices/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a polygon over the vertex limit but under the body limit is a 413 naming the limit', async () => {
    const ring: number[][] = [];
    for (let i = 0; i < 60_000; i++) ring.push([i % 7, (i * 3) % 11]);
    ring.push(ring[0]!);
    const response = await model('formula', {
      params: { operation: 'count' },
      spatialFilters: { geom: { type: 'Polygon', coordinates: [ring] } },
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /60,001 vertices.*at most/,
    );
  });

  it('a polygon of 10,000 vertices is fine and exact', async () => {
    const ring: number[][] = [];
    for (let i = 0; i < 10_000; i++) {
      const a = (i / 10_000) * 2 * Math.PI;
      ring.push([Math.cos(a) * 30, Math.sin(a) * 30 + 30]);
    }
    ring.push(ring[0]!);
    const response = await model('formula', {
      params: { operation: 'count' },
      spatialFilters: { geom: { type: 'Polygon', coordinates: [ring] } },
    });
    expect(response.status).toBe(200);
    const value = ((await response.json()) as { rows: { value: number }[] }).rows[0]?.value;
    // Stores are at x = -10 .. 9.5, y = 30 .. 36: all inside a circle of radius 30 around (0, 30).
    expect(value).toBe(40);
  });
});

describe('a query source whose geom is JSON but no geometry', () => {
  it.each([
    ['an object without a type', `'{"a": 1}'`],
    ['a list', `'[1, 2]'`],
    ['JSON null', `'null'`],
    ['text coordinates', `'{"type": "Point", "coordinates": "abc"}'`],
    ['an unknown type', `'{"type": "Circle", "coordinates": [1, 2]}'`],
    ['not JSON at all', `'POINT (1 2)'`],
    ['a number', `42`],
  ])(
    '%s: instantiation or the tile is a 4xx saying the geometry is not GeoJSON',
    async (_what, geom) => {
      const q = `SELECT store_type, ${geom} AS geom FROM demo.stores`;
      const instantiated = await post('/v3/maps/carto_dw/query', { q });
      if (instantiated.status !== 200) {
        // Not JSON at all is refused by the query source itself (DuckDB: "Malformed JSON").
        await expectClientError(instantiated, /geom.*GeoJSON|Malformed JSON/);
        return;
      }
      const { tilejson } = (await instantiated.json()) as { tilejson: { url: string[] } };
      const tilejsonUrl = tilejson.url[0]!.replace(ISSUER, '');
      const tiles = await get(tilejsonUrl);
      expect(tiles.status).toBeLessThan(500);
      const tile = await get(tilejsonUrl.replace(/tilejson$/, 'tiles/0/0/0'));
      if (tile.status === 204) return;
      await expectClientError(tile, /geom.*GeoJSON/);
    },
  );
});

describe('geocoding', () => {
  const geocode = async (address: string, bearer: string) => {
    const response = await get(
      `/v3/lds/geocoding/geocode?address=${encodeURIComponent(address)}&limit=20`,
      bearer,
    );
    return response;
  };
  const names = async (response: Response) => {
    expect(response.status).toBe(200);
    const [result] = (await response.json()) as { value: { name: string }[] }[];
    return (result?.value ?? []).map((p) => p.name);
  };

  it('LIKE wildcards in the address are literal text', async () => {
    const lds = await clientToken(emulator, 'm2m-lds');
    expect(await names(await geocode('Madrid', lds))).toEqual(['Madrid', 'Madridejos']);
    expect(await names(await geocode('%', lds))).toEqual([]);
    expect(await names(await geocode('_adrid', lds))).toEqual([]);
    expect(await names(await geocode('100%', lds))).toEqual(['100% Town']);
    expect(await names(await geocode('A_', lds))).toEqual(['A_B']);
    expect(await names(await geocode('Back\\', lds))).toEqual(['Back\\slash']);
    expect(await names(await geocode('\\', lds))).toEqual([]);
  });

  it('needs the right to read the gazetteer, as the other data routes do', async () => {
    const other = await geocode('Madrid', await clientToken(emulator, OTHER_ORG_GEOCODER));
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: string }).error).toMatch(
      /Forbidden.*populated_places/,
    );
    const narrow = await geocode('Madrid', await clientToken(emulator, NARROW_GEOCODER));
    expect(narrow.status).toBe(403);
    expect(((await narrow.json()) as { error: string }).error).toMatch(
      /Forbidden.*populated_places/,
    );
  });
});
