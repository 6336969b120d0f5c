/**
 * The connection's SQL dialect (issue 15): client SQL on carto_dw (a BigQuery connection) is
 * BigQuery's, translated to DuckDB and then checked by the sandbox like any client SQL.
 */
import { describe, expect, it } from 'vitest';
import { query, vectorQuerySource } from '@carto/api-client';
import { EMULATOR_URL, sampleDataEmulator } from '../../mocks/emulator';

let token: string;

sampleDataEmulator((t) => {
  token = t;
});

const base = () => ({ accessToken: token, apiBaseUrl: EMULATOR_URL, connectionName: 'carto_dw' });

async function sql(q: string, queryParameters?: unknown) {
  const search = new URLSearchParams({ q });
  if (queryParameters !== undefined) search.set('queryParameters', JSON.stringify(queryParameters));
  const response = await fetch(`${EMULATOR_URL}/v3/sql/carto_dw/query?${search}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('BigQuery SQL on carto_dw', () => {
  it('backtick names, named parameters and IN UNNEST(@list), through query()', async () => {
    const result = await query({
      ...base(),
      sqlQuery:
        'SELECT name, country FROM `carto_dw.demo.populated_places` WHERE country IN UNNEST(@countries) AND population > @min ORDER BY population DESC LIMIT 3',
      queryParameters: { countries: ['ES', 'FR'], min: 1_000_000 },
    });
    expect(result.rows.map((r) => String(r.name))).toEqual(['Madrid', 'Paris', 'Barcelona']);
  });

  it('positional ? parameters', async () => {
    const result = await query({
      ...base(),
      sqlQuery:
        'SELECT COUNT(*) AS n FROM `carto_dw`.demo.populated_places WHERE country = ? AND population > ?',
      queryParameters: ['ES', 1_000_000],
    });
    expect(result.rows).toEqual([{ n: 2 }]);
  });

  it('BigQuery functions: SAFE_CAST, IFNULL, COUNTIF, DATE_TRUNC(d, MONTH), FORMAT_DATE, TO_JSON_STRING, ARRAY_AGG', async () => {
    const result = await query({
      ...base(),
      sqlQuery: `SELECT
          SAFE_CAST('12' AS INT64) AS twelve,
          SAFE_CAST('x' AS INT64) AS bad,
          IFNULL(NULL, 'fallback') AS fallback,
          FORMAT_DATE('%Y-%m', DATE_TRUNC(DATE '2024-05-17', MONTH)) AS month,
          TO_JSON_STRING(STRUCT(1 AS a, 'x' AS b)) AS json,
          (SELECT COUNTIF(population > 5000000) FROM demo.populated_places) AS megacities,
          (SELECT ARRAY_AGG(name ORDER BY name) FROM demo.us_states WHERE name LIKE 'Al%') AS states`,
    });
    const [row] = result.rows;
    expect(row).toMatchObject({
      twelve: 12,
      bad: null,
      fallback: 'fallback',
      month: '2024-05',
      states: ['Alabama', 'Alaska'],
    });
    expect(JSON.parse(String(row?.json))).toEqual({ a: 1, b: 'x' });
    expect(Number(row?.megacities)).toBeGreaterThan(10);
  });

  it('a query source with named parameters (vectorQuerySource)', async () => {
    const source = await vectorQuerySource({
      ...base(),
      sqlQuery:
        'SELECT name, geom FROM `carto_dw.demo.populated_places` WHERE country = @country AND population > @min',
      queryParameters: { country: 'ES', min: 1_000_000 },
    });
    expect(await source.widgetSource.getFormula({ column: '*', operation: 'count' })).toEqual({
      value: 2,
    });
  });

  it('DuckDB SQL that BigQuery cannot parse still runs as before', async () => {
    const result = await query({
      ...base(),
      sqlQuery: 'SELECT population::DOUBLE AS p FROM demo.populated_places WHERE name = ? LIMIT 1',
      queryParameters: ['Madrid'],
    });
    expect(result.rows).toHaveLength(1);
  });
});

describe('bad BigQuery input is a clear 400', () => {
  it('a missing named parameter', async () => {
    const { status, body } = await sql('SELECT @x AS v', { y: 1 });
    expect(status).toBe(400);
    expect(body.error).toMatch(/no value for @x/);
  });

  it('a list where a single value goes, and a single value for IN UNNEST', async () => {
    const one = await sql('SELECT @x AS v', { x: [1, 2] });
    expect(one.status).toBe(400);
    expect(one.body.error).toMatch(/@x is a single value/);
    const list = await sql('SELECT 1 AS v FROM demo.us_states WHERE name IN UNNEST(@names)', {
      names: 'Ohio',
    });
    expect(list.status).toBe(400);
    expect(list.body.error).toMatch(/@names is used with IN UNNEST/);
  });

  it('named parameters sent as a list, and ? sent as an object', async () => {
    expect((await sql('SELECT @x AS v', [1])).body.error).toMatch(/as an object/);
    expect((await sql('SELECT ? AS v', { x: 1 })).body.error).toMatch(/as a list of values/);
  });

  it('@@system variables', async () => {
    const { status, body } = await sql('SELECT @@project_id AS p');
    expect(status).toBe(400);
    expect(body.error).toMatch(/@@project_id/);
  });

  it('a function the sandbox does not allow is still refused after translation', async () => {
    const { status, body } = await sql("SELECT current_setting('memory_limit') AS m");
    expect(status).toBe(403);
    expect(body.error).toMatch(/current_setting/);
  });

  it('an unknown BigQuery table is a 404 naming it', async () => {
    const { status, body } = await sql('SELECT * FROM `carto-demo-data.demo_tables.nope`');
    expect(status).toBe(404);
    expect(body.error).toContain('carto-demo-data');
  });
});

describe('a BigQuery construct DuckDB cannot run', () => {
  it('is a 400 that names it', async () => {
    const { status, body } = await sql(
      'SELECT ARRAY_AGG(name ORDER BY name LIMIT 2) AS a FROM demo.us_states',
    );
    expect(status).toBe(400);
    expect(body.error).toMatch(/LIMIT/);
  });

  it('a BigQuery syntax error says where', async () => {
    const { status, body } = await sql('SELECT name FROM demo.us_states WHERE');
    expect(status).toBe(400);
    expect(body.error).toMatch(/line 1, column \d+/);
  });
});

describe('results shaped like CARTO’s', () => {
  it('a BigQuery connection answers geometry columns as parsed GeoJSON (row.geom.coordinates)', async () => {
    const result = await query({
      ...base(),
      sqlQuery:
        "SELECT name, geom FROM `carto_dw.demo.populated_places` WHERE name = @name AND country = 'ES'",
      queryParameters: { name: 'Madrid' },
    });
    const geom = result.rows[0]?.geom as { type: string; coordinates: number[] };
    expect(geom.type).toBe('Point');
    expect(geom.coordinates[0]).toBeCloseTo(-3.7, 1);
    expect(geom.coordinates[1]).toBeCloseTo(40.4, 1);
    expect(result.schema.find((c) => c.name === 'geom')?.type).toBe('geography');
  });
});
