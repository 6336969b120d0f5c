import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { Database } from '../../../emulator/data/database';
import { parseWkt, tableNameFor } from '../../../emulator/data/userFiles';

describe('--data-dir: files become tables', () => {
  it('loads GeoJSON, CSV (lon/lat or WKT) and Parquet; skips a file without geometry, saying why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emu-data-'));
    await writeFile(
      join(dir, 'Parks 2024.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: 'Retiro', area_ha: 125.5 },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [-3.69, 40.41],
                  [-3.67, 40.41],
                  [-3.67, 40.42],
                  [-3.69, 40.41],
                ],
              ],
            },
          },
          {
            type: 'Feature',
            properties: { name: 'Casa de Campo', area_ha: 1722 },
            geometry: { type: 'Point', coordinates: [-3.75, 40.42] },
          },
        ],
      }),
    );
    await writeFile(
      join(dir, 'shops.csv'),
      'id,name,longitude,latitude,open\n1,A,-3.7,40.4,true\n2,B,2.17,41.38,false\n',
    );
    await writeFile(
      join(dir, 'routes.csv'),
      'name,wkt\nr1,"LINESTRING (0 0, 1 1, 2 1)"\nr2,"POINT (3 4)"\n',
    );
    await writeFile(join(dir, 'notes.csv'), 'a,b\n1,2\n');
    const other = await (await DuckDBInstance.create(':memory:')).connect();
    await other.run(
      `COPY (SELECT 7 AS id, 10.5 AS lon, 45.2 AS lat) TO '${join(dir, 'sensors.parquet')}' (FORMAT parquet)`,
    );

    const db = await Database.create({ sample: false, dataDir: dir });
    const names = [...db.tables.keys()].sort();
    expect(names).toEqual([
      'uploads.parks_2024',
      'uploads.routes',
      'uploads.sensors',
      'uploads.shops',
    ]);
    expect(db.warnings).toEqual([expect.stringContaining('notes.csv was skipped: no geometry')]);
    expect(db.findTable('carto_dw', 'uploads.shops')?.columns.map((c) => c.name)).toEqual([
      'id',
      'name',
      'longitude',
      'latitude',
      'open',
      'geom',
    ]);
    const shops = await db.query('SELECT name, geom FROM uploads.shops ORDER BY id');
    expect(JSON.parse(String(shops.rows[1]?.geom))).toEqual({
      type: 'Point',
      coordinates: [2.17, 41.38],
    });
    const routes = await db.query('SELECT geom FROM uploads.routes ORDER BY name');
    expect((JSON.parse(String(routes.rows[0]?.geom)) as { type: string }).type).toBe('LineString');
    const parks = db.findTable('carto_dw', 'uploads.parks_2024');
    expect(parks?.columns.find((c) => c.name === 'area_ha')?.type).toBe('DOUBLE');
    expect((await db.query('SELECT id FROM uploads.sensors')).rows).toEqual([{ id: 7 }]);
    // Loaded before the lock-down: client SQL still cannot read files.
    await expect(
      db.query(`SELECT * FROM read_csv_auto('${join(dir, 'shops.csv')}')`),
    ).rejects.toThrow(/disabled/);
  }, 30_000);

  it('a missing folder is a warning, not a crash', async () => {
    const db = await Database.create({ sample: false, dataDir: '/no/such/folder' });
    expect(db.warnings[0]).toContain('/no/such/folder');
  });

  it('parses WKT and names tables safely', () => {
    expect(parseWkt('POINT (1 2)')).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(
      parseWkt('POLYGON ((0 0, 1 0, 1 1, 0 0), (0.2 0.2, 0.3 0.2, 0.3 0.3, 0.2 0.2))'),
    ).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
        [
          [0.2, 0.2],
          [0.3, 0.2],
          [0.3, 0.3],
          [0.2, 0.2],
        ],
      ],
    });
    expect(parseWkt('MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))')?.type).toBe(
      'MultiPolygon',
    );
    expect(parseWkt('MULTIPOINT ((1 2), (3 4))')).toEqual({
      type: 'MultiPoint',
      coordinates: [
        [1, 2],
        [3, 4],
      ],
    });
    expect(parseWkt('CIRCLE (1 2)')).toBeNull();
    expect(parseWkt('POINT (a b)')).toBeNull();
    expect(tableNameFor('My Stores (2024).CSV')).toBe('my_stores_2024');
    expect(tableNameFor('2024.csv')).toBe('t_2024');
  });
});
