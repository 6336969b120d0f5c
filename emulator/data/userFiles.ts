import { constants, type Dirent } from 'node:fs';
import { open, readdir, realpath } from 'node:fs/promises';
import { extname, basename, join } from 'node:path';
import { structValue, type DuckDBConnection } from '@duckdb/node-api';
import type { Geometry, Position } from 'geojson';
import { stringify } from 'lossless-json';
import { parseExactJson } from './exactJson';
import { isGeometry } from './geometry';
import type { CellValue, ColumnType, SampleTable } from './sampleData';
import { RESERVED_CATALOGS, RESERVED_SCHEMAS } from './warehouseNames';

const UPLOADS_SCHEMA = 'uploads';

/** A table name from a file name: lowercase letters, digits and underscores. */
export function tableNameFor(file: string): string {
  const name = basename(file, extname(file))
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z_]/.test(name) ? name : `t_${name}`;
}

const LON = ['longitude', 'lon', 'lng', 'long', 'x'];
const LAT = ['latitude', 'lat', 'y'];
const WKT = ['wkt', 'geometry', 'geom', 'the_geom'];

function pairs(text: string): Position[] {
  return text.split(',').map((p): Position => p.trim().split(/\s+/).slice(0, 2).map(Number));
}

/** Parses WKT (POINT, LINESTRING, POLYGON and their MULTI forms) into GeoJSON; null when invalid. */
export function parseWkt(input: string): Geometry | null {
  const match =
    /^\s*(MULTIPOLYGON|MULTILINESTRING|MULTIPOINT|POLYGON|LINESTRING|POINT)\s*(?:Z|M|ZM)?\s*\((.*)\)\s*$/is.exec(
      input,
    );
  if (!match) return null;
  const type = (match[1] ?? '').toUpperCase();
  const body = match[2] ?? '';
  const groups = (text: string) =>
    [...text.matchAll(/\(([^()]*)\)/g)].map((m) => pairs(m[1] ?? ''));
  const polygons = (text: string) =>
    [...text.matchAll(/\(\s*(\([^()]*\)(?:\s*,\s*\([^()]*\))*)\s*\)/g)].map((m) =>
      groups(m[1] ?? ''),
    );
  let geometry: Geometry;
  switch (type) {
    case 'POINT':
      geometry = { type: 'Point', coordinates: pairs(body)[0] ?? [] };
      break;
    case 'LINESTRING':
      geometry = { type: 'LineString', coordinates: pairs(body) };
      break;
    case 'POLYGON':
      geometry = { type: 'Polygon', coordinates: groups(body) };
      break;
    case 'MULTIPOINT':
      geometry = { type: 'MultiPoint', coordinates: pairs(body.replace(/[()]/g, '')) };
      break;
    case 'MULTILINESTRING':
      geometry = { type: 'MultiLineString', coordinates: groups(body) };
      break;
    default:
      geometry = { type: 'MultiPolygon', coordinates: polygons(body) };
  }
  const flat = JSON.stringify(geometry.coordinates);
  return flat.includes('null') || flat === '[]' ? null : geometry;
}

function columnType(duckType: string): ColumnType {
  if (/^(BIGINT|INTEGER|SMALLINT|TINYINT|UINTEGER|USMALLINT|UTINYINT)$/i.test(duckType))
    return 'BIGINT';
  // Wider integers keep their type: a UBIGINT or HUGEINT value may not fit a BIGINT or a double.
  if (/^(UBIGINT|HUGEINT|UHUGEINT)$/i.test(duckType)) return duckType.toUpperCase() as ColumnType;
  if (/^(DOUBLE|FLOAT|REAL|DECIMAL)/i.test(duckType)) return 'DOUBLE';
  if (/^BOOLEAN$/i.test(duckType)) return 'BOOLEAN';
  if (/^DATE$/i.test(duckType)) return 'DATE';
  return 'VARCHAR';
}

const INTEGER_TYPES: readonly [ColumnType, bigint, bigint][] = [
  ['BIGINT', -(2n ** 63n), 2n ** 63n - 1n],
  ['UBIGINT', 0n, 2n ** 64n - 1n],
  ['HUGEINT', -(2n ** 127n), 2n ** 127n - 1n],
  ['UHUGEINT', 0n, 2n ** 128n - 1n],
];

/** The narrowest integer column that holds every value; DOUBLE when none does. */
function integerColumnType(values: (number | bigint)[]): ColumnType {
  let min = 0n;
  let max = 0n;
  for (const value of values) {
    const big = BigInt(value);
    if (big < min) min = big;
    if (big > max) max = big;
  }
  return INTEGER_TYPES.find(([, lo, hi]) => min >= lo && max <= hi)?.[0] ?? 'DOUBLE';
}

const isIntegerType = (type: ColumnType) => INTEGER_TYPES.some(([t]) => t === type);

/**
 * A value as its column stores it. Integers stay exact: a BigInt (64-bit ids from DuckDB, or a
 * GeoJSON integer past Number.MAX_SAFE_INTEGER) is kept as one for an integer column.
 */
function cell(value: unknown, type: ColumnType): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint')
    return isIntegerType(type) ? value : type === 'DOUBLE' ? Number(value) : String(value);
  if (value instanceof Date)
    return type === 'DATE' ? value.toISOString().slice(0, 10) : value.toISOString();
  // Nested values as JSON text, big integers in it written as the digits they are.
  if (typeof value === 'object') return stringify(value) ?? null;
  return value as CellValue;
}

/** A file that cannot be loaded as it is: the message says what to change. */
class BadFileError extends Error {}

/**
 * Column names a file may not use: `geom` is the geometry the emulator adds, `rowid` is
 * DuckDB's row number (which the emulator's own queries read), names starting with `__` are its
 * internal columns.
 */
const isReserved = (name: string) => /^(geom|rowid)$/i.test(name) || name.startsWith('__');

/**
 * Checks a file's column names before its table is made: none empty, none reserved, none with
 * control characters, and no two the same in SQL (where names are case-insensitive).
 */
function checkColumnNames(names: string[], what: 'property' | 'column'): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    if (name.trim() === '') throw new BadFileError(`a ${what} has an empty name`);
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (/[\u0000-\u001f\u007f]/.test(name))
      throw new BadFileError(`the ${what} ${JSON.stringify(name)} has a control character`);
    if (isReserved(name))
      throw new BadFileError(
        `the ${what} "${name}" has a reserved name (geom, rowid and names starting with __ are the emulator's): rename it`,
      );
    const key = name.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined)
      throw new BadFileError(
        `the ${what}s "${other}" and "${name}" are the same column in SQL (names are case-insensitive): rename one`,
      );
    seen.set(key, name);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fromGeoJson(name: string, text: string): SampleTable {
  let parsed: unknown;
  try {
    // Integers past Number.MAX_SAFE_INTEGER (H3 and quadbin ids) are read exactly, as BigInts.
    parsed = parseExactJson(text);
  } catch (error) {
    throw new BadFileError(`not valid JSON (${error instanceof Error ? error.message : ''})`);
  }
  const root = isPlainObject(parsed) ? parsed : {};
  const list: unknown =
    root.type === 'FeatureCollection' ? root.features : root.type === 'Feature' ? [root] : null;
  if (!Array.isArray(list))
    throw new BadFileError('not a GeoJSON FeatureCollection (with a features list) or Feature');
  const features = list.map((feature: unknown, i) => {
    if (!isPlainObject(feature) || feature.type !== 'Feature')
      throw new BadFileError(`feature ${i} is not a GeoJSON Feature`);
    const { properties = null, geometry = null } = feature;
    if (properties !== null && !isPlainObject(properties))
      throw new BadFileError(`feature ${i}: properties must be an object or null`);
    if (geometry !== null && !isGeometry(geometry))
      throw new BadFileError(
        `feature ${i}: the geometry is not a GeoJSON geometry (a type, and coordinates nested as that type has them, of finite numbers)`,
      );
    return { properties: properties ?? {}, geometry };
  });
  const keys = [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
  checkColumnNames(keys, 'property');
  const own = (properties: Record<string, unknown>, key: string): unknown =>
    Object.hasOwn(properties, key) ? properties[key] : undefined;
  const columns = keys.map((key) => {
    const values = features
      .map((f) => own(f.properties, key))
      .filter((v) => v !== null && v !== undefined);
    const numbers = values.filter(
      (v): v is number | bigint => typeof v === 'number' || typeof v === 'bigint',
    );
    const type: ColumnType =
      numbers.length === values.length
        ? numbers.every((v) => typeof v === 'bigint' || Number.isSafeInteger(v))
          ? integerColumnType(numbers)
          : 'DOUBLE'
        : values.every((v) => typeof v === 'boolean')
          ? 'BOOLEAN'
          : 'VARCHAR';
    return { name: key, type };
  });
  return {
    schema: UPLOADS_SCHEMA,
    name,
    description: `Uploaded from ${name}.geojson`,
    spatial: 'geo',
    columns,
    rows: features.map((f) => ({
      values: columns.map((c) => cell(own(f.properties, c.name), c.type)),
      ...(f.geometry ? { geometry: f.geometry } : {}),
    })),
  };
}

async function fromTabular(
  connection: DuckDBConnection,
  name: string,
  path: string,
  reader: 'read_csv_auto' | 'read_parquet',
): Promise<SampleTable> {
  const result = await connection.runAndReadAll(`SELECT * FROM ${reader}(?)`, [path]);
  const names = result.columnNames();
  const types = result.columnTypes().map((t) => columnType(t.toString()));
  const rows = result.getRowObjectsJS();
  if (reader === 'read_csv_auto') await widenCsvIntegers(connection, path, names, types, rows);
  const lower = names.map((n) => n.toLowerCase());
  const lonIndex = lower.findIndex((n) => LON.includes(n));
  const latIndex = lower.findIndex((n) => LAT.includes(n));
  const wktIndex = lower.findIndex((n) => WKT.includes(n));
  const geometryColumns = new Set<number>(wktIndex >= 0 ? [wktIndex] : []);
  const columns = names
    .map((n, i) => ({ name: n, type: types[i] ?? 'VARCHAR', index: i }))
    .filter((c) => !geometryColumns.has(c.index));
  checkColumnNames(
    columns.map((c) => c.name),
    'column',
  );
  const geometryOf = (row: Record<string, unknown>): Geometry | undefined => {
    if (wktIndex >= 0) {
      const wkt = row[names[wktIndex] ?? ''];
      return typeof wkt === 'string' ? (parseWkt(wkt) ?? undefined) : undefined;
    }
    if (lonIndex >= 0 && latIndex >= 0) {
      const lon = Number(row[names[lonIndex] ?? '']);
      const lat = Number(row[names[latIndex] ?? '']);
      if (Number.isFinite(lon) && Number.isFinite(lat))
        return { type: 'Point', coordinates: [lon, lat] };
    }
    return undefined;
  };
  if (wktIndex < 0 && (lonIndex < 0 || latIndex < 0)) {
    throw new BadFileError(
      'no geometry: add longitude/latitude columns or a WKT column (wkt, geometry, geom)',
    );
  }
  return {
    schema: UPLOADS_SCHEMA,
    name,
    description: `Uploaded from ${basename(path)}`,
    spatial: 'geo',
    columns: columns.map(({ name: n, type }) => ({ name: n, type })),
    rows: rows.map((row) => {
      const geometry = geometryOf(row);
      return {
        values: columns.map((c) => cell(row[c.name], c.type)),
        ...(geometry ? { geometry } : {}),
      };
    }),
  };
}

/**
 * DuckDB's CSV sniffer types a column of integers past BIGINT's range (a uint64 id above 2^63)
 * as DOUBLE, which rounds them. Such a column (all whole numbers, one at least past
 * Number.MAX_SAFE_INTEGER) is read again as text: when every value is an integer it becomes the
 * narrowest of UBIGINT, HUGEINT and UHUGEINT that holds them, exact (`types` and `rows` are
 * updated in place).
 */
async function widenCsvIntegers(
  connection: DuckDBConnection,
  path: string,
  names: string[],
  types: ColumnType[],
  rows: Record<string, unknown>[],
): Promise<void> {
  const suspects = names.filter((name, i) => {
    if (types[i] !== 'DOUBLE') return false;
    const values = rows.map((row) => row[name]).filter((v) => typeof v === 'number');
    return values.every(Number.isInteger) && values.some((v) => !Number.isSafeInteger(v));
  });
  if (suspects.length === 0) return;
  const text = await connection.runAndReadAll(`SELECT * FROM read_csv_auto(?, types = ?)`, [
    path,
    structValue(Object.fromEntries(suspects.map((name) => [name, 'VARCHAR']))),
  ]);
  const textRows = text.getRowObjectsJS();
  if (textRows.length !== rows.length) return;
  for (const name of suspects) {
    const texts = textRows.map((row) => row[name]);
    const present = texts.filter((v): v is string => typeof v === 'string');
    if (!present.every((v) => /^\s*[+-]?\d+\s*$/.test(v))) continue;
    const integers = present.map((v) => BigInt(v.trim()));
    const type = integerColumnType(integers);
    if (type === 'DOUBLE') continue;
    types[names.indexOf(name)] = type;
    rows.forEach((row, i) => {
      const value = texts[i];
      row[name] = typeof value === 'string' ? BigInt(value.trim()) : null;
    });
  }
}

const READERS = new Map<string, 'geojson' | 'read_csv_auto' | 'read_parquet'>([
  ['.geojson', 'geojson'],
  ['.json', 'geojson'],
  ['.csv', 'read_csv_auto'],
  ['.parquet', 'read_parquet'],
]);

/** A GeoJSON file's text, opened without following a link (one swapped in after the listing). */
async function readText(path: string): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** A table read from a file: where it goes (a project's catalog, or `memory`) and from which file. */
export type UserTable = SampleTable & { catalog: string | null; file: string };

/** A BigQuery project id (hyphens allowed), a dataset (letters, digits, underscores). */
const PROJECT = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/;
const DATASET = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

interface Folder {
  /** Path from the data folder, for messages (`carto-demo-data/demo_tables`). */
  label: string;
  path: string;
  schema: string;
  catalog: string | null;
}

const sortedEntries = async (path: string) =>
  (await readdir(path, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );

/**
 * Reads every GeoJSON, CSV and Parquet file of `dir` into a table. A file of the folder itself
 * is `uploads.<table>`; one in `<dataset>/` is `dataset.table`, and one in
 * `<project>/<dataset>/` is `project.dataset.table` (the project becomes a DuckDB catalog), as
 * a BigQuery name. A file that cannot be loaded as it is (no geometry, a bad geometry, an
 * empty, reserved or repeated column name, a table name another file of the folder has) is
 * skipped with a warning that says why; so are symbolic links and anything else that is not a
 * regular file or folder: links are never followed.
 */
export async function readUserFiles(
  connection: DuckDBConnection,
  dir: string,
): Promise<{ tables: UserTable[]; warnings: string[] }> {
  const tables: UserTable[] = [];
  const warnings: string[] = [];
  let root: string;
  let entries: Dirent[];
  try {
    root = await realpath(dir);
    entries = await sortedEntries(root);
  } catch (error) {
    return {
      tables,
      warnings: [`--data-dir ${dir}: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  const folders: Folder[] = [];
  const skipFolder = (label: string, why: string) =>
    warnings.push(`the folder ${label} was skipped: ${why}`);
  /** Sub-folders of `parent`: datasets (or projects, one level up), checked and listed. */
  const subfolders = async (
    parent: string,
    label: string,
    list: Dirent[],
    project: string | null,
  ) => {
    for (const entry of list) {
      if (entry.name.startsWith('.')) continue;
      const here = label ? `${label}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        if (!READERS.has(extname(entry.name).toLowerCase()))
          skipFolder(here, 'it is a symbolic link (links are not followed)');
        continue;
      }
      if (!entry.isDirectory()) continue;
      if (READERS.has(extname(entry.name).toLowerCase())) continue; // a folder named x.csv
      const path = join(parent, entry.name);
      if (project !== null) {
        if (!DATASET.test(entry.name) || RESERVED_SCHEMAS.has(entry.name.toLowerCase())) {
          skipFolder(
            here,
            'a dataset name has letters, digits and underscores, and is not main, information_schema, pg_catalog or __sources',
          );
          continue;
        }
        folders.push({ label: here, path, schema: entry.name, catalog: project });
        continue;
      }
      let inner: Dirent[];
      try {
        inner = await sortedEntries(path);
      } catch (error) {
        skipFolder(here, error instanceof Error ? error.message : String(error));
        continue;
      }
      if (inner.some((e) => e.isDirectory() && !e.name.startsWith('.'))) {
        if (!PROJECT.test(entry.name) || RESERVED_CATALOGS.has(entry.name.toLowerCase())) {
          skipFolder(
            here,
            'a project id has letters, digits, hyphens and underscores, and is not memory, system, temp or main',
          );
          continue;
        }
        await subfolders(path, here, inner, entry.name);
      }
      if (inner.some((e) => !e.isDirectory() && READERS.has(extname(e.name).toLowerCase()))) {
        if (!DATASET.test(entry.name) || RESERVED_SCHEMAS.has(entry.name.toLowerCase())) {
          skipFolder(
            here,
            'a dataset name has letters, digits and underscores, and is not main, information_schema, pg_catalog or __sources',
          );
          continue;
        }
        folders.push({ label: here, path, schema: entry.name, catalog: null });
      }
    }
  };
  await subfolders(root, '', entries, null);
  await readFolder(
    connection,
    { label: '', path: root, schema: UPLOADS_SCHEMA, catalog: null },
    entries,
    tables,
    warnings,
  );
  for (const folder of folders) {
    try {
      await readFolder(connection, folder, await sortedEntries(folder.path), tables, warnings);
    } catch (error) {
      skipFolder(folder.label, error instanceof Error ? error.message : String(error));
    }
  }
  return { tables, warnings };
}

/** The files of one folder, as tables of its schema (and catalog). */
async function readFolder(
  connection: DuckDBConnection,
  folder: Folder,
  entries: Dirent[],
  tables: UserTable[],
  warnings: string[],
): Promise<void> {
  const fromFile = new Map<string, string>();
  const prefix = folder.label ? `${folder.label}/` : '';
  const schemaName = folder.catalog ? `${folder.catalog}.${folder.schema}` : folder.schema;
  for (const entry of entries) {
    const file = `${prefix}${entry.name}`;
    const reader = READERS.get(extname(entry.name).toLowerCase());
    if (!reader) continue;
    const skip = (why: string) => warnings.push(`${file} was skipped: ${why}`);
    if (entry.isSymbolicLink()) {
      skip('it is a symbolic link (links are not followed: copy the file into the folder)');
      continue;
    }
    if (!entry.isFile()) {
      skip('it is not a regular file');
      continue;
    }
    const path = join(folder.path, entry.name);
    const name = tableNameFor(entry.name);
    const taken = fromFile.get(name);
    if (taken !== undefined) {
      skip(`its table name ${schemaName}.${name} is already ${taken}'s: rename one of them`);
      continue;
    }
    try {
      // Still the file that was listed, not a link put in its place since.
      if ((await realpath(path)) !== path) throw new BadFileError('it is a symbolic link');
      const table =
        reader === 'geojson'
          ? fromGeoJson(name, await readText(path))
          : await fromTabular(connection, name, path, reader);
      tables.push({ ...table, schema: folder.schema, catalog: folder.catalog, file });
      fromFile.set(name, entry.name);
    } catch (error) {
      skip(error instanceof Error ? error.message : String(error));
    }
  }
}
