import { beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { server } from '../../mocks/server';
import { clearDefaultRequestCache } from '@carto/api-client';
import { toCartoSource } from '../../../src/features/sources/cartoSources';
import {
  credentialsFor,
  MissingCredentialsError,
  SourceCache,
} from '../../../src/features/sources/sourceCache';
import { listDatasets } from '../../../src/api/datasetsModel';
import { createCartoFetch } from '../../../src/api/cartoFetch';
import { storeWithRevokedToken } from '../../utils/oauthTestStore';
import type { SourceDescriptor } from '../../../src/features/sources/sourcesSlice';
import { EMULATOR_URL, m2mToken, resetTestEmulator, sharedDatabase } from '../../mocks/emulator';
import { API_TOKEN } from '../../utils/emulatorHarness';

let token: string;

beforeAll(async () => {
  await resetTestEmulator({ data: await sharedDatabase() });
  token = await m2mToken();
  clearDefaultRequestCache();
}, 30_000);

const places: SourceDescriptor = {
  id: 'places',
  type: 'table',
  connection: 'carto_dw',
  data: 'demo.populated_places',
};

describe('credential injection (one place)', () => {
  it('injects the logged-in user’s credentials unless the descriptor has its own', () => {
    const user = { accessToken: 'user-token', apiBaseUrl: EMULATOR_URL };
    const own = { accessToken: 'own-token', apiBaseUrl: 'https://other.example.com' };
    expect(credentialsFor(places, user)).toBe(user);
    expect(credentialsFor({ ...places, credentials: own }, user)).toBe(own);
    expect(credentialsFor(places, null)).toBeNull();
  });

  it('a source gets the injected token and works against the emulator', async () => {
    const tilejson = await toCartoSource(places, { accessToken: token, apiBaseUrl: EMULATOR_URL });
    expect(tilejson.accessToken).toBe(token);
    expect(tilejson.tiles[0]).toContain('/v3/maps/carto_dw/table/');
    await expect(toCartoSource(places, null)).rejects.toBeInstanceOf(MissingCredentialsError);
  });

  it('a descriptor’s own (API) token is used instead of the user’s and limits what it reads', async () => {
    const stores: SourceDescriptor = {
      id: 'stores',
      type: 'table',
      connection: 'carto_dw',
      data: 'demo.retail_stores',
      credentials: { accessToken: API_TOKEN, apiBaseUrl: EMULATOR_URL },
    };
    await expect(
      toCartoSource(stores, { accessToken: token, apiBaseUrl: EMULATOR_URL }),
    ).rejects.toThrow(/Forbidden/);
  });

  it('a query source carries its SQL and parameters', async () => {
    const tilejson = await toCartoSource(
      {
        id: 'q',
        type: 'query',
        connection: 'carto_dw',
        data: 'SELECT name, geom FROM demo.populated_places WHERE population > ?',
        queryParameters: [5_000_000],
      },
      { accessToken: token, apiBaseUrl: EMULATOR_URL },
    );
    expect(tilejson.tiles).toHaveLength(1);
  });
});

describe('SourceCache', () => {
  it('reuses a source across token renewals and hands new tiles the new token', async () => {
    const cache = new SourceCache(toCartoSource);
    const first = cache.get(places, { accessToken: token, apiBaseUrl: EMULATOR_URL });
    const tilejson = await first;
    expect(cache.get(places, { accessToken: 'renewed', apiBaseUrl: EMULATOR_URL })).toBe(first);
    cache.updateToken(token, 'renewed');
    expect(tilejson.accessToken).toBe('renewed');
    // Another API (region) is another source.
    server.use(
      http.all('http://other-region.test/*', () =>
        HttpResponse.json({ error: 'elsewhere' }, { status: 404 }),
      ),
    );
    const elsewhere = cache.get(places, {
      accessToken: 'renewed',
      apiBaseUrl: 'http://other-region.test',
    });
    expect(elsewhere).not.toBe(first);
    await expect(elsewhere).rejects.toThrow('elsewhere');
  });

  it('forgets every source when the credentials go: the next login loads them again', async () => {
    const cache = new SourceCache(toCartoSource);
    const credentials = { accessToken: token, apiBaseUrl: EMULATOR_URL };
    const first = cache.get(places, credentials);
    await first;
    cache.clear();
    const again = cache.get(places, credentials);
    expect(again).not.toBe(first);
    await again;
  });
});

describe('datasets model', () => {
  it('lists the tables the token may read, per connection', async () => {
    const all = await listDatasets({
      credentials: { accessToken: token, apiBaseUrl: EMULATOR_URL },
    });
    expect(all.map((d) => d.tableName)).toEqual([
      'demo.populated_places',
      'demo.retail_stores',
      'demo.countries',
      'demo.us_states',
      'demo.population_h3',
      'demo.population_quadbin',
    ]);
    expect(all[0]).toMatchObject({
      connection: 'carto_dw',
      rows: 135_233,
      geometryType: 'Point',
      spatialDataType: 'geo',
    });
    expect(all[0]?.bounds?.length).toBe(4);
    const limited = await listDatasets({
      credentials: { accessToken: API_TOKEN, apiBaseUrl: EMULATOR_URL },
    });
    expect(limited.map((d) => d.name)).toEqual(['populated_places']);
  });

  it('renews the token once on a 401 and retries', async () => {
    const { store, revoked: expired } = await storeWithRevokedToken([
      'read:connections',
      'offline_access',
    ]);
    const all = await listDatasets({
      credentials: { accessToken: expired, apiBaseUrl: EMULATOR_URL },
      fetch: createCartoFetch(store),
    });
    expect(all.length).toBeGreaterThan(0);
    expect(store.getState().oauth.session?.accessToken).not.toBe(expired);
  });

  it.each([
    [403, 'Forbidden: no access to connection "carto_dw"'],
    [500, 'The warehouse is unreachable'],
  ])('a %i names what failed', async (status, error) => {
    server.use(
      http.get(`${EMULATOR_URL}/v3/connections/:connection/resources`, () =>
        HttpResponse.json({ error }, { status }),
      ),
    );
    await expect(
      listDatasets({
        credentials: { accessToken: token, apiBaseUrl: EMULATOR_URL },
      }),
    ).rejects.toMatchObject({ status, message: error });
  });

  it('a failed request says what failed', async () => {
    await expect(
      listDatasets({
        credentials: { accessToken: 'x', apiBaseUrl: EMULATOR_URL },
        fetch: (url) => fetch(url),
      }),
    ).rejects.toThrow(/Unauthorized/);
    const aborted = new AbortController();
    aborted.abort();
    await expect(
      listDatasets({
        credentials: { accessToken: token, apiBaseUrl: EMULATOR_URL },
        signal: aborted.signal,
      }),
    ).rejects.toThrow();
  });
});
