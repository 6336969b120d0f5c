import { describe, expect, it } from 'vitest';
import {
  query,
  quadbinQuerySource,
  quadbinTableSource,
  type TilejsonResult,
} from '@carto/api-client';
// Importing the layer registers its tile loader (CartoSpatialTileLoader) with loaders.gl, which
// then picks it by Content-Type as it does in the browser.
import { QuadbinTileLayer } from '@deck.gl/carto';
import { bigIntToHex, cellToParent, getResolution, tileToCell } from 'quadbin';
import { pointToCell } from '../../../emulator/data/spatialIndex';
import { EMULATOR_URL, sampleDataEmulator } from '../../mocks/emulator';
import { spatialTile, SUMS } from './spatialTiles';

let token: string;

sampleDataEmulator((t) => {
  token = t;
});

const base = () => ({ accessToken: token, apiBaseUrl: EMULATOR_URL, connectionName: 'carto_dw' });
/** Tile z/x/y of a quadbin source, decoded by deck.gl's own loader. */
const tile = (source: TilejsonResult, z: number, x: number, y: number) =>
  spatialTile<bigint>(source, bigIntToHex(tileToCell({ z, x, y })), 'quadbin', token);

const ancestor = (cell: bigint, resolution: number) => {
  let current = cell;
  while (getResolution(current) > BigInt(resolution)) current = cellToParent(current);
  return current;
};

describe('quadbin sources with the real quadbinTableSource and QuadbinTileLayer loader', () => {
  it('serves a TileJSON with {i} tiles, resolutions and value ranges', async () => {
    expect(QuadbinTileLayer.layerName).toBe('QuadbinTileLayer');
    const source = await quadbinTableSource({
      ...base(),
      tableName: 'demo.population_quadbin',
      aggregationExp: SUMS,
    });
    expect(source.tiles[0]).toContain('/tiles/{i}');
    expect(source.scheme).toBe('quadbin');
    // Data at resolution 12, aggregated 6 levels below each tile: tiles up to zoom 6.
    expect(source.maxresolution).toBe(6);
    expect(source).not.toHaveProperty('base');
    expect(source.tilestats.layers[0]?.count).toBe(94_340);
    const stats = source.tilestats.layers[0]!.attributes;
    expect(stats.map((a) => a.attribute)).toEqual(['population', 'places']);
    expect(stats[0]).toMatchObject({ type: 'Number' });
    expect((stats[0] as { max: number }).max).toBeGreaterThan(1_000_000);
  });

  it('a tile holds its cells aggregated 6 levels down; the world tile sums everything', async () => {
    const source = await quadbinTableSource({
      ...base(),
      tableName: 'demo.population_quadbin',
      aggregationExp: SUMS,
    });
    const world = await tile(source, 0, 0, 0);
    expect(world.response.headers.get('Content-Type')).toBe('application/vnd.carto-spatial-tile');
    expect(world.cells.length).toBeGreaterThan(500);
    for (const cell of world.cells) expect(getResolution(cell.id)).toBe(6n);
    const total = world.cells.reduce((sum, c) => sum + Number(c.properties.population), 0);
    const places = world.cells.reduce((sum, c) => sum + Number(c.properties.places), 0);
    const truth = await query({
      ...base(),
      sqlQuery: 'SELECT SUM(population) AS p, COUNT(*) AS n FROM demo.populated_places',
    });
    expect(total).toBe(Number(truth.rows[0]!.p));
    expect(places).toBe(Number(truth.rows[0]!.n));

    // Zoom 4 around Madrid: cells at resolution 10, all inside the tile, Madrid's the biggest
    // of its neighbourhood.
    const z = 4;
    const [x, y] = [7, 6];
    const madrid = await tile(source, z, x, y);
    expect(madrid.cells.length).toBeGreaterThan(50);
    const tileCell = tileToCell({ z, x, y });
    for (const cell of madrid.cells) {
      expect(getResolution(cell.id)).toBe(10n);
      expect(ancestor(cell.id, z)).toBe(tileCell);
    }
    const madridCell = pointToCell(-3.7038, 40.4168, 10);
    const found = madrid.cells.find((c) => c.id === madridCell);
    expect(Number(found?.properties.population)).toBeGreaterThan(3_000_000);
  });

  it('query sources, filters and empty tiles', async () => {
    const source = await quadbinQuerySource({
      ...base(),
      sqlQuery: 'SELECT quadbin, population FROM demo.population_quadbin WHERE population > ?',
      queryParameters: [1_000_000],
      aggregationExp: 'COUNT(*) AS big_cells, MAX(population) AS largest',
    });
    const world = await tile(source, 0, 0, 0);
    const count = world.cells.reduce((sum, c) => sum + Number(c.properties.big_cells), 0);
    const truth = await query({
      ...base(),
      sqlQuery: 'SELECT COUNT(*) AS n FROM demo.population_quadbin WHERE population > 1000000',
    });
    expect(count).toBe(Number(truth.rows[0]!.n));
    // The South Pacific west of Chile (zoom 6), no city at all.
    const ocean = await tile(source, 6, 10, 38);
    expect(ocean.response.status).toBe(204);
  });
});

describe('quadbin sources refuse bad input with a clear error', () => {
  const instantiate = async (params: Record<string, string>) => {
    const search = new URLSearchParams({ spatialDataType: 'quadbin', ...params });
    const response = await fetch(`${EMULATOR_URL}/v3/maps/carto_dw/table?${search}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as { error: string } };
  };

  it.each([
    ['no aggregationExp', { name: 'demo.population_quadbin' }, 400, /aggregationExp is required/],
    [
      'another table in aggregationExp',
      {
        name: 'demo.population_quadbin',
        aggregationExp: '(SELECT max(revenue) FROM demo.retail_stores) AS r',
      },
      400,
      /only aggregate the source/,
    ],
    [
      'a second statement',
      { name: 'demo.population_quadbin', aggregationExp: 'COUNT(*) AS n FROM x; SELECT 1' },
      400,
      /exactly one|only aggregate/,
    ],
    [
      'a table function',
      {
        name: 'demo.population_quadbin',
        aggregationExp: "(SELECT count(*) FROM read_csv('/etc/passwd')) AS n",
      },
      403,
      /Table functions/,
    ],
    [
      'a bad aggregationResLevel',
      { name: 'demo.population_quadbin', aggregationExp: SUMS, aggregationResLevel: '40' },
      400,
      /aggregationResLevel/,
    ],
    [
      'a table without the index column',
      { name: 'demo.retail_stores', aggregationExp: 'COUNT(*) AS n' },
      400,
      /Column not found/,
    ],
    [
      'a spatial index the emulator does not tile',
      { name: 'demo.population_h3', spatialDataType: 'geohash', aggregationExp: 'COUNT(*) AS n' },
      400,
      /not available in the emulator/,
    ],
  ])('%s', async (_name, params, status, message) => {
    const result = await instantiate(params);
    expect(result.status).toBe(status);
    expect(result.body.error).toMatch(message);
  });

  it('a malformed tile index is a 400', async () => {
    const source = await quadbinTableSource({
      ...base(),
      tableName: 'demo.population_quadbin',
      aggregationExp: SUMS,
    });
    for (const bad of ['zz', '0000000000000000', 'ffffffffffffffff']) {
      const response = await fetch(source.tiles[0]!.replace('{i}', bad), {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/quadbin tile index/);
    }
  });

  it('a tile finer than the data is empty (204), at any aggregationResLevel', async () => {
    // The sample cells are at resolution 12; tile 13/4097/2731 lies inside one of them.
    for (const aggregationResLevel of [0, 6]) {
      const source = await quadbinTableSource({
        ...base(),
        tableName: 'demo.population_quadbin',
        aggregationExp: SUMS,
        aggregationResLevel,
      });
      const { response, cells } = await tile(source, 13, 4097, 2731);
      expect(response.status).toBe(204);
      expect(cells).toEqual([]);
    }
  });
});
