import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearDefaultRequestCache, query, vectorQuerySource } from '@carto/api-client';
import type { EmulatorConfigInput } from '../../../emulator/config/configSchema';
import { EMULATOR_URL, m2mToken, resetTestEmulator, sharedDatabase } from '../../mocks/emulator';
import { API_TOKEN } from '../../utils/emulatorHarness';

const BIG_CITIES =
  'SELECT name, population, geom FROM demo.populated_places WHERE population > 5000000';

let token: string;

const carto = (extra: { namedSourcesOnly?: boolean } = {}): Partial<EmulatorConfigInput> => ({
  connections: [
    {
      name: 'carto_dw',
      owner: 'auth0|demo',
      organization: 'org_demo',
      namedSources: [{ name: 'big-cities', sql: BIG_CITIES, description: 'Over 5 million' }],
      ...extra,
    },
  ],
});

async function start(config: Partial<EmulatorConfigInput>) {
  await resetTestEmulator({ data: await sharedDatabase(), config });
  token = await m2mToken();
}

const base = () => ({ accessToken: token, apiBaseUrl: EMULATOR_URL, connectionName: 'carto_dw' });

/** A call to the Named Sources API with the test's token (or another). */
async function api(
  path: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${EMULATOR_URL}/v3/named-sources${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${init.token ?? token}`,
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

beforeEach(() => {
  clearDefaultRequestCache();
});

describe('named sources: a name instead of SQL, with the real @carto/api-client', () => {
  beforeAll(() => start(carto()), 30_000);

  it('query() and a query source run the SQL a name stands for', async () => {
    const byName = await query({ ...base(), sqlQuery: 'big-cities' });
    const bySql = await query({ ...base(), sqlQuery: BIG_CITIES });
    expect(byName.rows.length).toBeGreaterThan(10);
    expect(byName.rows).toEqual(bySql.rows);

    const source = await vectorQuerySource({ ...base(), sqlQuery: 'big-cities' });
    expect(source.tiles[0]).toContain('/v3/maps/carto_dw/query/');
    const formula = await source.widgetSource.getFormula({ column: '*', operation: 'count' });
    expect(formula.value).toBe(byName.rows.length);
  });

  it('a name that no named source has is a 404 naming it', async () => {
    await expect(query({ ...base(), sqlQuery: 'no-such-source' })).rejects.toThrow(
      /Named source "no-such-source" not found in connection "carto_dw"/,
    );
  });

  it('lists, creates, reads, updates and deletes named sources', async () => {
    const listed = await api('');
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        name: 'big-cities',
        connectionName: 'carto_dw',
        source: BIG_CITIES,
        createdBy: null,
      }),
    ]);

    const created = await api('', {
      method: 'POST',
      body: {
        name: 'spanish-cities',
        connectionName: 'carto_dw',
        source: "SELECT name, population, geom FROM demo.populated_places WHERE country = 'ES'",
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'spanish-cities', createdBy: 'auth0|demo' });
    const spanish = await query({ ...base(), sqlQuery: 'spanish-cities' });
    expect(spanish.rows.some((row) => row.name === 'Madrid')).toBe(true);

    const patched = await api('/spanish-cities', {
      method: 'PATCH',
      body: {
        source:
          "SELECT name, population, geom FROM demo.populated_places WHERE country = 'ES' AND population > 1000000",
      },
    });
    expect(patched.status).toBe(200);
    clearDefaultRequestCache();
    const bigSpanish = await query({ ...base(), sqlQuery: 'spanish-cities' });
    expect(bigSpanish.rows.length).toBeLessThan(spanish.rows.length);
    expect(bigSpanish.rows.map((row) => row.name as string)).toContain('Madrid');

    expect((await api('/spanish-cities')).body).toMatchObject({ name: 'spanish-cities' });
    expect((await api('?search=over%205')).body.data).toEqual([
      expect.objectContaining({ name: 'big-cities' }),
    ]);
    expect((await api('/spanish-cities', { method: 'DELETE' })).status).toBe(204);
    expect((await api('/spanish-cities')).status).toBe(404);
    clearDefaultRequestCache();
    await expect(query({ ...base(), sqlQuery: 'spanish-cities' })).rejects.toThrow(/not found/);
  });

  it.each([
    [
      'a bad name',
      { name: 'Bad Name', connectionName: 'carto_dw', source: 'SELECT 1' },
      400,
      /3 to 51/,
    ],
    [
      'a name ending in -',
      { name: 'abc-', connectionName: 'carto_dw', source: 'SELECT 1' },
      400,
      /3 to 51/,
    ],
    ['no SQL', { name: 'no-sql', connectionName: 'carto_dw' }, 400, /"source".*required/],
    [
      'SQL that is not SQL',
      { name: 'broken', connectionName: 'carto_dw', source: 'SELEC name FROM' },
      400,
      /syntax|parse/i,
    ],
    [
      'SQL the sandbox refuses',
      { name: 'writes', connectionName: 'carto_dw', source: 'DROP TABLE demo.populated_places' },
      400,
      /SELECT|read-only|only/i,
    ],
    [
      'a connection the caller may not use',
      { name: 'elsewhere', connectionName: 'nope', source: 'SELECT 1' },
      404,
      /Connection "nope" not found/,
    ],
    [
      'a name taken',
      { name: 'big-cities', connectionName: 'carto_dw', source: 'SELECT 1' },
      409,
      /already exists/,
    ],
    [
      'a source that is not text',
      { name: 'numeric', connectionName: 'carto_dw', source: 42 },
      400,
      /"source" must be a string/,
    ],
  ])('creating with %s is a clear error', async (_what, body, status, message) => {
    const response = await api('', { method: 'POST', body });
    expect(response.status).toBe(status);
    expect(String(response.body.error)).toMatch(message);
  });

  it('config named sources are read-only; API tokens may run them but not manage them', async () => {
    const patched = await api('/big-cities', { method: 'PATCH', body: { source: 'SELECT 1' } });
    expect(patched.status).toBe(403);
    expect(String(patched.body.error)).toMatch(/emulator's config/);
    const renamed = await api('/big-cities', { method: 'PATCH', body: { name: 'x' } });
    expect(renamed.status).toBe(403);

    const created = await api('', {
      method: 'POST',
      token: API_TOKEN,
      body: { name: 'from-api-token', connectionName: 'carto_dw', source: 'SELECT 1' },
    });
    expect(created.status).toBe(403);
    expect(String(created.body.error)).toMatch(/OAuth access token/);
    // The public token reads populated_places: the name grants it nothing more or less.
    const rows = await query({ ...base(), accessToken: API_TOKEN, sqlQuery: 'big-cities' });
    expect(rows.rows.length).toBeGreaterThan(10);
  });

  it('a name grants nothing: its SQL runs as the caller, with the caller’s table rights', async () => {
    await api('', {
      method: 'POST',
      body: {
        name: 'all-countries',
        connectionName: 'carto_dw',
        source: 'SELECT name FROM demo.countries',
      },
    });
    // The public API token may read populated_places only.
    await expect(
      query({ ...base(), accessToken: API_TOKEN, sqlQuery: 'all-countries' }),
    ).rejects.toThrow(/may not read/);
    expect((await api('/all-countries', { method: 'DELETE' })).status).toBe(204);
  });
});

describe('a connection that runs named sources only', () => {
  beforeAll(() => start(carto({ namedSourcesOnly: true })), 30_000);

  it('refuses raw SQL with a 403 that says to send a name, and runs names', async () => {
    await expect(query({ ...base(), sqlQuery: BIG_CITIES })).rejects.toThrow(
      /runs named sources only/,
    );
    await expect(vectorQuerySource({ ...base(), sqlQuery: BIG_CITIES })).rejects.toThrow(
      /runs named sources only/,
    );
    expect((await query({ ...base(), sqlQuery: 'big-cities' })).rows.length).toBeGreaterThan(10);
  });
});
