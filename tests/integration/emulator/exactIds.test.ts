/**
 * 64-bit H3 and quadbin ids from --data-dir files stay exact end to end (issue 15): GeoJSON,
 * CSV and Parquet in, the SQL API, widget models, filters, TileJSON and tiles out. In JSON an
 * integer past Number.MAX_SAFE_INTEGER is a string of its digits; in tiles a quadbin cell is
 * the uint64 it is.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
// Importing the layer registers its tile loader (CartoSpatialTileLoader) with loaders.gl.
import { QuadbinTileLayer } from '@deck.gl/carto';
import { parse } from '@loaders.gl/core';
import { bigIntToHex } from 'quadbin';
import type { Emulator } from '../../../emulator/createEmulator';
import { Database } from '../../../emulator/data/database';
import { bearerRequest, clientToken, makeTestEmulator } from '../../utils/emulatorHarness';
import { decodeTile } from './mvtGeometry';

/** A quadbin-like id (the example of issue 15), past 2^53. */
const QUADBIN = '5256779493279973375';
/** Quadbin cells (resolution 15, near Madrid; tiles 16030 and 16031, 12379). */
const CELL = '5256779493283987455';
const QUADBIN_NEXT = '5256779493288181759';
/** An H3 cell (resolution 9, San Francisco) as an integer. */
const H3 = '617700169958293503';
/** Past BIGINT's range: a UBIGINT. */
const U64 = '18446744073709551615';
const U63 = '9223372036854775808';

let dir: string;
let emulator: Emulator;
let token: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emu-ids-'));
  // Written as text: JSON.stringify could not write these integers exactly.
  await writeFile(
    join(dir, 'cells.geojson'),
    `{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"a","quadbin":${QUADBIN},"h3int":${H3},"small":7,"nested":{"ids":[${QUADBIN}]}},
       "geometry":{"type":"Point","coordinates":[-3.883,40.216]}},
      {"type":"Feature","properties":{"name":"b","quadbin":${QUADBIN_NEXT},"h3int":1,"small":8,"nested":null},
       "geometry":{"type":"Point","coordinates":[-3.872,40.216]}}
    ]}`,
  );
  await writeFile(
    join(dir, 'ids.csv'),
    `name,quadbin,h3int,big,longitude,latitude\na,${CELL},${H3},${U64},-3.883,40.216\nb,${QUADBIN_NEXT},2,${U63},-3.872,40.216\n`,
  );
  const other = await (await DuckDBInstance.create(':memory:')).connect();
  await other.run(
    `COPY (SELECT ${U64}::UBIGINT AS u, 10.5 AS lon, 45.2 AS lat) TO '${join(dir, 'sensors.parquet')}' (FORMAT parquet)`,
  );
  const data = await Database.create({ sample: false, dataDir: dir });
  expect(data.warnings).toEqual([]);
  ({ emulator } = await makeTestEmulator(undefined, { data }));
  token = await clientToken(emulator);
}, 30_000);

const get = (path: string) => emulator.fetch(bearerRequest(path, token));

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the body's shape
async function json<T>(path: string): Promise<{ text: string; body: T }> {
  const response = await get(path);
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return { text, body: JSON.parse(text) as T };
}

const sql = (q: string) =>
  json<{ rows: Record<string, unknown>[]; schema: { name: string; type: string }[] }>(
    `/v3/sql/carto_dw/query?${new URLSearchParams({ q }).toString()}`,
  );

const model = (name: string, params: Record<string, string>) =>
  json<{ rows: Record<string, unknown>[]; metadata?: Record<string, unknown> }>(
    `/v3/sql/carto_dw/model/${name}?${new URLSearchParams({ type: 'table', ...params }).toString()}`,
  );

describe('64-bit ids from --data-dir files stay exact', () => {
  it('the SQL API answers the digits of GeoJSON, CSV and Parquet ids; small ones stay numbers', async () => {
    const geo = await sql(
      'SELECT name, quadbin, h3int, small, nested FROM uploads.cells ORDER BY name',
    );
    expect(geo.body.rows).toEqual([
      { name: 'a', quadbin: QUADBIN, h3int: H3, small: 7, nested: `{"ids":[${QUADBIN}]}` },
      { name: 'b', quadbin: QUADBIN_NEXT, h3int: 1, small: 8, nested: null },
    ]);
    expect(geo.text).toContain(`"quadbin":"${QUADBIN}"`);

    const csv = await sql('SELECT name, quadbin, h3int, big FROM uploads.ids ORDER BY name');
    expect(csv.body.rows).toEqual([
      { name: 'a', quadbin: CELL, h3int: H3, big: U64 },
      { name: 'b', quadbin: QUADBIN_NEXT, h3int: 2, big: U63 },
    ]);
    // The CSV column past BIGINT's range is a UBIGINT, not a (rounding) DOUBLE.
    expect(csv.body.schema.find((c) => c.name === 'big')?.type).toBe('ubigint');
    // It is a real integer in SQL: arithmetic on it is exact.
    const minus = await sql(
      'SELECT big - 1 AS m FROM uploads.ids WHERE name = ?'.replace('?', "'a'"),
    );
    expect(minus.body.rows).toEqual([{ m: '18446744073709551614' }]);

    const parquet = await sql('SELECT u FROM uploads.sensors');
    expect(parquet.body.rows).toEqual([{ u: U64 }]);
    expect(parquet.body.schema).toEqual([{ name: 'u', type: 'ubigint' }]);
  });

  it('widget models: table and category rows carry the exact ids', async () => {
    const table = await model('table', {
      source: 'uploads.cells',
      params: JSON.stringify({ column: ['name', 'quadbin', 'h3int'], sortBy: 'name' }),
    });
    expect(table.body.rows).toEqual([
      { name: 'a', quadbin: QUADBIN, h3int: H3 },
      { name: 'b', quadbin: QUADBIN_NEXT, h3int: 1 },
    ]);
    const category = await model('category', {
      source: 'uploads.ids',
      params: JSON.stringify({ column: 'h3int', operation: 'count', orderBy: 'alphabetical_desc' }),
    });
    expect(category.body.rows).toEqual([
      { name: H3, value: 1 },
      { name: 2, value: 1 },
    ]);
    const range = await model('range', {
      source: 'uploads.ids',
      params: JSON.stringify({ column: 'big' }),
    });
    expect(range.body.rows).toEqual([{ min: U63, max: U64 }]);
  });

  it('the stats API: a 64-bit column’s min, max and sum are exact', async () => {
    const stats = await json<Record<string, unknown>>('/v3/stats/carto_dw/uploads.ids/quadbin');
    expect(stats.body).toMatchObject({
      type: 'Number',
      count: 2,
      min: CELL,
      max: QUADBIN_NEXT,
      sum: (BigInt(CELL) + BigInt(QUADBIN_NEXT)).toString(),
    });
    const big = await json<Record<string, unknown>>('/v3/stats/carto_dw/uploads.ids/big');
    expect(big.body).toMatchObject({ min: U63, max: U64 });
  });

  it('an `in` filter matches the id given as a string or as a JSON number, and only that id', async () => {
    // The filters' JSON is written by hand: a JSON number with all 19 digits.
    const count = async (source: string, column: string, values: string) => {
      const filters = `{"${column}":{"in":{"values":[${values}]}}}`;
      const r = await model('formula', {
        source,
        params: JSON.stringify({ column: '*', operation: 'count' }),
        filters,
      });
      return r.body.rows[0]?.value;
    };
    for (const [source, id, below] of [
      ['uploads.cells', QUADBIN, '5256779493279973374'],
      ['uploads.ids', CELL, '5256779493283987454'],
    ] as const) {
      expect(await count(source, 'quadbin', `"${id}"`)).toBe(1);
      expect(await count(source, 'quadbin', id)).toBe(1);
      expect(await count(source, 'h3int', H3)).toBe(1);
      // One less than the id: a double would round both to the same value.
      expect(await count(source, 'quadbin', below)).toBe(0);
      expect(await count(source, 'quadbin', `"${below}"`)).toBe(0);
    }
    expect(await count('uploads.ids', 'big', U64)).toBe(1);
    expect(await count('uploads.ids', 'big', `"${U63}"`)).toBe(1);
    // The table model with the same filter answers the row with its exact id.
    const filtered = await model('table', {
      source: 'uploads.ids',
      params: JSON.stringify({ column: ['name', 'quadbin'] }),
      filters: `{"quadbin":{"in":{"values":[${QUADBIN_NEXT}]}}}`,
    });
    expect(filtered.body.rows).toEqual([{ name: 'b', quadbin: QUADBIN_NEXT }]);
  });

  it('query parameters past 2^53 bind exactly', async () => {
    const q = 'SELECT name FROM uploads.ids WHERE quadbin = ?';
    const r = await json<{ rows: unknown[] }>(
      `/v3/sql/carto_dw/query?${new URLSearchParams({ q, queryParameters: `[${CELL}]` }).toString()}`,
    );
    expect(r.body.rows).toEqual([{ name: 'a' }]);
    // One less than the id matches nothing (a double would round both to the same value).
    const below = await json<{ rows: unknown[] }>(
      `/v3/sql/carto_dw/query?${new URLSearchParams({ q, queryParameters: '[5256779493283987454]' }).toString()}`,
    );
    expect(below.body.rows).toEqual([]);
    const echoed = await json<{ rows: unknown[] }>(
      `/v3/sql/carto_dw/query?${new URLSearchParams({ q: 'SELECT ? AS v', queryParameters: `[${CELL}]` }).toString()}`,
    );
    expect(echoed.body.rows).toEqual([{ v: CELL }]);
    // A list of them (a multi-select) is a BIGINT list, each item exact.
    const listed = await json<{ rows: unknown[] }>(
      `/v3/sql/carto_dw/query?${new URLSearchParams({
        q: 'SELECT name FROM uploads.ids WHERE list_contains(?, quadbin) ORDER BY name',
        queryParameters: `[[${CELL}, ${QUADBIN_NEXT}, 5256779493283987454]]`,
      }).toString()}`,
    );
    expect(listed.body.rows).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it('a quadbin tile of a CSV source holds the exact cells; an id property goes as its digits', async () => {
    expect(QuadbinTileLayer.layerName).toBe('QuadbinTileLayer');
    const params = new URLSearchParams({
      name: 'uploads.ids',
      spatialDataType: 'quadbin',
      spatialDataColumn: 'quadbin',
      aggregationExp: 'COUNT(*) AS n, ANY_VALUE(h3int) AS h3int',
      aggregationResLevel: '0',
    });
    const instantiated = await json<{ tilejson: { url: string[] } }>(
      `/v3/maps/carto_dw/table?${params.toString()}`,
    );
    const tilejson = await json<{ tiles: string[]; maxresolution: number }>(
      new URL(instantiated.body.tilejson.url[0] ?? '').pathname,
    );
    expect(tilejson.body.maxresolution).toBe(15);
    const template = new URL(tilejson.body.tiles[0] ?? '');
    const tilePath = `${template.pathname.replace('%7Bi%7D', bigIntToHex(BigInt(CELL)))}${template.search}`;
    const response = await get(tilePath);
    expect(response.status).toBe(200);
    const cells = (await parse(response, [], {
      worker: false,
      cartoSpatialTile: { scheme: 'quadbin' },
    } as never)) as { id: bigint; properties: Record<string, unknown> }[];
    expect(cells.map((c) => c.id)).toEqual([BigInt(CELL)]);
    expect(cells[0]?.properties).toMatchObject({ n: 1, h3int: H3 });
  });

  it('a vector tile and its TileJSON carry the exact ids of a GeoJSON source', async () => {
    const instantiated = await json<{ tilejson: { url: string[] } }>(
      `/v3/maps/carto_dw/table?${new URLSearchParams({ name: 'uploads.cells' }).toString()}`,
    );
    const tilejson = await json<{
      tiles: string[];
      tilestats: {
        layers: { attributes: { attribute: string; min?: unknown; max?: unknown }[] }[];
      };
    }>(new URL(instantiated.body.tilejson.url[0] ?? '').pathname);
    const stats = tilejson.body.tilestats.layers[0]?.attributes ?? [];
    expect(stats.find((a) => a.attribute === 'quadbin')).toMatchObject({
      min: QUADBIN,
      max: QUADBIN_NEXT,
    });
    expect(stats.find((a) => a.attribute === 'h3int')).toMatchObject({ min: 1, max: H3 });
    const template = new URL(tilejson.body.tiles[0] ?? '');
    const path = `${template.pathname.replace('%7Bz%7D/%7Bx%7D/%7By%7D', '0/0/0')}${template.search}`;
    const response = await get(path);
    expect(response.status).toBe(200);
    const tile = decodeTile(await response.arrayBuffer());
    const a = tile.features.find((f) => f.properties.name === 'a');
    expect(a?.properties).toMatchObject({ quadbin: QUADBIN, h3int: H3, small: 7 });
  });
});
