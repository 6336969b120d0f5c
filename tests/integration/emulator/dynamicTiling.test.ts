import { describe, expect, it } from 'vitest';
import {
  h3QuerySource,
  h3TableSource,
  query,
  quadbinQuerySource,
  quadbinTableSource,
} from '@carto/api-client';
import { latLngToCell } from 'h3-js';
import { bigIntToHex, tileToCell } from 'quadbin';
import { pointToCell } from '../../../emulator/data/spatialIndex';
import { EMULATOR_URL, sampleDataEmulator } from '../../mocks/emulator';
import { spatialTile, SUMS } from './spatialTiles';

let token: string;
sampleDataEmulator((t) => {
  token = t;
});

const base = () => ({ accessToken: token, apiBaseUrl: EMULATOR_URL, connectionName: 'carto_dw' });

/** populated_places as cells of resolution 12, computed by the query (dynamic tiling). */
const DYNAMIC =
  'SELECT QUADBIN_FROMGEOGPOINT(geom, 12) AS quadbin, population, 1 AS places FROM demo.populated_places';

describe('points aggregated to quadbin cells on the fly (CARTO Analytics Toolbox functions)', () => {
  it('QUADBIN_FROMLONGLAT and QUADBIN_FROMGEOGPOINT give the quadbin package’s cells', async () => {
    const points: [number, number][] = [
      [-3.7038, 40.4168],
      [151.2093, -33.8688],
      [-179.99, 85.2],
      [0, 0],
      [179.9999, -89],
    ];
    for (const resolution of [0, 1, 12, 26]) {
      const sql = points
        .map(
          ([lon, lat], i) =>
            `SELECT ${i} AS i, QUADBIN_FROMLONGLAT(${lon}, ${lat}, ${resolution}) AS a, QUADBIN_FROMGEOGPOINT('{"type":"Point","coordinates":[${lon},${lat}]}', ${resolution}) AS b, QUADBIN_FROMGEOGPOINT(ST_GEOGPOINT(${lon}, ${lat}), ${resolution}) AS c`,
        )
        .join(' UNION ALL ');
      const { rows } = await query({ ...base(), sqlQuery: `${sql} ORDER BY i` });
      rows.forEach((row, i) => {
        const [lon, lat] = points[i]!;
        const expected = pointToCell(lon, lat, resolution).toString();
        expect(String(row.a)).toBe(expected);
        expect(String(row.b)).toBe(expected);
        // A point made by the spatial functions is a geography the cell functions read.
        expect(String(row.c)).toBe(expected);
      });
    }
  });

  it('a quadbin query source over a point table tiles as the precomputed cell table does', async () => {
    const dynamic = await quadbinQuerySource({
      ...base(),
      sqlQuery: DYNAMIC,
      aggregationExp: SUMS,
    });
    const stored = await quadbinTableSource({
      ...base(),
      tableName: 'demo.population_quadbin',
      aggregationExp: SUMS,
    });
    expect(dynamic.maxresolution).toBe(stored.maxresolution);
    for (const [z, x, y] of [
      [0, 0, 0],
      [4, 7, 6],
      [6, 31, 24],
    ] as const) {
      const index = bigIntToHex(tileToCell({ z, x, y }));
      const a = await spatialTile<bigint>(dynamic, index, 'quadbin', token);
      const b = await spatialTile<bigint>(stored, index, 'quadbin', token);
      expect(a.cells.length).toBeGreaterThan(0);
      const byId = (cells: typeof a.cells) =>
        new Map(cells.map((c) => [c.id, [c.properties.population, c.properties.places]]));
      expect(byId(a.cells)).toEqual(byId(b.cells));
    }
  });

  it.each([
    [
      'a resolution past 26',
      'SELECT QUADBIN_FROMLONGLAT(0, 0, 27) AS q',
      /QUADBIN_FROMLONGLAT: the resolution must be a whole number from 0 to 26/,
    ],
    [
      'a fractional resolution',
      'SELECT QUADBIN_FROMLONGLAT(0, 0, 1.5) AS q',
      /from 0 to 26, not 1.5/,
    ],
    [
      'a polygon',
      `SELECT QUADBIN_FROMGEOGPOINT('{"type":"Polygon","coordinates":[]}', 4) AS q`,
      /QUADBIN_FROMGEOGPOINT: the geography must be a point/,
    ],
    ['the helpers behind them', 'SELECT __quadbin_spread(3) AS q', /not allowed/],
  ])('%s is a 400 that says what is wrong', async (_what, sqlQuery, message) => {
    await expect(query({ ...base(), sqlQuery })).rejects.toThrow(message);
  });

  it('a missing point or coordinate is a missing cell, as in BigQuery', async () => {
    const { rows } = await query({
      ...base(),
      sqlQuery:
        'SELECT QUADBIN_FROMGEOGPOINT(NULL, 4) AS a, QUADBIN_FROMLONGLAT(NULL, 0, 4) AS b, QUADBIN_FROMLONGLAT(0, NULL, 4) AS c',
    });
    expect(rows).toEqual([{ a: null, b: null, c: null }]);
  });
});

/** populated_places as H3 cells of resolution 5, computed by the query. */
const DYNAMIC_H3 =
  'SELECT H3_FROMGEOGPOINT(geom, 5) AS h3, population, 1 AS places FROM demo.populated_places';

describe('points aggregated to H3 cells on the fly (CARTO Analytics Toolbox functions)', () => {
  it('H3_FROMLONGLAT and H3_FROMGEOGPOINT give h3-js’s cells', async () => {
    const points: [number, number][] = [
      [-3.7038, 40.4168],
      [151.2093, -33.8688],
      [-179.99, 85.2],
      [0, 0],
      [179.9999, -89],
    ];
    for (const resolution of [0, 5, 9, 15]) {
      const sql = points
        .map(
          ([lon, lat], i) =>
            `SELECT ${i} AS i, H3_FROMLONGLAT(${lon}, ${lat}, ${resolution}) AS a, H3_FROMGEOGPOINT('{"type":"Point","coordinates":[${lon},${lat}]}', ${resolution}) AS b, H3_FROMGEOGPOINT(ST_GEOGPOINT(${lon}, ${lat}), ${resolution}) AS c`,
        )
        .join(' UNION ALL ');
      const { rows } = await query({ ...base(), sqlQuery: `${sql} ORDER BY i` });
      rows.forEach((row, i) => {
        const [lon, lat] = points[i]!;
        const expected = latLngToCell(lat, lon, resolution);
        expect([row.a, row.b, row.c]).toEqual([expected, expected, expected]);
      });
    }
  });

  it('an H3 query source over a point table tiles as the precomputed cell table does', async () => {
    const dynamic = await h3QuerySource({ ...base(), sqlQuery: DYNAMIC_H3, aggregationExp: SUMS });
    const stored = await h3TableSource({
      ...base(),
      tableName: 'demo.population_h3',
      aggregationExp: SUMS,
    });
    expect(dynamic.maxresolution).toBe(stored.maxresolution);
    // Resolution-0 and resolution-1 tiles over Europe, and one over Sydney.
    for (const index of [
      latLngToCell(48, 10, 0),
      latLngToCell(40.4, -3.7, 1),
      latLngToCell(-33.9, 151.2, 1),
    ]) {
      const a = await spatialTile<string>(dynamic, index, 'h3', token);
      const b = await spatialTile<string>(stored, index, 'h3', token);
      expect(a.cells.length).toBeGreaterThan(0);
      const byId = (cells: typeof a.cells) =>
        new Map(cells.map((c) => [c.id, [c.properties.population, c.properties.places]]));
      expect(byId(a.cells)).toEqual(byId(b.cells));
    }
  });

  it.each([
    [
      'a resolution past 15',
      'SELECT H3_FROMLONGLAT(0, 0, 16) AS h',
      /H3_FROMLONGLAT: the resolution must be a whole number from 0 to 15, not 16/,
    ],
    ['a fractional resolution', 'SELECT H3_FROMLONGLAT(0, 0, 2.5) AS h', /from 0 to 15, not 2.5/],
    [
      'a latitude off the globe',
      'SELECT H3_FROMLONGLAT(0, 91, 4) AS h',
      /H3_FROMLONGLAT: \[0, 91\] is not a longitude and latitude/,
    ],
    [
      'a polygon',
      `SELECT H3_FROMGEOGPOINT('{"type":"Polygon","coordinates":[]}', 4) AS h`,
      /H3_FROMGEOGPOINT: the geography must be a point/,
    ],
    [
      'a number for the geography',
      'SELECT H3_FROMGEOGPOINT(1, 4) AS h',
      /H3_FROMGEOGPOINT: argument 1 must be a geography/,
    ],
    [
      'text that is not a geography',
      `SELECT H3_FROMGEOGPOINT('POINT(1 2', 4) AS h`,
      /H3_FROMGEOGPOINT: the geography must be a point/,
    ],
  ])('%s is a 400 that says what is wrong', async (_what, sqlQuery, message) => {
    await expect(query({ ...base(), sqlQuery })).rejects.toThrow(message);
  });
});

describe('Analytics Toolbox functions by their qualified names, as CARTO’s docs write them', () => {
  it('`carto-un`.carto.X, `carto-un-eu.carto.X` and carto.X are the emulator’s functions', async () => {
    const { rows } = await query({
      ...base(),
      sqlQuery:
        'SELECT `carto-un`.carto.QUADBIN_FROMLONGLAT(-3.7038, 40.4168, 12) AS a, `carto-un-eu.carto.H3_FROMLONGLAT`(-3.7038, 40.4168, 7) AS b, carto.H3_FROMGEOGPOINT(ST_GEOGPOINT(-3.7038, 40.4168), @r) AS c',
      queryParameters: { r: 7 },
    });
    expect(rows).toEqual([
      {
        a: pointToCell(-3.7038, 40.4168, 12).toString(),
        b: latLngToCell(40.4168, -3.7038, 7),
        c: latLngToCell(40.4168, -3.7038, 7),
      },
    ]);
  });

  it('an H3 query source written with the qualified name tiles as the stored table does', async () => {
    const dynamic = await h3QuerySource({
      ...base(),
      sqlQuery:
        'SELECT `carto-un`.carto.H3_FROMGEOGPOINT(geom, 5) AS h3, population, 1 AS places FROM demo.populated_places',
      aggregationExp: SUMS,
    });
    const stored = await h3TableSource({
      ...base(),
      tableName: 'demo.population_h3',
      aggregationExp: SUMS,
    });
    const index = latLngToCell(48, 10, 0);
    const a = await spatialTile<string>(dynamic, index, 'h3', token);
    const b = await spatialTile<string>(stored, index, 'h3', token);
    expect(a.cells.length).toBeGreaterThan(0);
    expect(a.cells.map((c) => c.id).sort()).toEqual(b.cells.map((c) => c.id).sort());
  });

  it('a Toolbox function the emulator lacks is a 400 that names it and lists what it has', async () => {
    await expect(
      query({ ...base(), sqlQuery: 'SELECT `carto-un`.carto.H3_POLYFILL(NULL, 4) AS h' }),
    ).rejects.toThrow(
      /carto-un\.carto\.H3_POLYFILL: the emulator's Analytics Toolbox has QUADBIN_FROMLONGLAT, .*H3_FROMGEOGPOINT only/,
    );
  });
});
