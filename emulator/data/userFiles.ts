import { readdir, readFile } from 'node:fs/promises';
import { extname, basename, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { CellValue, ColumnType, SampleTable } from './sampleData';

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
  if (/^(BIGINT|INTEGER|SMALLINT|TINYINT|UBIGINT|UINTEGER|HUGEINT)$/i.test(duckType))
    return 'BIGINT';
  if (/^(DOUBLE|FLOAT|REAL|DECIMAL)/i.test(duckType)) return 'DOUBLE';
  if (/^BOOLEAN$/i.test(duckType)) return 'BOOLEAN';
  if (/^DATE$/i.test(duckType)) return 'DATE';
  return 'VARCHAR';
}

function cell(value: unknown, type: ColumnType): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date)
    return type === 'DATE' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return value as CellValue;
}

function fromGeoJson(name: string, text: string): SampleTable {
  const collection = JSON.parse(text) as FeatureCollection | Feature;
  const features = collection.type === 'FeatureCollection' ? collection.features : [collection];
  const keys = [...new Set(features.flatMap((f) => Object.keys(f.properties ?? {})))].filter(
    (k) => !['geom', '__xmin'].includes(k),
  );
  const columns = keys.map((key) => {
    const values = features
      .map((f): unknown => f.properties?.[key])
      .filter((v) => v !== null && v !== undefined);
    const type: ColumnType = values.every((v) => typeof v === 'number')
      ? values.every((v) => Number.isInteger(v))
        ? 'BIGINT'
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
      values: columns.map((c) => cell(f.properties?.[c.name], c.type)),
      geometry: f.geometry,
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
  const lower = names.map((n) => n.toLowerCase());
  const lonIndex = lower.findIndex((n) => LON.includes(n));
  const latIndex = lower.findIndex((n) => LAT.includes(n));
  const wktIndex = lower.findIndex((n) => WKT.includes(n));
  const geometryColumns = new Set<number>(wktIndex >= 0 ? [wktIndex] : []);
  const columns = names
    .map((n, i) => ({ name: n, type: types[i] ?? 'VARCHAR', index: i }))
    .filter((c) => !geometryColumns.has(c.index) && c.name !== 'geom');
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
    throw new Error(
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

/** Reads every GeoJSON, CSV and Parquet file of `dir` into a table; a bad file is skipped with a warning. */
export async function readUserFiles(
  connection: DuckDBConnection,
  dir: string,
): Promise<{ tables: SampleTable[]; warnings: string[] }> {
  const tables: SampleTable[] = [];
  const warnings: string[] = [];
  let files: string[];
  try {
    files = (await readdir(dir)).sort();
  } catch (error) {
    return {
      tables,
      warnings: [`--data-dir ${dir}: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  for (const file of files) {
    const ext = extname(file).toLowerCase();
    const path = join(dir, file);
    const name = tableNameFor(file);
    try {
      if (ext === '.geojson' || ext === '.json')
        tables.push(fromGeoJson(name, await readFile(path, 'utf8')));
      else if (ext === '.csv')
        tables.push(await fromTabular(connection, name, path, 'read_csv_auto'));
      else if (ext === '.parquet')
        tables.push(await fromTabular(connection, name, path, 'read_parquet'));
    } catch (error) {
      warnings.push(
        `${file} was skipped: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { tables, warnings };
}
