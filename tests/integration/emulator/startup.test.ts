/**
 * Start-up (issue 18): an emulator whose data is still loading answers logins at once and
 * keeps data requests waiting (never failing) until the data is there; the sample data kept in
 * the cache folder is the data the generator makes.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Database } from '../../../emulator/data/database';
import type { SampleTable } from '../../../emulator/data/sampleData';
import { bearerRequest, clientToken, ISSUER, makeTestEmulator } from '../../utils/emulatorHarness';

const TINY: SampleTable = {
  schema: 'demo',
  name: 'tiny',
  description: 'Two points',
  spatial: 'geo',
  columns: [{ name: 'n', type: 'BIGINT' }],
  rows: [
    { values: [1], geometry: { type: 'Point', coordinates: [1, 2] } },
    { values: [2], geometry: { type: 'Point', coordinates: [3, 4] } },
  ],
};

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('an emulator whose data is still loading', () => {
  it('answers discovery and tokens at once, and a data request once the data is loaded', async () => {
    const data = deferred<Database>();
    const { emulator } = await makeTestEmulator(undefined, { data: data.promise });
    expect(emulator.database).toBeNull();

    const discovery = await emulator.fetch(
      new Request(`${ISSUER}/.well-known/openid-configuration`),
    );
    expect(discovery.status).toBe(200);
    const token = await clientToken(emulator);

    let answered = false;
    const query = emulator
      .fetch(bearerRequest('/v3/connections', token))
      .finally(() => (answered = true));
    // Everything else has settled (a macrotask later) while the data request still waits.
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);

    const database = await Database.create({ sample: false, extraTables: [TINY] });
    data.resolve(database);
    const response = await query;
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await emulator.dataReady).toBe(database);
    expect(emulator.database).toBe(database);
  });

  it('when the data cannot be loaded, logins still work and data requests fail with a 500', async () => {
    const data = deferred<Database>();
    const { emulator } = await makeTestEmulator(undefined, { data: data.promise });
    data.reject(new Error('two files give one table name'));
    await expect(emulator.dataReady).rejects.toThrow('two files give one table name');
    const token = await clientToken(emulator);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await emulator.fetch(bearerRequest('/v3/connections', token));
    expect(response.status).toBe(500);
  });
});

describe('the kept sample data', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emulator-cache-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is written on the first load and read on the next, with the same tables and rows', async () => {
    vi.stubEnv('EMULATOR_CACHE_DIR', dir);
    const generated = await Database.create();
    const files = await readdir(dir);
    expect(files.filter((f) => /^sample-[0-9a-f]{16}\.duckdb$/.test(f))).toHaveLength(1);
    expect(files.filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    const cached = await Database.create();

    expect([...cached.tables.entries()]).toEqual([...generated.tables.entries()]);
    for (const table of generated.tables.values()) {
      // Every row, in order: a hash of the table's text, and its column types.
      const digest = `SELECT count(*) AS n, md5(string_agg(t::VARCHAR, '|' ORDER BY t.rowid)) AS h, (SELECT string_agg(column_type, ',') FROM (DESCRIBE ${table.relation})) AS types FROM ${table.relation} t`;
      expect((await cached.query(digest)).rows, table.qualifiedName).toEqual(
        (await generated.query(digest)).rows,
      );
    }
  }, 60_000);
});
