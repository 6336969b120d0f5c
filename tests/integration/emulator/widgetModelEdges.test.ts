/**
 * Widget model answers that were wrong without an error (issue 15), checked with the real
 * `@carto/api-client` against the emulator: open-ended ranges and time series split by a
 * category; and the models it lacked: custom operations (`operationExp`) and `aggregations`,
 * whose SQL goes through the same sandbox as the SQL API.
 */
import { describe, expect, it } from 'vitest';
import { vectorTableSource, type Filters } from '@carto/api-client';
import { parse } from '@loaders.gl/core';
import { MVTLoader } from '@loaders.gl/mvt';
import { EMULATOR_URL, sampleDataEmulator } from '../../mocks/emulator';

let token: string;

sampleDataEmulator((t) => {
  token = t;
});

type Widgets = Awaited<ReturnType<typeof vectorTableSource>>['widgetSource'];

async function stores(): Promise<Widgets> {
  const { widgetSource } = await vectorTableSource({
    accessToken: token,
    apiBaseUrl: EMULATOR_URL,
    connectionName: 'carto_dw',
    tableName: 'demo.retail_stores',
  });
  return widgetSource;
}

/** The row count for these filters (JSON carries `Infinity` as `null`, as the client sends it). */
const count = async (source: Widgets, filters?: Record<string, unknown>) =>
  (
    await source.getFormula({
      column: '*',
      operation: 'count',
      ...(filters ? { filters: filters as Filters } : {}),
    })
  ).value ?? NaN;

describe('open-ended ranges (a histogram’s first and last bars)', () => {
  it('[x, Infinity] and [-Infinity, x] count what is above and below x', async () => {
    const source = await stores();
    const all = await count(source);
    const above = await count(source, {
      size_m2: { closed_open: { values: [[500, Infinity]] } },
    });
    const below = await count(source, {
      size_m2: { closed_open: { values: [[-Infinity, 500]] } },
    });
    const between = await count(source, { size_m2: { between: { values: [[500, Infinity]] } } });
    expect(above).toBeGreaterThan(0);
    expect(below).toBeGreaterThan(0);
    expect(above + below).toBe(all);
    expect(between).toBe(above);
  });

  it('a range open at both ends keeps every row with a value; two nulls in a time range too', async () => {
    const source = await stores();
    const all = await count(source);
    expect(
      await count(source, { size_m2: { closed_open: { values: [[-Infinity, Infinity]] } } }),
    ).toBe(all);
    expect(await count(source, { opened_at: { time: { values: [[-Infinity, Infinity]] } } })).toBe(
      all,
    );
  });

  it('still refuses a bound that is not a number or a string', async () => {
    const source = await stores();
    await expect(
      count(source, { size_m2: { closed_open: { values: [[{ a: 1 }, 10]] } } }),
    ).rejects.toThrow(/numbers or strings/);
  });
});

/** Stores opened per year, one series per store type; and one series' total. */
async function splitSeries(
  source: Widgets,
  options: { splitByCategoryLimit?: number; splitByCategoryValues?: string[]; filters?: Filters },
) {
  const split = await source.getTimeSeries({
    column: 'opened_at',
    stepSize: 'year',
    operation: 'count',
    splitByCategory: 'store_type',
    ...options,
  });
  const rows = split.rows as unknown as { name: number; value: number; category: string }[];
  const total = (category: string) =>
    rows.filter((r) => r.category === category).reduce((s, r) => s + r.value, 0);
  return { categories: split.categories, rows, total };
}

describe('time series split by a category', () => {
  it('answers one series per category, the top ones by the operation, with their names', async () => {
    const source = await stores();
    const split = await splitSeries(source, { splitByCategoryLimit: 2 });
    const categories = await source.getCategories({ column: 'store_type', operation: 'count' });
    const top = categories.slice(0, 2).map((c) => c.name);
    expect(split.categories).toEqual(top);
    expect(new Set(split.rows.map((r) => r.category))).toEqual(new Set(top));
    // Each category's series adds up to that category's count.
    for (const category of categories.slice(0, 2))
      expect(split.total(String(category.name))).toBe(category.value);
  });

  it('splitByCategoryValues picks the series; the filters apply to them', async () => {
    const source = await stores();
    const split = await splitSeries(source, {
      splitByCategoryValues: ['Hardware', 'Pharmacy'],
      filters: { size_m2: { closed_open: { values: [[0, 500]] } } },
    });
    expect(split.categories).toEqual(['Hardware', 'Pharmacy']);
    const pharmacies = await count(source, {
      store_type: { in: { values: ['Pharmacy'] } },
      size_m2: { closed_open: { values: [[0, 500]] } },
    });
    expect(split.total('Pharmacy')).toBe(pharmacies);
  });

  it('an unknown split column is a clear 400', async () => {
    const source = await stores();
    await expect(
      source.getTimeSeries({
        column: 'opened_at',
        stepSize: 'year',
        operation: 'count',
        splitByCategory: 'no_such_column',
      }),
    ).rejects.toThrow(/no_such_column|Column not found/);
  });
});

describe('custom operations and the aggregations model', () => {
  it('a custom operation computes its expression over the filtered rows', async () => {
    const source = await stores();
    const filters = { store_type: { in: { values: ['Pharmacy'] } } } as Filters;
    const sum = await source.getFormula({ column: 'revenue', operation: 'sum', filters });
    const n = await count(source, filters);
    const custom = await source.getFormula({
      column: 'revenue',
      operation: 'custom',
      operationExp: 'sum(revenue) / count(*)',
      filters,
    });
    expect(custom.value).toBeCloseTo((sum.value ?? NaN) / n, 6);
    const byType = await source.getCategories({
      column: 'store_type',
      operation: 'custom',
      operationExp: 'max(size_m2) - min(size_m2)',
    });
    expect(byType).toHaveLength(6);
    for (const c of byType) expect(c.value).toBeGreaterThan(0);
  });

  it('aggregations: a list of {column, operation, alias}, or SQL text', async () => {
    const source = await stores();
    const listed = await source.getAggregations({
      aggregations: [
        { column: 'revenue', operation: 'sum', alias: 'total' },
        { column: 'size_m2', operation: 'max', alias: 'Largest' },
        { column: '*', operation: 'count', alias: 'n' },
      ],
    });
    const row = listed.rows[0]!;
    expect(Number(row.n)).toBe(await count(source));
    expect(Number(row.total)).toBeGreaterThan(0);
    const text = await source.getAggregations({
      aggregations: 'sum(revenue) AS total, count(*) AS n -- a comment',
    });
    expect(Number(text.rows[0]!.n)).toBe(Number(row.n));
    expect(Number(text.rows[0]!.total)).toBeCloseTo(Number(row.total), 3);
  });

  // A 403 reaches the client as "Forbidden access to the requested data" (its own wording).
  it.each([
    [
      'reads another table',
      'sum(revenue) + (SELECT count(*) FROM demo.populated_places)',
      /Forbidden/,
    ],
    ['brings its own FROM', 'count(*) FROM demo.populated_places', /expressions only/],
    ['has a WHERE', 'count(*) WHERE revenue > 0', /expressions only/],
    ['calls a refused function', "max(current_setting('home_directory'))", /Forbidden/],
    ['is two statements', 'count(*); SELECT 1', /exactly one|expressions only|syntax/i],
    ['reads the catalog', '(SELECT count(*) FROM duckdb_tables())', /Forbidden/],
  ])('refuses an expression that %s', async (_, expression, message) => {
    const source = await stores();
    await expect(
      source.getFormula({ column: 'revenue', operation: 'custom', operationExp: expression }),
    ).rejects.toThrow(message);
    await expect(source.getAggregations({ aggregations: expression })).rejects.toThrow(message);
  });

  it('says why, with a 403, when an expression reads another table', async () => {
    const response = await fetch(`${EMULATOR_URL}/v3/sql/carto_dw/model/formula`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'table',
        source: 'demo.retail_stores',
        params: {
          column: 'revenue',
          operation: 'custom',
          operationExp: 'count(*) + (SELECT count(*) FROM demo.populated_places)',
        },
      }),
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/only the source’s own columns/);
  });

  it('refuses an aliased or multiple operationExp, and a malformed aggregations list', async () => {
    const source = await stores();
    await expect(
      source.getFormula({
        column: 'revenue',
        operation: 'custom',
        operationExp: 'sum(revenue) AS x',
      }),
    ).rejects.toThrow(/one expression/);
    await expect(
      source.getAggregations({
        aggregations: [{ column: 'revenue', operation: 'median' as 'sum', alias: 'm' }],
      }),
    ).rejects.toThrow(/operation/);
    await expect(
      source.getAggregations({
        aggregations: [{ column: 'revenue', operation: 'sum', alias: '' }],
      }),
    ).rejects.toThrow(/alias/);
  });
});

describe('the stats API', () => {
  it('getExtent: the bounding box of the rows that pass the filters', async () => {
    const source = await stores();
    const all = await source.getExtent();
    const [xmin, ymin, xmax, ymax] = all.bbox;
    // The sample stores are in the US, Alaska and Hawaii included.
    expect(xmin).toBeGreaterThan(-180);
    expect(xmax).toBeLessThan(-66);
    expect(ymin).toBeGreaterThan(18);
    expect(ymax).toBeLessThan(72);
    const texas = await source.getExtent({
      filters: { state_code: { in: { values: ['TX'] } } },
    });
    // Texas: within about -106.7..-93.5, 25.8..36.5.
    expect(texas.bbox[0]).toBeGreaterThan(-107);
    expect(texas.bbox[2]).toBeLessThan(-93);
    expect(texas.bbox[1]).toBeGreaterThan(25.5);
    expect(texas.bbox[3]).toBeLessThan(36.6);
  });

  it('a number column’s summary and a text column’s top categories; bad names are 4xx', async () => {
    const get = (path: string) =>
      fetch(`${EMULATOR_URL}/v3/stats/carto_dw/${path}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
    const revenue = (await (await get('demo.retail_stores/revenue')).json()) as Record<
      string,
      number
    >;
    expect(revenue).toMatchObject({ attribute: 'revenue', type: 'Number', count: 20_000 });
    expect(revenue.min).toBeLessThanOrEqual(revenue.avg!);
    expect(revenue.avg).toBeLessThanOrEqual(revenue.max!);
    const types = (await (await get('demo.retail_stores/store_type')).json()) as {
      categories: { category: string; frequency: number }[];
    };
    expect(types.categories[0]?.category).toBe('Supermarket');
    expect(types.categories.reduce((s, c) => s + c.frequency, 0)).toBe(20_000);
    expect((await get('demo.retail_stores/no_such_column')).status).toBe(400);
    expect((await get('demo.no_such_table/geom')).status).toBe(404);
    const anonymous = await fetch(`${EMULATOR_URL}/v3/stats/carto_dw/demo.retail_stores/geom`);
    expect(anonymous.status).toBe(401);
  });
});

describe('spatial filters are exact for shapes and lines, not their bounding boxes', () => {
  const box = (west: number, south: number, east: number, north: number) => ({
    type: 'Polygon' as const,
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  });
  const names = async (tableName: string, spatialFilter: ReturnType<typeof box>) => {
    const { widgetSource } = await vectorTableSource({
      accessToken: token,
      apiBaseUrl: EMULATOR_URL,
      connectionName: 'carto_dw',
      tableName,
    });
    const categories = await widgetSource.getCategories({
      column: 'name',
      operation: 'count',
      spatialFilter,
    });
    return categories.map((c) => c.name).sort();
  };

  it('a view inside Spain is Spain alone (France’s box, with French Guiana, covers it too)', async () => {
    expect(await names('demo.countries', box(-4, 40, -3, 41))).toEqual(['Spain']);
  });

  it('a view on open sea inside the boxes of Mexico and the USA meets no country', async () => {
    expect(await names('demo.countries', box(-91, 24, -89, 25))).toEqual([]);
  });

  it('a triangle meets the states its edges cross, not those only its box reaches', async () => {
    const triangle = {
      type: 'Polygon' as const,
      // Across Kansas and Missouri; its box also covers much of Nebraska and Oklahoma.
      coordinates: [
        [
          [-101, 37.5],
          [-91, 38.5],
          [-101, 39.5],
          [-101, 37.5],
        ],
      ],
    };
    expect(await names('demo.us_states', triangle)).toEqual(['Kansas', 'Missouri']);
  });
});

describe('the pick model (getFeatures): the rows of the features picked on the map', () => {
  it('reads back, in order, the features whose _carto_feature_id a tile gave', async () => {
    const source = await vectorTableSource({
      accessToken: token,
      apiBaseUrl: EMULATOR_URL,
      connectionName: 'carto_dw',
      tableName: 'demo.us_states',
      columns: ['_carto_feature_id'],
    });
    // Zoom 4 tile 3/6 (the central US): the states in it, with their ids only.
    const url = source.tiles[0]!.replace('{z}', '4').replace('{x}', '3').replace('{y}', '6');
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    const features = (await parse(await response.arrayBuffer(), MVTLoader, {
      mvt: { coordinates: 'wgs84', tileIndex: { x: 3, y: 6, z: 4 }, shape: 'geojson' },
    })) as unknown as { properties: Record<string, unknown> }[];
    expect(features.length).toBeGreaterThan(3);
    for (const f of features) expect(f.properties).not.toHaveProperty('name');
    const ids = features.slice(0, 3).map((f) => String(f.properties._carto_feature_id));
    const picked = await source.widgetSource.getFeatures({
      featureIds: [...ids].reverse(),
      columns: ['name', '_carto_feature_id'],
      dataType: 'polygons',
    });
    expect(picked.rows.map((r) => r._carto_feature_id)).toEqual([...ids].reverse());
    expect(picked.metadata.total).toBe(3);
    for (const row of picked.rows) expect(typeof row.name).toBe('string');
    // The same ids under a filter that excludes one of them.
    const [first] = picked.rows;
    const filtered = await source.widgetSource.getFeatures({
      featureIds: ids,
      columns: ['name'],
      dataType: 'polygons',
      filters: { name: { in: { owner: 'x', values: [String(first!.name)] } } },
    });
    expect(filtered.rows).toEqual([{ name: first!.name }]);
  });

  it('refuses a pick without ids, with too many, or with unknown columns', async () => {
    const widgets = await stores();
    for (const [featureIds, columns, message] of [
      [[], ['name'], /featureIds must be a list of 1 to 1000/],
      [Array.from({ length: 1001 }, (_, i) => String(i)), ['name'], /1 to 1000/],
      [['1'], ['nope'], /Column not found/],
    ] as const) {
      await expect(
        widgets.getFeatures({
          featureIds: [...featureIds],
          columns: [...columns],
          dataType: 'points',
        }),
      ).rejects.toThrow(message);
    }
  });
});
