import { beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { isochroneModel } from '../../../src/api/isochroneModel';
import { createCartoFetch } from '../../../src/api/cartoFetch';
import { EMULATOR_URL, m2mToken, resetTestEmulator, sharedDatabase } from '../../mocks/emulator';
import { storeWithRevokedToken } from '../../utils/oauthTestStore';
import { server } from '../../mocks/server';

const madrid = { lng: -3.7038, lat: 40.4168, mode: 'walk' as const, minutes: 15 };
let ldsToken: string;

beforeAll(async () => {
  await resetTestEmulator({ data: await sharedDatabase() });
  ldsToken = await m2mToken('m2m-lds');
}, 30_000);

describe('isochroneModel', () => {
  it('returns the polygons of the area reachable from the point', async () => {
    const collection = await isochroneModel(madrid, {
      credentials: { accessToken: ldsToken, apiBaseUrl: EMULATOR_URL },
    });
    expect(collection.features).toHaveLength(1);
    const ring = collection.features[0]!.geometry.coordinates[0] as number[][];
    const lngs = ring.map(([x = 0]) => x);
    // 15 minutes walking is about 1.25 km each way.
    expect(Math.max(...lngs) - Math.min(...lngs)).toBeGreaterThan(0.02);
    expect(Math.max(...lngs) - Math.min(...lngs)).toBeLessThan(0.04);
  });

  it('renews the token once on a 401 and retries', async () => {
    const { store, revoked: expired } = await storeWithRevokedToken([
      'dataservices:isolines',
      'offline_access',
    ]);
    const collection = await isochroneModel(madrid, {
      credentials: { accessToken: '', apiBaseUrl: EMULATOR_URL },
      fetch: createCartoFetch(store),
    });
    expect(collection.type).toBe('FeatureCollection');
    expect(store.getState().oauth.session?.accessToken).not.toBe(expired);
  });

  it('403 without the isolines scope, 500 and malformed answers are clear errors', async () => {
    const other = await m2mToken();
    await expect(
      isochroneModel(madrid, {
        credentials: { accessToken: other, apiBaseUrl: EMULATOR_URL },
      }),
    ).rejects.toThrow(/dataservices:isolines/);

    server.use(
      http.get(`${EMULATOR_URL}/v3/lds/isolines`, () =>
        HttpResponse.json({ error: 'boom' }, { status: 500 }),
      ),
    );
    await expect(
      isochroneModel(madrid, {
        credentials: { accessToken: ldsToken, apiBaseUrl: EMULATOR_URL },
      }),
    ).rejects.toMatchObject({ status: 500, message: 'boom' });

    server.use(
      http.get(`${EMULATOR_URL}/v3/lds/isolines`, () => HttpResponse.json({ type: 'Feature' })),
    );
    await expect(
      isochroneModel(madrid, {
        credentials: { accessToken: ldsToken, apiBaseUrl: EMULATOR_URL },
      }),
    ).rejects.toThrow('unexpected shape');
  });

  it('a superseded request is aborted', async () => {
    const controller = new AbortController();
    const pending = isochroneModel(madrid, {
      credentials: { accessToken: ldsToken, apiBaseUrl: EMULATOR_URL },
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
  });

  it('refuses points and times it cannot use before any request', async () => {
    const credentials = { accessToken: ldsToken, apiBaseUrl: EMULATOR_URL };
    await expect(isochroneModel({ ...madrid, lat: 95 }, { credentials })).rejects.toThrow(
      'outside the map',
    );
    await expect(isochroneModel({ ...madrid, minutes: 0 }, { credentials })).rejects.toThrow(
      'Minutes',
    );
  });
});
