/**
 * The CARTO data layer (src/api/cartoApi.ts) against the in-process emulator, through a real
 * store: caching by arguments, token renewal, logout and user switches, errors as plain data,
 * and what the createSource cache keeps.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { cartoApi, sourceRequest } from '../../../src/api/cartoApi';
import { loggedOut, loginSucceeded, tokenRefreshed } from '../../../src/features/oauth/oauthSlice';
import { sourceAdded, type SourceDescriptor } from '../../../src/features/sources/sourcesSlice';
import type { ThunkAction, UnknownAction } from '@reduxjs/toolkit';
import type { AppStore, RootState, ThunkExtra } from '../../../src/store/store';
import type { OAuthUser } from '../../../protocol/oauthTypes';
import { EMULATOR_URL, m2mToken, sampleDataEmulator } from '../../mocks/emulator';
import { server } from '../../mocks/server';
import { makeOAuthTestStore, storeWithRevokedToken } from '../../utils/oauthTestStore';
import { recordRequests } from '../../utils/requestLog';

let token: string;
let ldsToken: string;

sampleDataEmulator((t) => {
  token = t;
});

beforeAll(async () => {
  // Runs after sampleDataEmulator's beforeAll: the same emulator issues it.
  ldsToken = await m2mToken('m2m-lds');
}, 30_000);

const madrid = { lng: -3.7038, lat: 40.4168, mode: 'walk' as const, minutes: 15 };
const places = { connection: 'carto_dw', tableName: 'demo.populated_places' };
const stores: SourceDescriptor = {
  id: 's',
  type: 'table',
  connection: 'carto_dw',
  data: 'demo.retail_stores',
};

/** Subscriptions made by a test, released after it (so no cache timers outlive it). */
const subscriptions: { unsubscribe: () => void }[] = [];
afterEach(() => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
});

function loggedInStore(
  accessToken: string,
  user: OAuthUser | null = { id: 'u1', name: 'Ann' },
): AppStore {
  const { store } = makeOAuthTestStore();
  store.dispatch(loginSucceeded({ accessToken, expiresAt: null, grantedScopes: [], user }));
  return store;
}

/** Dispatches an endpoint's `initiate` and returns its running query (kept subscribed). */
function query<R extends { unsubscribe: () => void }>(
  store: AppStore,
  action: ThunkAction<R, RootState, ThunkExtra, UnknownAction>,
): R {
  const running = store.dispatch(action);
  subscriptions.push(running);
  return running;
}

const queriesOf = (store: AppStore) => store.getState().cartoApi?.queries ?? {};

describe('cartoApi: caching', () => {
  it('answers the same arguments from the cache, and asks again for new ones', async () => {
    const log = recordRequests();
    const store = loggedInStore(token);

    const first = await query(store, cartoApi.endpoints.datasetSchema.initiate(places));
    expect(first.error).toBeUndefined();
    expect(first.data).toMatchObject({ id: 'carto_dw.demo.populated_places' });
    expect(log.count('/v3/connections/')).toBe(1);

    const again = await query(store, cartoApi.endpoints.datasetSchema.initiate({ ...places }));
    expect(again.data).toBe(first.data);
    expect(log.count('/v3/connections/')).toBe(1);

    const other = await query(
      store,
      cartoApi.endpoints.datasetSchema.initiate({ ...places, tableName: 'demo.retail_stores' }),
    );
    expect(other.data).toMatchObject({ id: 'carto_dw.demo.retail_stores' });
    expect(log.count('/v3/connections/')).toBe(2);
  });

  it('a renewed token fetches nothing again, and the next request carries it', async () => {
    const log = recordRequests();
    const store = loggedInStore(ldsToken);
    const first = await query(store, cartoApi.endpoints.isolines.initiate(madrid));
    expect(first.error).toBeUndefined();
    expect(log.count('/v3/lds/isolines')).toBe(1);

    store.dispatch(tokenRefreshed({ accessToken: 'new', expiresAt: null }));
    expect(store.getState().oauth.session?.accessToken).toBe('new');
    const again = await query(store, cartoApi.endpoints.isolines.initiate(madrid));
    expect(log.count('/v3/lds/isolines')).toBe(1);
    expect(again.data).toBe(first.data);
    expect(Object.keys(queriesOf(store))).toHaveLength(1);

    // New arguments are fetched with the renewed token (the emulator refuses it: not ours).
    await query(store, cartoApi.endpoints.isolines.initiate({ ...madrid, minutes: 10 }));
    expect(log.authorizations('/v3/lds/isolines').at(-1)).toBe('Bearer new');
  });
});

describe('cartoApi: 401 -> renew once -> retry once', () => {
  it('isolines: a revoked token is renewed and the request retried', async () => {
    const { store, revoked } = await storeWithRevokedToken([
      'dataservices:isolines',
      'offline_access',
    ]);
    const log = recordRequests();
    const result = await query(store, cartoApi.endpoints.isolines.initiate(madrid));
    expect(result.error).toBeUndefined();
    expect(result.data).toMatchObject({ type: 'FeatureCollection' });
    const renewed = store.getState().oauth.session?.accessToken;
    expect(renewed).toBeTruthy();
    expect(renewed).not.toBe(revoked);
    expect(log.authorizations('/v3/lds/isolines')).toEqual([
      `Bearer ${revoked}`,
      `Bearer ${renewed ?? ''}`,
    ]);
    expect(log.count('/oauth/token')).toBe(1);
    expect(store.getState().oauth.status).toBe('authenticated');
  });

  it('listDatasets: every call after the renewal uses the new token', async () => {
    const { store, revoked } = await storeWithRevokedToken([
      'read:connections',
      'datasets:r:*',
      'offline_access',
    ]);
    const log = recordRequests();
    const result = await query(store, cartoApi.endpoints.listDatasets.initiate(undefined));
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ tableName: 'demo.retail_stores' })]),
    );
    const renewed = store.getState().oauth.session?.accessToken;
    expect(renewed).not.toBe(revoked);
    const sent = log.authorizations('/v3/connections');
    expect(sent[0]).toBe(`Bearer ${revoked}`);
    expect(sent.slice(1).every((a) => a === `Bearer ${renewed ?? ''}`)).toBe(true);
    expect(sent.length).toBeGreaterThan(2);
    expect(log.count('/oauth/token')).toBe(1);
  });
});

describe('cartoApi: cached answers belong to one user', () => {
  it('logout empties the cache', async () => {
    const store = loggedInStore(token);
    await query(store, cartoApi.endpoints.datasetSchema.initiate(places));
    expect(Object.keys(queriesOf(store))).toHaveLength(1);
    store.dispatch(loggedOut());
    expect(queriesOf(store)).toEqual({});
  });

  it('another user logging in empties it; the same user logging in again keeps it', async () => {
    const log = recordRequests();
    const store = loggedInStore(token, { id: 'u1', name: 'Ann' });
    const first = await query(store, cartoApi.endpoints.datasetSchema.initiate(places));

    store.dispatch(
      loginSucceeded({
        accessToken: token,
        expiresAt: null,
        grantedScopes: [],
        user: { id: 'u1', name: 'Ann' },
      }),
    );
    expect(Object.keys(queriesOf(store))).toHaveLength(1);

    store.dispatch(
      loginSucceeded({
        accessToken: token,
        expiresAt: null,
        grantedScopes: [],
        user: { id: 'u2', name: 'Bob' },
      }),
    );
    expect(queriesOf(store)).toEqual({});

    const second = await query(store, cartoApi.endpoints.datasetSchema.initiate(places));
    expect(second.data).toEqual(first.data);
    expect(second.data).not.toBe(first.data);
    expect(log.count('/v3/connections/')).toBe(2);
  });
});

describe('cartoApi: errors are plain data', () => {
  it('a 403 and a 500 carry the status and CARTO’s message', async () => {
    const store = loggedInStore(ldsToken);
    server.use(
      http.get(`${EMULATOR_URL}/v3/lds/isolines`, ({ request }) =>
        new URL(request.url).searchParams.get('range') === '600'
          ? HttpResponse.json({ error: 'Missing scope dataservices:isolines' }, { status: 403 })
          : HttpResponse.json({ error: 'The isolines service is down' }, { status: 500 }),
      ),
    );
    const forbidden = await query(
      store,
      cartoApi.endpoints.isolines.initiate({ ...madrid, minutes: 10 }),
    );
    expect(forbidden.error).toEqual({
      status: 403,
      message: 'Missing scope dataservices:isolines',
    });
    const broken = await query(store, cartoApi.endpoints.isolines.initiate(madrid));
    expect(broken.error).toEqual({ status: 500, message: 'The isolines service is down' });
    // What the store keeps is plain JSON.
    const kept = Object.values(queriesOf(store)).map((q) => q?.error);
    expect(JSON.parse(JSON.stringify(kept))).toEqual(kept);
  });

  it('a real 403 from the emulator (a token without the scope) gives its message', async () => {
    const store = loggedInStore(token);
    const result = await query(store, cartoApi.endpoints.isolines.initiate(madrid));
    expect(result.error).toMatchObject({
      status: 403,
      message: expect.stringMatching(/dataservices:isolines/) as unknown,
    });
  });

  it('not logged in: NOT_LOGGED_IN, and no request is made', async () => {
    const log = recordRequests();
    const { store } = makeOAuthTestStore();
    const result = await query(store, cartoApi.endpoints.isolines.initiate(madrid));
    expect(result.error).toMatchObject({ status: 'NOT_LOGGED_IN' });
    const schema = await query(store, cartoApi.endpoints.datasetSchema.initiate(places));
    expect(schema.error).toMatchObject({ status: 'NOT_LOGGED_IN' });
    const source = await query(store, cartoApi.endpoints.createSource.initiate(stores));
    expect(source.error).toMatchObject({ status: 'NOT_LOGGED_IN' });
    expect(log.all()).toEqual([]);
  });
});

describe('cartoApi: createSource', () => {
  it('caches the TileJSON without the token or the widget helpers', async () => {
    const store = loggedInStore(token);
    const result = await query(store, cartoApi.endpoints.createSource.initiate(stores));
    expect(result.error).toBeUndefined();
    const tilejson = result.data!;
    expect(tilejson.tiles.length).toBeGreaterThan(0);
    expect(tilejson).not.toHaveProperty('accessToken');
    expect(tilejson).not.toHaveProperty('widgetSource');
    expect(JSON.stringify(store.getState().cartoApi)).not.toContain(token);
  });

  it('a source’s own token is not in the cache key: two tokens share one entry', async () => {
    const log = recordRequests();
    const { store } = makeOAuthTestStore();
    const own = (accessToken: string): SourceDescriptor => ({
      ...stores,
      credentials: { accessToken, apiBaseUrl: EMULATOR_URL },
    });
    store.dispatch(sourceAdded(own(token)));
    const first = await query(
      store,
      cartoApi.endpoints.createSource.initiate(sourceRequest(own(token))),
    );
    expect(first.error).toBeUndefined();
    const maps = log.count('/v3/maps/');
    expect(maps).toBeGreaterThan(0);
    store.dispatch(sourceAdded(own(ldsToken)));
    const second = await query(
      store,
      cartoApi.endpoints.createSource.initiate(sourceRequest(own(ldsToken))),
    );
    expect(second.data).toBe(first.data);
    expect(log.count('/v3/maps/')).toBe(maps);
    const keys = Object.keys(queriesOf(store));
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain(token);
  });

  it('a source’s own token is used, but not kept in the data layer’s state', async () => {
    const { store } = makeOAuthTestStore();
    const own: SourceDescriptor = {
      ...stores,
      credentials: { accessToken: token, apiBaseUrl: EMULATOR_URL },
    };
    store.dispatch(sourceAdded(own));
    const result = await query(store, cartoApi.endpoints.createSource.initiate(sourceRequest(own)));
    expect(result.data?.tiles.length).toBeGreaterThan(0);
    expect(JSON.stringify(store.getState().cartoApi)).not.toContain(token);
  });
});
