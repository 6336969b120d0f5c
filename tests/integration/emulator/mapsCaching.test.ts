import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import { Database } from '../../../emulator/data/database';
import { API_TOKEN, APP, clientToken, ISSUER, makeTestEmulator } from '../../utils/emulatorHarness';

let database: Database;
let emulator: Emulator;
let token: string;

// Loading the sample warehouse takes seconds, more when other test files load theirs at once.
beforeAll(async () => {
  database = await Database.create();
}, 30_000);

beforeEach(async () => {
  ({ emulator } = await makeTestEmulator(undefined, { data: database }));
  token = await clientToken(emulator);
});

const get = (url: string, headers: Record<string, string> = {}, accessToken = token) =>
  emulator.fetch(
    new Request(new URL(url, ISSUER), {
      headers: { Authorization: `Bearer ${accessToken}`, ...headers },
    }),
  );

/** Instantiates a source; returns its TileJSON URL. */
async function instantiate(params: Record<string, string>) {
  const response = await get(`/v3/maps/carto_dw/table?${new URLSearchParams(params).toString()}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { tilejson: { url: string[] } };
  return body.tilejson.url[0] ?? '';
}

async function tileTemplate(tilejsonUrl: string) {
  return ((await (await get(tilejsonUrl)).json()) as { tiles: string[] }).tiles[0] ?? '';
}

describe('entity tags on TileJSON and tiles', () => {
  it('a TileJSON the client holds is 304, with its caching headers and CORS', async () => {
    const url = await instantiate({ name: 'demo.retail_stores' });
    const first = await get(url);
    const etag = first.headers.get('ETag') ?? '';
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^".+"$/);
    const again = await get(url, { 'If-None-Match': etag, Origin: APP });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('ETag')).toBe(etag);
    expect(again.headers.get('Cache-Control')).toBe('private, max-age=300');
    expect(again.headers.get('Access-Control-Allow-Origin')).toBe(APP);
    expect((await get(url, { 'If-None-Match': '"other"' })).status).toBe(200);
  });

  it('a vector tile: its own tag, 304 on a match (weak or strong), none on 204', async () => {
    const template = await tileTemplate(await instantiate({ name: 'demo.populated_places' }));
    const tile = (z: number, x: number, y: number) =>
      template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y));
    const world = await get(tile(0, 0, 0));
    const etag = world.headers.get('ETag') ?? '';
    expect(world.status).toBe(200);
    expect(etag).not.toBe('');
    const madrid = await get(tile(8, 125, 96));
    expect(madrid.headers.get('ETag')).not.toBe(etag);
    for (const tag of [etag, `W/${etag}`, `"x", ${etag}`]) {
      const cached = await get(tile(0, 0, 0), { 'If-None-Match': tag });
      expect(cached.status, tag).toBe(304);
      expect(cached.headers.get('Cache-Control'), tag).toBe('private, max-age=3600');
    }
    const ocean = await get(tile(10, 200, 600));
    expect(ocean.status).toBe(204);
    expect(ocean.headers.get('ETag')).toBeNull();
  });

  it('a tag never stands in for access: a token that may not read the table gets 403', async () => {
    const template = await tileTemplate(await instantiate({ name: 'demo.retail_stores' }));
    const url = template.replace('{z}', '0').replace('{x}', '0').replace('{y}', '0');
    const etag = (await get(url)).headers.get('ETag') ?? '';
    const other = await get(url, { 'If-None-Match': etag }, API_TOKEN);
    expect(other.status).toBe(403);
    expect(await get(url, { 'If-None-Match': etag }, 'nope')).toHaveProperty('status', 401);
  });

  it('spatial-index tiles: tagged, 304 on a match, 400 for a malformed cell', async () => {
    const template = await tileTemplate(
      await instantiate({
        name: 'demo.population_quadbin',
        spatialDataType: 'quadbin',
        spatialDataColumn: 'quadbin',
        aggregationExp: 'SUM(population) AS population',
      }),
    );
    const cell = template.replace('{i}', '480fffffffffffff');
    const first = await get(cell);
    expect(first.status).toBe(200);
    const etag = first.headers.get('ETag') ?? '';
    expect((await get(cell, { 'If-None-Match': etag })).status).toBe(304);
    const bad = await get(template.replace('{i}', 'not-a-cell'));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('ETag')).toBeNull();
  });
});
