import { beforeAll, describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { sqlModel } from '../../../src/api/sqlModel';
import { geocodeModel } from '../../../src/api/geocodingModel';
import { getDatasetSchema } from '../../../src/api/datasetsModel';
import { CartoRequestError } from '../../../src/api/cartoJson';
import { EMULATOR_URL, m2mToken, resetTestEmulator, sharedDatabase } from '../../mocks/emulator';
import { server } from '../../mocks/server';

let dataToken: string;
let ldsToken: string;
const as = (accessToken: string) => ({ credentials: { accessToken, apiBaseUrl: EMULATOR_URL } });

beforeAll(async () => {
  await resetTestEmulator({ data: await sharedDatabase() });
  dataToken = await m2mToken();
  ldsToken = await m2mToken('m2m-lds');
}, 30_000);

describe('sqlModel (the SQL API)', () => {
  it('returns the rows and the schema of a query', async () => {
    const result = await sqlModel(
      {
        connection: 'carto_dw',
        q: 'SELECT name, population FROM demo.populated_places ORDER BY population DESC LIMIT 3',
      },
      as(dataToken),
    );
    expect(result.rows).toHaveLength(3);
    expect(result.schema.map((c) => c.name)).toEqual(['name', 'population']);
    const [first, second] = result.rows.map((r) => Number(r.population));
    expect(first).toBeGreaterThanOrEqual(second ?? 0);
  });

  it('binds query parameters, and sends a long query as a POST', async () => {
    const methods: string[] = [];
    server.events.on('request:start', ({ request }) => {
      if (request.url.includes('/v3/sql/')) methods.push(request.method);
    });
    const padding = ' '.repeat(8000);
    const result = await sqlModel(
      {
        connection: 'carto_dw',
        q: `SELECT name FROM demo.populated_places WHERE population > ? ${padding} LIMIT 2`,
        queryParameters: [10_000_000],
      },
      as(dataToken),
    );
    server.events.removeAllListeners();
    expect(result.rows).toHaveLength(2);
    expect(methods).toEqual(['POST']);
  });

  it('a bad query is a CartoRequestError with the SQL API’s message; an empty one never leaves', async () => {
    await expect(
      sqlModel(
        { connection: 'carto_dw', q: 'SELECT nope FROM demo.populated_places' },
        as(dataToken),
      ),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/nope/) as unknown });
    await expect(sqlModel({ connection: 'carto_dw', q: '  ' }, as(dataToken))).rejects.toThrow(
      RangeError,
    );
  });

  it('an answer in another shape is refused, not passed on', async () => {
    server.use(
      http.get(`${EMULATOR_URL}/v3/sql/:connection/query`, () => HttpResponse.json({ ok: 1 })),
    );
    await expect(
      sqlModel({ connection: 'carto_dw', q: 'SELECT 1 AS x' }, as(dataToken)),
    ).rejects.toBeInstanceOf(CartoRequestError);
  });
});

describe('geocodeModel (LDS geocoding)', () => {
  it('finds places by name, best first', async () => {
    const places = await geocodeModel({ address: 'Madrid', limit: 2 }, as(ldsToken));
    expect(places.length).toBeGreaterThan(0);
    expect(places[0]?.name).toBe('Madrid');
    expect(places[0]?.latitude).toBeCloseTo(40.4, 0);
    expect(places[0]?.longitude).toBeCloseTo(-3.7, 0);
  });

  it('needs the geocoding scope, a non-empty address and a sane limit', async () => {
    await expect(geocodeModel({ address: 'Madrid' }, as(dataToken))).rejects.toMatchObject({
      status: 403,
    });
    await expect(geocodeModel({ address: ' ' }, as(ldsToken))).rejects.toThrow(RangeError);
    await expect(geocodeModel({ address: 'x', limit: 99 }, as(ldsToken))).rejects.toThrow(
      RangeError,
    );
  });
});

describe('getDatasetSchema', () => {
  it('describes one table with its columns', async () => {
    const table = await getDatasetSchema(
      { connection: 'carto_dw', tableName: 'demo.retail_stores' },
      as(dataToken),
    );
    expect(table).toMatchObject({ tableName: 'demo.retail_stores', geometryType: 'Point' });
    expect(table.columns.map((c) => c.name)).toContain('store_type');
    await expect(
      getDatasetSchema({ connection: 'carto_dw', tableName: 'retail_stores' }, as(dataToken)),
    ).rejects.toThrow(RangeError);
  });
});
