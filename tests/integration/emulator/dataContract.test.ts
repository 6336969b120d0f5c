import { describe, expect, it } from 'vitest';
import {
  query,
  vectorQuerySource,
  vectorTableSource,
  type VectorTableSourceResponse,
} from '@carto/api-client';
import { parse } from '@loaders.gl/core';
import { MVTLoader } from '@loaders.gl/mvt';
import { EMULATOR_URL, sampleDataEmulator } from '../../mocks/emulator';
import { API_TOKEN, M2M } from '../../utils/emulatorHarness';

let token: string;

sampleDataEmulator((t) => {
  token = t;
});

const base = () => ({ accessToken: token, apiBaseUrl: EMULATOR_URL, connectionName: 'carto_dw' });

interface ParsedFeature {
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: number[] };
}

async function tile(
  source: VectorTableSourceResponse,
  z: number,
  x: number,
  y: number,
  accessToken = token,
) {
  const url = source.tiles[0]!.replace('{z}', String(z))
    .replace('{x}', String(x))
    .replace('{y}', String(y));
  const response = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
  if (response.status === 204) return { response, features: [] as ParsedFeature[] };
  const features = (await parse(await response.arrayBuffer(), MVTLoader, {
    mvt: { coordinates: 'wgs84', tileIndex: { x, y, z }, shape: 'geojson' },
  })) as unknown as ParsedFeature[];
  return { response, features };
}

describe('maps API with the real vectorTableSource / vectorQuerySource', () => {
  it('instantiates a table source and serves MVT tiles the client decodes', async () => {
    const source = await vectorTableSource({ ...base(), tableName: 'demo.populated_places' });
    expect(source.tilejson).toBe('3.0.0');
    expect(source.tiles[0]).toContain('formatTiles=mvt');
    expect(source.accessToken).toBe(token);
    expect(source.schema.map((c) => c.name)).toEqual([
      'cartodb_id',
      'name',
      'country',
      'feature_code',
      'population',
      'geom',
    ]);
    expect(source.fraction_dropped_per_zoom?.[0]).toBeGreaterThan(0.9);

    const world = await tile(source, 0, 0, 0);
    expect(world.response.headers.get('Content-Type')).toBe('application/vnd.mapbox-vector-tile');
    expect(world.response.headers.get('Cache-Control')).toContain('max-age');
    // 5,000 kept, plus the few that geojson-vt repeats in the buffer across the tile edge.
    expect(world.features.length).toBeGreaterThanOrEqual(5000);
    expect(world.features.length).toBeLessThan(5100);
    // Madrid area, zoom 8: every city there, with its properties, in the right place.
    const madrid = await tile(source, 8, 125, 96);
    const names = madrid.features.map((f) => f.properties.name);
    expect(names).toContain('Madrid');
    const city = madrid.features.find((f) => f.properties.name === 'Madrid');
    expect(city?.properties.country).toBe('ES');
    expect(city?.geometry.coordinates[0]).toBeCloseTo(-3.7, 0);
    expect(city?.geometry.coordinates[1]).toBeCloseTo(40.4, 0);
  });

  it('an empty tile is 204', async () => {
    const source = await vectorTableSource({ ...base(), tableName: 'demo.populated_places' });
    const ocean = await tile(source, 10, 200, 600);
    expect(ocean.response.status).toBe(204);
  });

  it('honours columns and filters', async () => {
    const source = await vectorTableSource({
      ...base(),
      tableName: 'demo.retail_stores',
      columns: ['store_type', 'revenue'],
      filters: { store_type: { in: { values: ['Pharmacy'] } } },
    });
    const { features } = await tile(source, 0, 0, 0);
    expect(features.length).toBeGreaterThan(1000);
    expect(new Set(features.map((f) => f.properties.store_type))).toEqual(new Set(['Pharmacy']));
    const { layerName, ...properties } = features[0]!.properties;
    expect(layerName).toBe('default');
    expect(Object.keys(properties).sort()).toEqual(['revenue', 'store_type']);
  });

  it('query sources instantiated at the same time all work (one storage schema, made once)', async () => {
    const sources = await Promise.all(
      [1e5, 2e5, 3e5, 4e5].map((min) =>
        vectorQuerySource({
          ...base(),
          sqlQuery: `SELECT name, population, geom FROM demo.populated_places WHERE population > ${min}`,
        }),
      ),
    );
    expect(sources.map((s) => s.tilejson)).toEqual(['3.0.0', '3.0.0', '3.0.0', '3.0.0']);
  });

  it('a query source with a WHERE clause draws fewer features than the table', async () => {
    const table = await vectorTableSource({ ...base(), tableName: 'demo.populated_places' });
    const big = await vectorQuerySource({
      ...base(),
      sqlQuery: 'SELECT name, population, geom FROM demo.populated_places WHERE population > ?',
      queryParameters: [1_000_000],
    });
    const tableTile = await tile(table, 0, 0, 0);
    const queryTile = await tile(big as unknown as VectorTableSourceResponse, 0, 0, 0);
    expect(queryTile.features.length).toBeGreaterThan(200);
    expect(queryTile.features.length).toBeLessThan(tableTile.features.length);
    expect(queryTile.features.every((f) => Number(f.properties.population) > 1_000_000)).toBe(true);
  });

  it('the long POST form works the same', async () => {
    const names = Array.from({ length: 700 }, (_, i) => `Place ${i}`).concat(['Madrid']);
    const source = await vectorTableSource({
      ...base(),
      tableName: 'demo.populated_places',
      filters: { name: { in: { values: names } } },
    });
    const { features } = await tile(source, 0, 0, 0);
    expect(features.map((f) => f.properties.name)).toContain('Madrid');
  });
});

describe('SQL API and widget models with the real client', () => {
  it('query() returns rows and schema', async () => {
    const result = await query({
      ...base(),
      sqlQuery:
        'SELECT name, population FROM demo.populated_places ORDER BY population DESC LIMIT 3',
    });
    expect(result.rows).toHaveLength(3);
    expect(result.schema.map((c) => c.name)).toEqual(['name', 'population']);
    expect(Number(result.rows[0]!.population)).toBeGreaterThan(10_000_000);
  });

  it('formula, category, histogram, range, table, timeseries, scatter', async () => {
    const { widgetSource } = await vectorTableSource({
      ...base(),
      tableName: 'demo.retail_stores',
    });
    expect(await widgetSource.getFormula({ column: '*', operation: 'count' })).toEqual({
      value: 20_000,
    });
    const categories = await widgetSource.getCategories({
      column: 'store_type',
      operation: 'count',
    });
    expect(categories).toHaveLength(6);
    expect(categories.reduce((sum, c) => sum + c.value, 0)).toBe(20_000);
    expect(categories[0]!.name).toBe('Supermarket');

    // Top categories and the rest as "others", computed by the server (a column with more
    // categories than a result may hold still answers).
    const top = await widgetSource.getCategories({
      column: 'city',
      operation: 'count',
      othersThreshold: 3,
    });
    expect(top).toHaveLength(4);
    expect(top[3]?.name).toBe('_carto_others');
    expect(top.reduce((sum, c) => sum + c.value, 0)).toBe(20_000);
    expect(top[0]!.value).toBeGreaterThanOrEqual(top[1]!.value);

    // A custom expression's "others" is the expression over the other categories' rows: revenue
    // per m² of all stores outside the top 2 store types, not a sum of their ratios.
    const ratio = 'SUM(revenue) / SUM(size_m2)';
    const topRatios = await widgetSource.getCategories({
      column: 'store_type',
      operation: 'custom',
      operationExp: ratio,
      othersThreshold: 2,
    });
    expect(topRatios).toHaveLength(3);
    expect(topRatios[2]?.name).toBe('_carto_others');
    const topNames = topRatios.slice(0, 2).map((c) => String(c.name));
    const rest = await query({
      ...base(),
      sqlQuery: `SELECT ${ratio} AS v FROM demo.retail_stores WHERE store_type NOT IN ('${topNames.join("', '")}')`,
    });
    expect(topRatios[2]!.value).toBeCloseTo(Number(rest.rows[0]!.v), 6);

    const range = await widgetSource.getRange({ column: 'size_m2' });
    expect(range!.min).toBeGreaterThanOrEqual(80);
    const histogram = await widgetSource.getHistogram({
      column: 'size_m2',
      operation: 'count',
      ticks: [500, 1000, 2000],
    });
    expect(histogram).toHaveLength(4);
    expect(histogram.reduce((a, b) => a + b, 0)).toBe(20_000);
    // With a filter, the bins count the filtered rows (the ticks are bound in their place).
    const filters = { store_type: { in: { values: ['Pharmacy'] } } };
    const pharmacies = await widgetSource.getFormula({ column: '*', operation: 'count', filters });
    const filtered = await widgetSource.getHistogram({
      column: 'size_m2',
      operation: 'count',
      ticks: [500, 1000, 2000],
      filters,
    });
    expect(filtered).toHaveLength(4);
    expect(filtered.reduce((a, b) => a + b, 0)).toBe(pharmacies.value);
    const small = await widgetSource.getFormula({
      column: '*',
      operation: 'count',
      filters: { ...filters, size_m2: { closed_open: { values: [[0, 500]] } } },
    });
    expect(filtered[0]).toBe(small.value);

    const table = await widgetSource.getTable({
      columns: ['name', 'revenue'],
      sortBy: 'revenue',
      sortDirection: 'desc',
      limit: 5,
    });
    expect(table.totalCount).toBe(20_000);
    expect(table.rows).toHaveLength(5);
    expect(Number(table.rows[0]!.revenue)).toBeGreaterThanOrEqual(Number(table.rows[1]!.revenue));

    const series = await widgetSource.getTimeSeries({
      column: 'opened_at',
      stepSize: 'year',
      operation: 'count',
    });
    expect(series.rows).toHaveLength(25);
    expect(series.rows.reduce((sum, r) => sum + r.value, 0)).toBe(20_000);

    const scatter = await widgetSource.getScatter({
      xAxisColumn: 'size_m2',
      yAxisColumn: 'revenue',
    });
    expect(scatter.length).toBe(500);
  });

  it('filters, the OR operator and a viewport spatial filter narrow the result', async () => {
    const { widgetSource } = await vectorTableSource({
      ...base(),
      tableName: 'demo.retail_stores',
      filters: { store_type: { in: { values: ['Pharmacy', 'Hardware'] } } },
    });
    const both = await widgetSource.getFormula({ column: '*', operation: 'count' });
    expect(both.value).toBe(2961 + 2003);
    const texas = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [-106.6, 25.8],
          [-93.5, 25.8],
          [-93.5, 36.5],
          [-106.6, 36.5],
          [-106.6, 25.8],
        ],
      ],
    };
    const inTexas = await widgetSource.getFormula({
      column: '*',
      operation: 'count',
      spatialFilter: texas,
    });
    expect(inTexas.value).toBeGreaterThan(0);
    expect(inTexas.value).toBeLessThan(both.value!);
    // A triangle inside the box is exact for points, so it keeps fewer.
    const triangle = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [-106.6, 25.8],
          [-93.5, 25.8],
          [-106.6, 36.5],
          [-106.6, 25.8],
        ],
      ],
    };
    const inTriangle = await widgetSource.getFormula({
      column: '*',
      operation: 'count',
      spatialFilter: triangle,
    });
    expect(inTriangle.value).toBeLessThan(inTexas.value!);
  });
});

describe('scopes are enforced', () => {
  it('a datasets:r:populated_places token reads that table only', async () => {
    const allowed = await vectorTableSource({
      ...base(),
      accessToken: API_TOKEN,
      tableName: 'demo.populated_places',
    });
    expect(allowed.tiles).toHaveLength(1);
    await expect(
      vectorTableSource({ ...base(), accessToken: API_TOKEN, tableName: 'demo.retail_stores' }),
    ).rejects.toThrow(/Forbidden/);
    await expect(
      query({
        ...base(),
        accessToken: API_TOKEN,
        sqlQuery:
          'SELECT p.name FROM demo.populated_places p JOIN demo.retail_stores s ON p.name = s.city',
      }),
    ).rejects.toThrow(/Forbidden/);
    await expect(
      query({
        ...base(),
        accessToken: API_TOKEN,
        sqlQuery: 'WITH s AS (SELECT * FROM demo.retail_stores) SELECT count(*) FROM s',
      }),
    ).rejects.toThrow(/Forbidden/);
    const listing = await fetch(`${EMULATOR_URL}/v3/connections/carto_dw/resources/demo`, {
      headers: { Authorization: `Bearer ${API_TOKEN}` },
    });
    const children = ((await listing.json()) as { children: { name: string }[] }).children.map(
      (c) => c.name,
    );
    expect(children).toEqual(['populated_places']);
  });

  it('no token or a bad one is 401', async () => {
    const none = await fetch(`${EMULATOR_URL}/v3/sql/carto_dw/query?q=SELECT%201`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: string }).error).toContain('Unauthorized');
    await expect(query({ ...base(), accessToken: 'nope', sqlQuery: 'SELECT 1' })).rejects.toThrow(
      /Unauthorized/,
    );
  });
});

describe('bad input gets a JSON error, never a crash', () => {
  const sql = async (q: string) => {
    const response = await fetch(
      `${EMULATOR_URL}/v3/sql/carto_dw/query?q=${encodeURIComponent(q)}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    return { status: response.status, body: (await response.json()) as { error: string } };
  };

  it.each([
    ['bad SQL', 'SELEC nothing', 400, /syntax error/i],
    ['a write', 'DELETE FROM demo.retail_stores', 400, /Only SELECT/],
    ['two statements', 'SELECT 1; SELECT 2', 400, /exactly one/],
    ['file access', "SELECT * FROM read_csv('/etc/passwd')", 403, /Table functions/],
    ['an unknown table', 'SELECT * FROM demo.nope', 404, /not found/],
    ['a table function', 'SELECT * FROM range(10)', 403, /Table functions/],
    ['too many rows', 'SELECT cartodb_id FROM demo.populated_places', 413, /more than 100000 rows/],
  ])('%s', async (_name, q, status, message) => {
    const result = await sql(q);
    expect(result.status).toBe(status);
    expect(result.body.error).toMatch(message);
  });

  it('an unknown column is "Column not found" with its name', async () => {
    const { widgetSource } = await vectorTableSource({
      ...base(),
      tableName: 'demo.retail_stores',
    });
    await expect(
      widgetSource.getCategories({ column: 'nope', operation: 'count' }),
    ).rejects.toThrow('Column not found nope');
    await expect(
      vectorTableSource({ ...base(), tableName: 'demo.retail_stores', columns: ['nope'] }),
    ).rejects.toThrow(/Column not found/);
  });

  it('malformed filters and params', async () => {
    const headers = { Authorization: `Bearer ${token}` };
    const bad = [
      `${EMULATOR_URL}/v3/maps/carto_dw/table?name=demo.retail_stores&filters=${encodeURIComponent('{"store_type":{"in":{"values":"x"}}}')}`,
      `${EMULATOR_URL}/v3/maps/carto_dw/table?name=demo.retail_stores&filters=${encodeURIComponent('{not json')}`,
      `${EMULATOR_URL}/v3/sql/carto_dw/model/histogram?type=table&source=demo.retail_stores&params=${encodeURIComponent('{"column":"revenue","ticks":"a"}')}`,
      `${EMULATOR_URL}/v3/sql/carto_dw/model/nope?type=table&source=demo.retail_stores&params={}`,
    ];
    for (const url of bad) {
      const response = await fetch(url, { headers });
      expect(response.status).toBe(400);
      expect(typeof ((await response.json()) as { error: unknown }).error).toBe('string');
    }
    const huge = await fetch(`${EMULATOR_URL}/v3/sql/carto_dw/query`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ q: `SELECT 1 -- ${'x'.repeat(1_100_000)}` }),
    });
    expect(huge.status).toBe(413);
    const ok = await sql('SELECT 1 AS one');
    expect(ok.status).toBe(200);
  });
});

describe('listing, isolines and geocoding', () => {
  it('lists connections, schemas and tables; legacy /api/v4/datasets pages', async () => {
    const headers = { Authorization: `Bearer ${token}` };
    const connections = (await (
      await fetch(`${EMULATOR_URL}/v3/connections`, { headers })
    ).json()) as { name: string }[];
    expect(connections.map((c) => c.name)).toEqual(['carto_dw']);
    const demo = (await (
      await fetch(`${EMULATOR_URL}/v3/connections/carto_dw/resources/demo`, { headers })
    ).json()) as { children: { name: string; rows: number }[] };
    expect(demo.children.map((c) => c.name)).toEqual([
      'populated_places',
      'retail_stores',
      'countries',
      'us_states',
      'population_h3',
      'population_quadbin',
    ]);
    const page = (await (
      await fetch(`${EMULATOR_URL}/api/v4/datasets?page=2&per_page=2`, { headers })
    ).json()) as {
      total: number;
      count: number;
      result: { name: string }[];
      _links: Record<string, unknown>;
    };
    expect(page).toMatchObject({ total: 6, count: 2 });
    expect(page.result.map((r) => r.name)).toEqual(['countries', 'us_states']);
    expect(Object.keys(page._links).sort()).toEqual(['first', 'last', 'next', 'prev']);
  });

  async function ldsToken() {
    const response = await fetch(`${EMULATOR_URL}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'm2m-lds',
        client_secret: M2M.clientSecret,
      }),
    });
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it('isolines need dataservices:isolines and return polygons that grow with the range', async () => {
    const forbidden = await fetch(
      `${EMULATOR_URL}/v3/lds/isolines?origin=40.4,-3.7&mode=walk&range=600`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(forbidden.status).toBe(403);
    const headers = { Authorization: `Bearer ${await ldsToken()}` };
    const response = await fetch(
      `${EMULATOR_URL}/v3/lds/isolines?origin=40.4,-3.7&mode=car&range=300,900&range_type=time`,
      { headers },
    );
    const collection = (await response.json()) as {
      features: {
        geometry: { type: string; coordinates: number[][][] };
        properties: { range: number; approximation: string };
      }[];
    };
    expect(collection.features.map((f) => f.properties.range)).toEqual([300, 900]);
    expect(collection.features[0]!.geometry.type).toBe('Polygon');
    expect(collection.features[0]!.properties.approximation).toContain('no road network');
    const extent = (f: (typeof collection.features)[number]) =>
      Math.max(...f.geometry.coordinates[0]!.map(([x = 0]) => x)) -
      Math.min(...f.geometry.coordinates[0]!.map(([x = 0]) => x));
    expect(extent(collection.features[1]!)).toBeCloseTo(extent(collection.features[0]!) * 3, 3);
    for (const bad of [
      'origin=abc&range=300',
      'origin=40,-3&range=-1',
      'origin=40,-3&range=300&mode=plane',
    ]) {
      expect((await fetch(`${EMULATOR_URL}/v3/lds/isolines?${bad}`, { headers })).status).toBe(400);
    }
  });

  it('geocoding finds places in populated_places', async () => {
    const headers = { Authorization: `Bearer ${await ldsToken()}` };
    const response = await fetch(
      `${EMULATOR_URL}/v3/lds/geocoding/geocode?address=Madrid&country=ES`,
      { headers },
    );
    const [result] = (await response.json()) as {
      value: { latitude: number; longitude: number; name: string }[];
    }[];
    expect(result?.value[0]).toMatchObject({ name: 'Madrid' });
    expect(result?.value[0]?.latitude).toBeCloseTo(40.4, 0);
  });
});
