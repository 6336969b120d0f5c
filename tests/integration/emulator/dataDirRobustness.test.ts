/**
 * --data-dir: one bad file is skipped with a warning that says why (as docs/emulator.md
 * promises), and the emulator starts with the rest. Links are not followed.
 */
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Database } from '../../../emulator/data/database';

const GOOD = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { name: 'Retiro' },
      geometry: { type: 'Point', coordinates: [-3.68, 40.41] },
    },
  ],
};

const collection = (
  properties: Record<string, unknown>,
  geometry: unknown = GOOD.features[0]!.geometry,
) =>
  JSON.stringify({
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties, geometry }],
  });

/** A folder with good.geojson and `files`; the database made from it. */
async function load(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'emu-bad-'));
  await writeFile(join(dir, 'good.geojson'), JSON.stringify(GOOD));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const db = await Database.create({ sample: false, dataDir: dir });
  return { db, dir, tables: [...db.tables.keys()].sort() };
}

describe('--data-dir: a bad file is skipped, the rest loads', () => {
  it.each([
    [
      'two properties that are one SQL name',
      collection({ Name: 'a', name: 'b' }),
      /"Name" and "name"/,
    ],
    ['a reserved property (__rank)', collection({ __rank: 1 }), /"__rank" has a reserved name/],
    ['a reserved property (rowid)', collection({ rowid: 1 }), /"rowid" has a reserved name/],
    ['a reserved property (GEOM)', collection({ GEOM: 'x' }), /"GEOM" has a reserved name/],
    [
      'a prototype property',
      '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"__proto__":1},"geometry":null}]}',
      /"__proto__" has a reserved name/,
    ],
    ['an empty property name', collection({ '': 1 }), /empty name/],
    ['a control character in a name', collection({ 'a\u0000b': 1 }), /control character/],
    [
      'text coordinates',
      collection({ a: 1 }, { type: 'Point', coordinates: 'abc' }),
      /feature 0: the geometry/,
    ],
    [
      'text in a position',
      collection(
        { a: 1 },
        {
          type: 'LineString',
          coordinates: [
            ['1', '2'],
            [3, 4],
          ],
        },
      ),
      /feature 0: the geometry/,
    ],
    [
      'a number for MultiPoint coordinates',
      collection({ a: 1 }, { type: 'MultiPoint', coordinates: 5 }),
      /feature 0: the geometry/,
    ],
    [
      'a GeometryCollection without geometries',
      collection({ a: 1 }, { type: 'GeometryCollection', geometries: null }),
      /feature 0: the geometry/,
    ],
    [
      'an unknown geometry type',
      collection({ a: 1 }, { type: 'Circle', coordinates: [1, 2] }),
      /feature 0: the geometry/,
    ],
    [
      'a number too big for JSON',
      collection({ a: 1 }, { type: 'Point', coordinates: [1, 2] }).replace('[1,2]', '[1e999,2]'),
      /feature 0: the geometry/,
    ],
    [
      'properties that are a list',
      collection([1, 2] as unknown as Record<string, unknown>),
      /properties must be an object/,
    ],
    [
      'features that are not a list',
      '{"type":"FeatureCollection","features":{}}',
      /not a GeoJSON FeatureCollection/,
    ],
    ['no GeoJSON at all', '[1, 2, 3]', /not a GeoJSON FeatureCollection/],
    ['not JSON', '{"type":', /not valid JSON/],
  ])('%s', async (_what, text, why) => {
    const { db, tables } = await load({ 'bad.geojson': text });
    expect(tables).toEqual(['uploads.good']);
    expect(db.warnings).toHaveLength(1);
    expect(db.warnings[0]).toMatch(/^bad\.geojson was skipped: /);
    expect(db.warnings[0]).toMatch(why);
    expect((await db.query('SELECT name FROM uploads.good')).rows).toEqual([{ name: 'Retiro' }]);
  });

  it.each([
    ['a reserved column', 'id,__rank,lon,lat\n1,2,3,4\n', /"__rank" has a reserved name/],
    ['a rowid column', 'rowid,lon,lat\n1,3,4\n', /"rowid" has a reserved name/],
  ])('CSV with %s', async (_what, text, why) => {
    const { db, tables } = await load({ 'bad.csv': text });
    expect(tables).toEqual(['uploads.good']);
    expect(db.warnings[0]).toMatch(/^bad\.csv was skipped: /);
    expect(db.warnings[0]).toMatch(why);
  });

  it('whole numbers too big for a BIGINT load exactly as wider integers, not a crash', async () => {
    const { db, tables } = await load({
      'big.geojson': collection({ n: 1e20 }),
      'big.csv': 'n,lon,lat\n99999999999999999999,1,2\n',
    });
    expect(tables).toEqual(['uploads.big', 'uploads.good']);
    // Both files name the same table: the first (sorted) loads, the second is skipped.
    expect(db.warnings).toEqual([
      expect.stringMatching(
        /^big\.geojson was skipped: its table name uploads\.big is already big\.csv's/,
      ),
    ]);
    // DuckDB's CSV sniffer says DOUBLE; the column is read again as the integers it holds.
    expect(db.findTable('carto_dw', 'uploads.big')?.columns.find((c) => c.name === 'n')?.type).toBe(
      'HUGEINT',
    );
    expect((await db.query('SELECT n FROM uploads.big')).rows).toEqual([
      { n: 99999999999999999999n },
    ]);
    const { db: geo } = await load({ 'huge.geojson': collection({ n: 1e20 }) });
    expect(geo.warnings).toEqual([]);
    expect((await geo.query('SELECT n FROM uploads.huge')).rows).toEqual([
      { n: 100000000000000000000n },
    ]);
    // Past every integer type (2^128): a double, as before.
    const { db: past } = await load({
      'past.geojson': collection({ n: 1e20 }).replace(
        '100000000000000000000',
        `1${'0'.repeat(40)}`,
      ),
    });
    expect(past.warnings).toEqual([]);
    expect(past.findTable('carto_dw', 'uploads.past')?.columns[0]?.type).toBe('DOUBLE');
    expect((await past.query('SELECT n FROM uploads.past')).rows).toEqual([{ n: 1e40 }]);
  });

  it('two files whose names make the same table: the second is skipped, naming the first', async () => {
    const { db, tables } = await load({
      'my parks.geojson': JSON.stringify(GOOD),
      'my_parks.geojson': JSON.stringify(GOOD),
    });
    expect(tables).toEqual(['uploads.good', 'uploads.my_parks']);
    expect(db.warnings).toEqual([
      "my_parks.geojson was skipped: its table name uploads.my_parks is already my parks.geojson's: rename one of them",
    ]);
  });

  it('symbolic links are refused, out of the folder or not; a folder named .csv is skipped', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'emu-outside-'));
    await writeFile(join(outside, 'secret.csv'), 'secret,lon,lat\nhunter2,1,2\n');
    const dir = await mkdtemp(join(tmpdir(), 'emu-links-'));
    await writeFile(join(dir, 'good.geojson'), JSON.stringify(GOOD));
    await symlink(join(outside, 'secret.csv'), join(dir, 'secret.csv'));
    await symlink(join(dir, 'good.geojson'), join(dir, 'again.geojson'));
    await mkdir(join(dir, 'folder.csv'));
    const db = await Database.create({ sample: false, dataDir: dir });
    expect([...db.tables.keys()]).toEqual(['uploads.good']);
    expect(db.warnings).toEqual([
      expect.stringMatching(/^again\.geojson was skipped: it is a symbolic link/),
      expect.stringMatching(/^folder\.csv was skipped: it is not a regular file/),
      expect.stringMatching(/^secret\.csv was skipped: it is a symbolic link/),
    ]);
  });
});
