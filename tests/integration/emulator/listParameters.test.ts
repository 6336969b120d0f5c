import { describe, expect, it } from 'vitest';
import {
  query,
  vectorQuerySource,
  WidgetQuerySource,
  type VectorTableSourceResponse,
} from '@carto/api-client';
import { parse } from '@loaders.gl/core';
import { MVTLoader } from '@loaders.gl/mvt';
import { EMULATOR_URL, sampleDataEmulator } from '../../mocks/emulator';

let token: string;
sampleDataEmulator((t) => {
  token = t;
});

const base = () => ({ accessToken: token, apiBaseUrl: EMULATOR_URL, connectionName: 'carto_dw' });

/** Stores of some types, with a revenue in a range: a multi-select and a numeric range. */
const STORES =
  'SELECT cartodb_id, store_type, revenue, geom FROM demo.retail_stores ' +
  'WHERE list_contains(?, store_type) AND revenue BETWEEN ? AND ?';

async function truth(types: string[], from: number, to: number): Promise<number> {
  const inList = types.map((t) => `'${t.replace(/'/g, "''")}'`).join(', ');
  const result = await query({
    ...base(),
    sqlQuery: `SELECT count(*) AS n FROM demo.retail_stores WHERE store_type IN (${inList}) AND revenue BETWEEN ${from} AND ${to}`,
  });
  return Number(result.rows[0]?.n);
}

const sqlApi = (q: string, queryParameters: unknown) =>
  fetch(
    `${EMULATOR_URL}/v3/sql/carto_dw/query?${new URLSearchParams({
      q,
      queryParameters: JSON.stringify(queryParameters),
    })}`,
    { headers: { Authorization: `Bearer ${token}` } },
  );

describe('list query parameters (a multi-select bound as one array)', () => {
  it('the SQL API binds an array for list_contains and for IN (SELECT unnest(?))', async () => {
    const expected = await truth(['Supermarket', 'Drugstore'], 0, 1e12);
    expect(expected).toBeGreaterThan(0);
    const listed = await query({
      ...base(),
      sqlQuery: 'SELECT count(*) AS n FROM demo.retail_stores WHERE list_contains(?, store_type)',
      queryParameters: [['Supermarket', 'Drugstore']],
    });
    expect(Number(listed.rows[0]?.n)).toBe(expected);
    const unnested = await query({
      ...base(),
      sqlQuery:
        'SELECT count(*) AS n FROM demo.retail_stores WHERE store_type IN (SELECT unnest(?))',
      queryParameters: [['Supermarket', 'Drugstore']],
    });
    expect(Number(unnested.rows[0]?.n)).toBe(expected);
  });

  it('types a list by its items: empty, with nulls, whole and decimal numbers, booleans', async () => {
    const rows = async (q: string, queryParameters: unknown[]) => {
      const response = await sqlApi(q, queryParameters);
      expect(response.status).toBe(200);
      return ((await response.json()) as { rows: Record<string, unknown>[] }).rows;
    };
    expect(
      await rows(
        'SELECT count(*) AS n FROM demo.retail_stores WHERE list_contains(?, store_type)',
        [[]],
      ),
    ).toEqual([{ n: 0 }]);
    expect(
      await rows('SELECT ? AS a, ? AS b, ? AS c, ? AS d', [[null, 'x'], [1, 2], [1, 2.5], [true]]),
    ).toEqual([{ a: [null, 'x'], b: [1, 2], c: [1, 2.5], d: [true] }]);
    const ids = await rows(
      'SELECT cartodb_id FROM demo.retail_stores WHERE list_contains(?, cartodb_id) ORDER BY 1',
      [[3, 1, 2]],
    );
    expect(ids.map((row) => Number(row.cartodb_id))).toEqual([1, 2, 3]);
  });

  it('refuses objects, nested lists and mixed lists with a clear error', async () => {
    for (const [params, message] of [
      [[{ a: 1 }], /only hold strings, numbers, booleans, null and lists/],
      [[[['a']]], /no objects or nested lists/],
      [[[{ a: 1 }]], /no objects or nested lists/],
      [[['a', 1]], /values of one type/],
    ] as const) {
      const response = await sqlApi('SELECT ? AS x', params);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
    }
  });

  it("a query source's tilejson and tiles bind the array", async () => {
    const types = ['Supermarket', 'Drugstore'];
    const expected = await truth(types, 1_000_000, 3_000_000);
    const source = await vectorQuerySource({
      ...base(),
      sqlQuery: STORES,
      queryParameters: [types, 1_000_000, 3_000_000],
    });
    expect(source.tilejson).toBe('3.0.0');
    const url = source.tiles[0]!.replace('{z}', '0').replace('{x}', '0').replace('{y}', '0');
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const features = (await parse(await response.arrayBuffer(), MVTLoader, {
      mvt: { coordinates: 'wgs84', tileIndex: { x: 0, y: 0, z: 0 }, shape: 'geojson' },
    })) as unknown as { properties: Record<string, unknown> }[];
    expect(features.length).toBeGreaterThan(0);
    expect(features.every((f) => types.includes(String(f.properties.store_type)))).toBe(true);
    expect(
      features.every((f) => {
        const revenue = Number(f.properties.revenue);
        return revenue >= 1_000_000 && revenue <= 3_000_000;
      }),
    ).toBe(true);

    // The widgets of that source count the same rows.
    const { widgetSource } = source as unknown as VectorTableSourceResponse;
    expect(await widgetSource.getFormula({ column: '*', operation: 'count' })).toEqual({
      value: expected,
    });
  });

  it('a widget model over a query source binds the array (formula, category)', async () => {
    const widgets = new WidgetQuerySource({
      ...base(),
      sqlQuery: STORES,
      queryParameters: [['Convenience'], 0, 1e12],
    });
    expect(await widgets.getFormula({ column: '*', operation: 'count' })).toEqual({
      value: await truth(['Convenience'], 0, 1e12),
    });
    const categories = await widgets.getCategories({ column: 'store_type', operation: 'count' });
    expect(categories.map((c) => c.name)).toEqual(['Convenience']);
  });
});
