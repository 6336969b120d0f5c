/**
 * Warehouse names (issue 15): tables are addressed the provider's way. `--data-dir` folders
 * `<project>/<dataset>/<table>.geojson` become BigQuery names `project.dataset.table`, with
 * hyphenated project ids and backticks; today's names keep working; a name that exists twice
 * stops the start; an unknown name is a 404 that names what was looked for.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearDefaultRequestCache, query, vectorTableSource } from '@carto/api-client';
import { canReadTable } from '../../../emulator/data/access';
import { Database, DuplicateTableError } from '../../../emulator/data/database';
import { parseEmulatorConfig } from '../../../emulator/config/configSchema';
import { EMULATOR_URL, m2mToken, resetTestEmulator } from '../../mocks/emulator';
import { testConfig } from '../../utils/emulatorHarness';

const point = (name: string, lon: number, lat: number) => ({
  type: 'Feature',
  properties: { name },
  geometry: { type: 'Point', coordinates: [lon, lat] },
});
const collection = (...features: unknown[]) =>
  JSON.stringify({ type: 'FeatureCollection', features });

async function dataDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'emu-names-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

let db: Database;
let token: string;

beforeAll(async () => {
  const dir = await dataDir({
    'carto-demo-data/demo_tables/stores.geojson': collection(
      point('a', -3.7, 40.4),
      point('b', 2.17, 41.38),
    ),
    'my-project/ds/t.geojson': collection(point('only', 10, 45)),
    'parks.geojson': collection(point('retiro', -3.68, 40.415)),
  });
  db = await Database.create({ sample: false, dataDir: dir });
  expect(db.warnings).toEqual([]);
  await resetTestEmulator({
    data: db,
    config: {
      connections: [
        { name: 'carto_dw', owner: 'auth0|demo', organization: 'org_demo' },
        { name: 'pg', owner: 'auth0|demo', provider: 'postgres' },
      ],
    },
  });
  token = await m2mToken();
}, 30_000);

beforeEach(() => {
  clearDefaultRequestCache();
});

const base = () => ({ accessToken: token, apiBaseUrl: EMULATOR_URL, connectionName: 'carto_dw' });

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${EMULATOR_URL}${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('BigQuery names on carto_dw', () => {
  it.each([
    'carto-demo-data.demo_tables.stores',
    '`carto-demo-data.demo_tables.stores`',
    '`carto-demo-data`.demo_tables.stores',
    'CARTO-DEMO-DATA.demo_tables.STORES',
  ])('vectorTableSource finds %s', async (tableName) => {
    const source = await vectorTableSource({ ...base(), tableName });
    expect(source.tiles[0]).toContain('/v3/maps/');
    const { widgetSource } = source;
    expect(await widgetSource.getFormula({ column: '*', operation: 'count' })).toEqual({
      value: 2,
    });
  });

  it('a flat file keeps its name: uploads.parks, and parks alone', async () => {
    for (const tableName of ['uploads.parks', 'parks', 'carto_dw.uploads.parks']) {
      const source = await vectorTableSource({ ...base(), tableName });
      expect(await source.widgetSource.getFormula({ column: '*', operation: 'count' })).toEqual({
        value: 1,
      });
    }
  });

  it('the SQL API reads a project table by its DuckDB-quoted name', async () => {
    const result = await query({
      ...base(),
      sqlQuery: 'SELECT name FROM "carto-demo-data".demo_tables.stores ORDER BY name',
    });
    expect(result.rows).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it('an unknown name is a 404 that names what was looked for', async () => {
    const { status, body } = await get(
      `/v3/maps/carto_dw/table?name=${encodeURIComponent('carto-demo-data.demo_tables.nope')}`,
    );
    expect(status).toBe(404);
    expect(body.error).toContain('carto-demo-data.demo_tables.nope');
    expect(body.error).toContain('project.dataset.table');
    await expect(
      vectorTableSource({ ...base(), tableName: 'other-project.demo_tables.stores' }),
    ).rejects.toThrow(/other-project\.demo_tables\.stores/);
  });

  it('a malformed name is a 400 that says why', async () => {
    for (const name of ['`carto-demo-data.demo_tables.stores', 'a..b', 'a.b.c.d']) {
      const { status, body } = await get(
        `/v3/maps/carto_dw/table?name=${encodeURIComponent(name)}`,
      );
      expect(status, name).toBe(400);
      expect(body.error, name).toMatch(/Bad table name/);
    }
  });

  it('an unknown catalog in SQL is a 404', async () => {
    const { status, body } = await get(
      `/v3/sql/carto_dw/query?q=${encodeURIComponent('SELECT * FROM "no-such".ds.t')}`,
    );
    expect(status).toBe(404);
    expect(body.error).toContain('no-such.ds.t');
  });
});

describe('providers', () => {
  it('a postgres connection quotes with double quotes: backticks are a 400', async () => {
    const { status, body } = await get(
      `/v3/maps/pg/table?name=${encodeURIComponent('`my-project.ds.t`')}`,
    );
    expect(status).toBe(400);
    expect(body.error).toMatch(/postgres connection quotes names with double quotes/);
  });

  it('the connections listing says each provider', async () => {
    const { body } = await get('/v3/connections');
    const list = body as unknown as { name: string; provider_type: string }[];
    expect(list.map((c) => [c.name, c.provider_type])).toEqual([
      ['carto_dw', 'bigquery'],
      ['pg', 'postgres'],
    ]);
  });

  it('a provider the config does not know stops the start', () => {
    expect(() =>
      parseEmulatorConfig({
        users: [
          {
            id: 'u',
            email: 'u@example.com',
            passwordHash: 'x',
            name: 'U',
            account: 'u',
          },
        ],
        connections: [{ name: 'x', owner: 'u', provider: 'oracle' }],
      }),
    ).toThrow(/connections\[0\]\.provider/);
  });
});

describe('listings and access', () => {
  it('the resources listing shows a project dataset and its tables', async () => {
    const root = await get('/v3/connections/carto_dw/resources');
    const children = (root.body.children as { name: string }[]).map((c) => c.name);
    expect(children).toEqual(['carto-demo-data.demo_tables', 'my-project.ds', 'uploads']);
    const dataset = await get('/v3/connections/carto_dw/resources/carto-demo-data.demo_tables');
    expect((dataset.body.children as { name: string }[]).map((c) => c.name)).toEqual(['stores']);
    const table = await get(
      '/v3/connections/carto_dw/resources/carto-demo-data.demo_tables.stores',
    );
    expect(table.body.name).toBe('stores');
  });

  it('datasets:r:<project.dataset.table> reads that table, and only it', async () => {
    const config = parseEmulatorConfig(await testConfig());
    const principal = {
      kind: 'm2m' as const,
      userId: 'auth0|demo',
      account: 'demo',
      clientId: 'x',
      scopes: ['datasets:r:carto-demo-data.demo_tables.stores'],
    };
    const stores = db.findTable('carto_dw', 'carto-demo-data.demo_tables.stores');
    const other = db.findTable('carto_dw', 'my-project.ds.t');
    expect(stores && canReadTable(config, principal, stores)).toBe(true);
    expect(other && canReadTable(config, principal, other)).toBe(false);
  });
});

describe('a name that exists twice stops the start', () => {
  it('names both files', async () => {
    const dir = await dataDir({
      'carto_dw/uploads/parks.geojson': collection(point('x', 0, 0)),
      'parks.geojson': collection(point('y', 1, 1)),
    });
    const start = Database.create({ sample: false, dataDir: dir });
    await expect(start).rejects.toBeInstanceOf(DuplicateTableError);
    await expect(start).rejects.toThrow(
      /carto_dw\.uploads\.parks is in carto_dw\/uploads\/parks\.geojson and in parks\.geojson/,
    );
  });

  it('a data file with a bundled sample name', async () => {
    const dir = await dataDir({
      'demo/us_states.geojson': collection(point('x', 0, 0)),
    });
    await expect(Database.create({ dataDir: dir })).rejects.toThrow(
      /carto_dw\.demo\.us_states is in demo\/us_states\.geojson and in the bundled sample data/,
    );
  });
});
