import { describe, expect, it } from 'vitest';
import {
  h3QuerySource,
  h3TableSource,
  quadbinTableSource,
  query,
  type TilejsonResult,
} from '@carto/api-client';
import type { Polygon } from 'geojson';
import { cellToBoundary as quadbinBoundary, cellToTile } from 'quadbin';
// Importing the layer registers its tile loader (CartoSpatialTileLoader) with loaders.gl, which
// then picks it by Content-Type as it does in the browser.
import { H3TileLayer } from '@deck.gl/carto';
import {
  cellToBoundary,
  cellToParent,
  getRes0Cells,
  getResolution,
  latLngToCell,
  POLYGON_TO_CELLS_FLAGS,
  polygonToCellsExperimental,
} from 'h3-js';
import { h3ChildRange } from '../../../emulator/data/h3Index';
import { pointToCell, pointToTile } from '../../../emulator/data/spatialIndex';
import { EMULATOR_URL, sampleDataEmulator } from '../../mocks/emulator';
import { spatialTile, SUMS, type Cell as SpatialCell } from './spatialTiles';

let token: string;

sampleDataEmulator((t) => {
  token = t;
});

const base = () => ({ accessToken: token, apiBaseUrl: EMULATOR_URL, connectionName: 'carto_dw' });
type Cell = SpatialCell<string>;

/** Tile `index` (an H3 cell) of an H3 source, decoded by deck.gl's own loader. */
const tile = (source: TilejsonResult, index: string) =>
  spatialTile<string>(source, index, 'h3', token);

/** A box around the Benelux. */
const benelux: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [2.5, 49.5],
      [7.2, 49.5],
      [7.2, 53.6],
      [2.5, 53.6],
      [2.5, 49.5],
    ],
  ],
};

const sum = (cells: Cell[], key: string) =>
  cells.reduce((total, c) => total + Number(c.properties[key]), 0);

describe('H3 cell arithmetic', () => {
  it("a cell's descendants at a resolution are one range of index values", () => {
    const tileCell = latLngToCell(40.4, -3.7, 1);
    const [lo, hi] = h3ChildRange(BigInt(`0x${tileCell}`), 1, 5);
    for (const [lat, lon] of [
      [40.4, -3.7],
      [41, -2],
      [39, -5],
    ] as const) {
      const cell = latLngToCell(lat, lon, 5);
      const value = BigInt(`0x${cell}`);
      expect(value >= lo && value <= hi).toBe(cellToParent(cell, 1) === tileCell);
    }
  });
});

describe('H3 sources with the real h3TableSource and H3TileLayer loader', () => {
  it('serves a TileJSON with {i} tiles, resolutions and value ranges', async () => {
    expect(H3TileLayer.layerName).toBe('H3TileLayer');
    const source = await h3TableSource({
      ...base(),
      tableName: 'demo.population_h3',
      aggregationExp: SUMS,
    });
    expect(source.tiles[0]).toContain('/tiles/{i}');
    expect(source.tiles[0]).toContain('spatialIndex=h3');
    // deck.gl's HeatmapTileLayer and ClusterTileLayer tell H3 from quadbin by it.
    expect(source.scheme).toBe('h3');
    // Data at resolution 5, aggregated 4 resolutions below each tile (the client's default):
    // tiles up to resolution 1.
    expect(source.minresolution).toBe(0);
    expect(source.maxresolution).toBe(1);
    const truth = await query({
      ...base(),
      sqlQuery: 'SELECT COUNT(*) AS n, MAX(population) AS top FROM demo.population_h3',
    });
    expect(source.tilestats.layers[0]?.count).toBe(Number(truth.rows[0]!.n));
    const stats = source.tilestats.layers[0]!.attributes;
    expect(stats.map((a) => a.attribute)).toEqual(['population', 'places']);
    expect(stats[0]).toMatchObject({ type: 'Number', max: Number(truth.rows[0]!.top) });
  });

  it('the 122 resolution-0 tiles partition the data: every cell is counted once', async () => {
    const source = await h3TableSource({
      ...base(),
      tableName: 'demo.population_h3',
      aggregationExp: SUMS,
    });
    const tiles = await Promise.all(getRes0Cells().map((cell) => tile(source, cell)));
    const cells = tiles.flatMap((t) => t.cells);
    expect(tiles.some((t) => t.response.status === 204)).toBe(true);
    const drawn = tiles.find((t) => t.response.status === 200);
    expect(drawn?.response.headers.get('Content-Type')).toBe('application/vnd.carto-spatial-tile');
    // One assertion over the thousands of cells (an expect per cell cost a second), naming any
    // cell that fails it.
    expect(cells.filter((cell) => getResolution(cell.id) !== 4)).toEqual([]);
    const truth = await query({
      ...base(),
      sqlQuery: 'SELECT SUM(population) AS p, COUNT(*) AS n FROM demo.populated_places',
    });
    expect(sum(cells, 'population')).toBe(Number(truth.rows[0]!.p));
    expect(sum(cells, 'places')).toBe(Number(truth.rows[0]!.n));
    // Each tile holds only its own descendants.
    const roots = getRes0Cells();
    const strays = tiles.flatMap((t, i) =>
      t.cells.filter((cell) => cellToParent(cell.id, 0) !== roots[i]),
    );
    expect(strays).toEqual([]);
  });

  it("a resolution-1 tile holds its resolution-5 cells, Madrid's the biggest", async () => {
    const source = await h3TableSource({
      ...base(),
      tableName: 'demo.population_h3',
      aggregationExp: SUMS,
    });
    const tileCell = latLngToCell(40.4168, -3.7038, 1);
    const madrid = await tile(source, tileCell);
    expect(madrid.cells.length).toBeGreaterThan(20);
    expect(
      madrid.cells.filter(
        (cell) => getResolution(cell.id) !== 5 || cellToParent(cell.id, 1) !== tileCell,
      ),
    ).toEqual([]);
    const top = madrid.cells.reduce((a, b) =>
      Number(a.properties.population) >= Number(b.properties.population) ? a : b,
    );
    expect(top.id).toBe(latLngToCell(40.4168, -3.7038, 5));
    // The same cell's population from the table itself.
    const truth = await query({
      ...base(),
      sqlQuery: 'SELECT population FROM demo.population_h3 WHERE h3 = ?',
      queryParameters: [top.id],
    });
    expect(Number(top.properties.population)).toBe(Number(truth.rows[0]!.population));
  });

  it('query sources with parameters, integer (h3int) columns, and empty tiles', async () => {
    const source = await h3QuerySource({
      ...base(),
      sqlQuery:
        "SELECT CAST('0x' || h3 AS BIGINT) AS h3, population FROM demo.population_h3 WHERE population > ?",
      queryParameters: [1_000_000],
      aggregationExp: 'COUNT(*) AS big_cells, MAX(population) AS largest',
      aggregationResLevel: 3,
    });
    expect(source.maxresolution).toBe(2);
    const tiles = await Promise.all(getRes0Cells().map((cell) => tile(source, cell)));
    const count = sum(
      tiles.flatMap((t) => t.cells),
      'big_cells',
    );
    const truth = await query({
      ...base(),
      sqlQuery: 'SELECT COUNT(*) AS n FROM demo.population_h3 WHERE population > 1000000',
    });
    expect(count).toBe(Number(truth.rows[0]!.n));
    expect(tiles.flatMap((t) => t.cells).filter((cell) => getResolution(cell.id) !== 3)).toEqual(
      [],
    );
    // The South Pacific west of Chile, no city at all.
    const ocean = await tile(source, latLngToCell(-40, -100, 2));
    expect(ocean.response.status).toBe(204);
  });
});

describe('H3 sources refuse bad input with a clear error', () => {
  const instantiate = async (params: Record<string, string>) => {
    const search = new URLSearchParams({ type: 'query', spatialDataType: 'h3', ...params });
    const response = await fetch(`${EMULATOR_URL}/v3/maps/carto_dw/query?${search}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as { error: string } };
  };

  it.each([
    ['no aggregationExp', { q: 'SELECT h3 FROM demo.population_h3' }, /aggregationExp is required/],
    [
      'values that are not cells',
      { q: "SELECT 'not-a-cell' AS h3", aggregationExp: 'COUNT(*) AS n' },
      /"not-a-cell", which is not an H3 cell index/,
    ],
    [
      'cells of several resolutions',
      {
        q: "SELECT h3 FROM demo.population_h3 UNION ALL SELECT '81393ffffffffff'",
        aggregationExp: 'COUNT(*) AS n',
      },
      /mixes resolutions 1 to 5/,
    ],
    [
      'a column of another type',
      { q: 'SELECT 1.5 AS h3', aggregationExp: 'COUNT(*) AS n' },
      /not an H3 index/,
    ],
  ])('%s', async (_name, params, message) => {
    const result = await instantiate(params);
    expect(result.status).toBe(400);
    expect(result.body.error).toMatch(message);
  });

  it('a malformed tile index is a 400', async () => {
    const source = await h3TableSource({
      ...base(),
      tableName: 'demo.population_h3',
      aggregationExp: SUMS,
    });
    for (const bad of ['zz', '8000000000000000', '85283473fffffffff', '0000000000000000']) {
      const response = await fetch(source.tiles[0]!.replace('{i}', bad), {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/H3 tile index/);
    }
  });
});

describe('widgets on H3 and quadbin sources take spatial filters, in each mode', () => {
  // A triangle over Iberia and France.
  const triangle: Polygon = {
    type: 'Polygon',
    coordinates: [
      [
        [-9.5, 36],
        [8, 43],
        [-2, 51],
        [-9.5, 36],
      ],
    ],
  };
  const box = benelux;
  const FLAGS = {
    center: POLYGON_TO_CELLS_FLAGS.containmentCenter,
    intersects: POLYGON_TO_CELLS_FLAGS.containmentOverlapping,
    contains: POLYGON_TO_CELLS_FLAGS.containmentFull,
  } as const;

  it.each(['center', 'intersects', 'contains'] as const)(
    'H3 %s: the cells H3 itself finds in the polygon',
    async (mode) => {
      const { widgetSource } = await h3TableSource({
        ...base(),
        tableName: 'demo.population_h3',
        aggregationExp: SUMS,
      });
      const all = await query({
        ...base(),
        sqlQuery: 'SELECT h3, population FROM demo.population_h3',
      });
      const population = new Map(all.rows.map((r) => [String(r.h3), Number(r.population)]));
      for (const polygon of [triangle, box]) {
        const cells = polygonToCellsExperimental(polygon.coordinates, 5, FLAGS[mode], true);
        const expected = cells.reduce((total, cell) => total + (population.get(cell) ?? 0), 0);
        const result = await widgetSource.getFormula({
          column: 'population',
          operation: 'sum',
          spatialFilter: polygon,
          spatialFiltersMode: mode,
        });
        expect(result.value).toBe(expected);
      }
    },
  );

  it('modes nest: contains ⊆ center ⊆ intersects, and a filter changes the answer', async () => {
    const { widgetSource } = await h3TableSource({
      ...base(),
      tableName: 'demo.population_h3',
      aggregationExp: SUMS,
    });
    const count = async (spatialFiltersMode?: 'center' | 'intersects' | 'contains') =>
      (
        await widgetSource.getFormula({
          column: '*',
          operation: 'count',
          spatialFilter: triangle,
          ...(spatialFiltersMode ? { spatialFiltersMode } : {}),
        })
      ).value ?? 0;
    const [contains, center, intersects, all] = [
      await count('contains'),
      await count('center'),
      await count('intersects'),
      (await widgetSource.getFormula({ column: '*', operation: 'count' })).value ?? 0,
    ];
    expect(contains).toBeGreaterThan(100);
    expect(contains).toBeLessThan(center);
    expect(center).toBeLessThan(intersects);
    expect(intersects).toBeLessThan(all);
    expect(await count()).toBe(intersects); // intersects is the default
  });

  it('quadbin: the cells whose tile meets the polygon', async () => {
    const { widgetSource } = await quadbinTableSource({
      ...base(),
      tableName: 'demo.population_quadbin',
      aggregationExp: SUMS,
    });
    const all = await query({
      ...base(),
      sqlQuery: 'SELECT quadbin, population FROM demo.population_quadbin',
    });
    // The box's tiles at resolution 12 are the ones whose x and y fall in its range.
    const [sw, ne] = [pointToTile(2.5, 49.5, 12), pointToTile(7.2, 53.6, 12)];
    const inBox = all.rows.filter((r) => {
      const { x, y } = cellToTile(BigInt(String(r.quadbin)));
      return x >= sw[0] && x <= ne[0] && y >= ne[1] && y <= sw[1];
    });
    const expected = inBox.reduce((total, r) => total + Number(r.population), 0);
    const result = await widgetSource.getFormula({
      column: 'population',
      operation: 'sum',
      spatialFilter: box,
    });
    expect(result.value).toBe(expected);
    const centers = await widgetSource.getFormula({
      column: '*',
      operation: 'count',
      spatialFilter: box,
      spatialFiltersMode: 'center',
    });
    expect(centers.value).toBeLessThanOrEqual(inBox.length);
    expect(centers.value).toBeGreaterThan(inBox.length * 0.9);
  });

  it('a bad mode is a 400 that names the modes', async () => {
    const { widgetSource } = await h3TableSource({
      ...base(),
      tableName: 'demo.population_h3',
      aggregationExp: SUMS,
    });
    await expect(
      widgetSource.getFormula({
        column: '*',
        operation: 'count',
        spatialFilter: box,
        spatialFiltersMode: 'nearby' as 'center',
      }),
    ).rejects.toThrow(/spatialFiltersMode must be one of center, intersects, contains/);
  });
});

describe('getExtent on spatial-index sources', () => {
  it('is the outline of the cells that pass the filters', async () => {
    const { widgetSource } = await h3TableSource({
      ...base(),
      tableName: 'demo.population_h3',
      aggregationExp: SUMS,
    });
    const cell = latLngToCell(40.4168, -3.7038, 5);
    const madrid = await widgetSource.getExtent({
      filters: { h3: { in: { owner: 'test', values: [cell] } } },
    });
    const outline = cellToBoundary(cell, true);
    const xs = outline.map(([x]) => x);
    const ys = outline.map(([, y]) => y);
    expect(madrid.bbox).toEqual([
      Math.min(...xs),
      Math.min(...ys),
      Math.max(...xs),
      Math.max(...ys),
    ]);
    const world = await widgetSource.getExtent();
    expect(world.bbox[0]).toBeLessThan(-170);
    expect(world.bbox[3]).toBeGreaterThan(60);

    const quadbin = await quadbinTableSource({
      ...base(),
      tableName: 'demo.population_quadbin',
      aggregationExp: SUMS,
    });
    const madridCell = pointToCell(-3.7038, 40.4168, 12);
    const box = await quadbin.widgetSource.getExtent({
      filters: { quadbin: { in: { owner: 'test', values: [String(madridCell)] } } },
    });
    const corners = quadbinBoundary(madridCell).coordinates[0]!;
    const expected = [
      Math.min(...corners.map(([x]) => x!)),
      Math.min(...corners.map(([, y]) => y!)),
      Math.max(...corners.map(([x]) => x!)),
      Math.max(...corners.map(([, y]) => y!)),
    ];
    box.bbox.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 9));
  });
});
