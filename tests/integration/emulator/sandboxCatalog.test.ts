/**
 * Issue 14: what client SQL may reference is allow-listed — the tables the token may read and a
 * list of functions — so the system catalog, settings and host details stay out of reach.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import { API_TOKEN, clientToken } from '../../utils/emulatorHarness';
import { runSql, sandboxEmulator } from './sandboxHarness';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
  emulator = await sandboxEmulator();
  token = await clientToken(emulator);
  // A stored query source: its internal table must not show up anywhere below.
  expect((await runSql(emulator, token, 'SELECT 41 + 1 AS answer')).status).toBe(200);
}, 60_000);

const sql = (q: string, params?: unknown[], t = token) => runSql(emulator, t, q, params);

describe('the catalog stays hidden', () => {
  it.each([
    'SHOW ALL TABLES',
    'SHOW TABLES',
    'SHOW DATABASES',
    'SHOW demo.populated_places',
    'DESCRIBE demo.populated_places',
    'SUMMARIZE demo.populated_places',
    'PRAGMA show_tables',
    'FROM duckdb_tables()',
    'SELECT * FROM duckdb_columns',
    'SELECT * FROM pg_catalog.pg_tables',
    'SELECT * FROM information_schema.tables',
    'SELECT * FROM system.main.duckdb_settings',
    'SELECT * FROM __sources.q_x',
  ])('%s is refused', async (q) => {
    const answer = await sql(q);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.error).not.toMatch(/q_[0-9a-f]{24}/);
    expect(answer.rows).toEqual([]);
  });

  it.each([
    [
      'pg_settings',
      'SELECT 1 AS x WHERE 1 IN (WITH pg_settings AS (SELECT 1) SELECT 1) AND EXISTS (SELECT * FROM pg_settings)',
    ],
    [
      'duckdb_tables',
      'SELECT (SELECT count(*) FROM duckdb_tables) AS n WHERE 1 IN (WITH duckdb_tables AS (SELECT 1) SELECT 1)',
    ],
    [
      'duckdb_columns',
      'WITH a AS (WITH duckdb_columns AS (SELECT 1 AS x) SELECT * FROM duckdb_columns) SELECT * FROM a, duckdb_columns',
    ],
  ])('a CTE named %s shadows only within its own WITH', async (name, q) => {
    const answer = await sql(q);
    expect(answer.status).toBe(404);
    expect(answer.error).toContain(name);
  });

  it('CTEs still work where they are in scope: chained, nested, and reading a table', async () => {
    const chained = await sql(
      'WITH a AS (SELECT name FROM demo.populated_places ORDER BY population DESC LIMIT 3), b AS (SELECT * FROM a) SELECT count(*) AS n FROM b',
    );
    expect(chained.rows).toEqual([{ n: 3 }]);
    const nested = await sql(
      'SELECT (WITH t AS (SELECT 2 AS v) SELECT v FROM t) AS v, (SELECT count(*) FROM demo.retail_stores) > 0 AS some',
    );
    expect(nested.rows).toEqual([{ v: 2, some: true }]);
  });

  it.each([
    ["current_setting('temp_directory')", 'current_setting'],
    ['current_query()', 'current_query'],
    ['version()', 'version'],
    ['current_database()', 'current_database'],
    ["pg_catalog.current_setting('threads')", 'current_setting'],
    ['duckdb_tables()', 'duckdb_tables'],
    ["getenv('HOME')", 'getenv'],
    ["json_serialize_plan('SELECT 1')", 'json_serialize_plan'],
    ['sleep_ms(100000)', 'sleep_ms'],
  ])('%s is refused, naming the function', async (call, name) => {
    const answer = await sql(`SELECT ${call} AS v`);
    expect(answer.status).toBe(403);
    expect(answer.error).toContain(`${name}()`);
    expect(answer.error).toContain('not allowed');
  });

  it.each([
    ['unnest(generate_series(1, 1e8))', 'generate_series'],
    ['unnest(range(100000000))', 'range'],
    ["repeat('x', 1000000000)", 'repeat'],
    ["lpad('x', 1000000000, 'y')", 'lpad'],
    ['list_resize([1], 100000000)', 'list_resize'],
  ])('%s is refused: no rows or bytes out of nothing', async (call, name) => {
    const answer = await sql(`SELECT ${call} AS v`);
    expect(answer.status).toBe(403);
    expect(answer.error).toContain(`${name}()`);
  });

  it('the usual functions work: the app’s, the tests’ and the widgets’', async () => {
    const answer = await sql(
      `SELECT upper(name) AS up, length(name) AS len, round(population / 1e6, 1) AS m,
        row_number() OVER (ORDER BY population DESC) AS r,
        list_contains(?, country) AS listed, json_extract_string('{"a":"b"}', '$.a') AS j,
        coalesce(NULL, 'x') AS c, CAST(population AS VARCHAR) LIKE '%0' AS zero,
        date_trunc('year', DATE '2024-05-06') AS y
       FROM demo.populated_places WHERE name = 'Madrid' AND country = 'ES'`,
      [['ES', 'FR']],
    );
    expect(answer.status).toBe(200);
    expect(answer.rows[0]).toMatchObject({ up: 'MADRID', len: 6, listed: true, j: 'b', c: 'x' });
    const unnested = await sql(
      'SELECT count(*) AS n FROM demo.retail_stores WHERE store_type IN (SELECT unnest(?))',
      [['Supermarket']],
    );
    expect(unnested.status).toBe(200);
  });
});

describe('statement text', () => {
  it.each([
    ['a trailing ;', 'SELECT 1 AS x;'],
    ['a trailing ; and space', 'SELECT 1 AS x ;  \n'],
    ['a trailing -- comment', 'SELECT 1 AS x -- the answer'],
    ['a ; then a comment', 'SELECT 1 AS x; -- done'],
    ['a trailing block comment', 'SELECT 1 AS x /* done */'],
    ['a comment inside', 'SELECT -- one\n 1 AS x'],
  ])('%s is accepted', async (_name, q) => {
    const answer = await sql(q);
    expect(answer.status).toBe(200);
    expect(answer.rows).toEqual([{ x: 1 }]);
  });

  it('a ; or -- inside a string is data, and two statements are still refused', async () => {
    const text = await sql("SELECT ';' AS a, '-- no' AS b, $$;$$ AS c;");
    expect(text.rows).toEqual([{ a: ';', b: '-- no', c: ';' }]);
    const two = await sql('SELECT 1; SELECT 2');
    expect(two.status).toBe(400);
    expect(two.error).toMatch(/exactly one/);
  });
});

describe('scopes', () => {
  it('SQL that reads no table needs read:connections (403 naming it)', async () => {
    const answer = await sql('SELECT 1 AS x', undefined, API_TOKEN);
    expect(answer.status).toBe(403);
    expect(answer.error).toContain('read:connections');
    const table = await sql(
      'SELECT count(*) AS n FROM demo.populated_places',
      undefined,
      API_TOKEN,
    );
    expect(table.status).toBe(200);
  });
});

describe('size and depth', () => {
  it('800 nested lower( is refused at once, as too deep', async () => {
    const answer = await sql(`SELECT ${'lower('.repeat(800)}'x'${')'.repeat(800)} AS s`);
    expect(answer.status).toBe(400);
    expect(answer.error).toMatch(/nested too deeply/);
    expect(answer.ms).toBeLessThan(2000);
  });

  it('a 60,000-character string literal is refused at once, as too long', async () => {
    const answer = await sql(`SELECT lower('${'a'.repeat(60_000)}') AS s`);
    expect(answer.status).toBe(400);
    expect(answer.error).toMatch(/string literal .* too long .*60,000/);
    expect(answer.ms).toBeLessThan(2000);
  });

  it('levenshtein on two 60,000-character strings is refused', async () => {
    const answer = await sql('SELECT levenshtein(?, ?) AS d', [
      'a'.repeat(60_000),
      'b'.repeat(60_000),
    ]);
    expect(answer.status).toBe(403);
    expect(answer.error).toContain('levenshtein()');
  });
});
