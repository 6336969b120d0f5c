import {
  DuckDBInstance,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { LonLatBounds } from '../../protocol/antimeridian';
import { bboxOf } from '../../protocol/geojson';
import { quoteIdentifier } from '../../protocol/sql';
import { sampleTables, type SampleTable } from './sampleData';
import { readUserFiles } from './userFiles';

/** Columns the emulator adds to every geo table; never shown to clients. */
const INTERNAL_COLUMNS = ['__xmin', '__ymin', '__xmax', '__ymax', '__rank'] as const;
export const isInternalColumn = (name: string) => name.startsWith('__');

export interface TableInfo {
  connection: string;
  schema: string;
  name: string;
  /** `schema.name` */
  qualifiedName: string;
  description: string;
  spatial: 'geo' | 'h3' | 'quadbin';
  columns: { name: string; type: string }[];
  rowCount: number;
  /**
   * [west, south, east, north]. West > east when the data straddles the antimeridian (RFC 7946
   * §5.2), e.g. us_states with Alaska's Aleutians and Guam: [144.6, -14.4, -64.6, 71.4], so a
   * "zoom to" ends on the data, not on the whole world.
   */
  bounds: [number, number, number, number] | null;
  geometryType: string | null;
  updatedAt: string;
}

export interface QueryResult {
  rows: Record<string, unknown>[];
  columns: { name: string; type: string }[];
}

export class QueryError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 408 | 413 = 400,
  ) {
    super(message);
  }
}

const DEMO_CONNECTION = 'carto_dw';

/** A deterministic rank in [0, 1) per row, used to drop features evenly from crowded tiles. */
function rank(i: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** The emulator's one identifier quoting (DuckDB: double quotes, doubled inside). */
const quote = quoteIdentifier;
export const qualified = (schema: string, name: string) => `${quote(schema)}.${quote(name)}`;

/** Converts DuckDB JS values to what JSON clients expect (numbers, ISO dates). */
function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value && typeof value === 'object' && value.constructor === Object) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  }
  // DuckDB's value classes (decimal, UUID, interval, ...) all define toString().
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  if (value && typeof value === 'object') return String(value);
  return value;
}

export interface DatabaseOptions {
  /** Extra tables (tests, `--data-dir`). */
  extraTables?: SampleTable[];
  /** Skip the bundled sample data (tests that bring their own). */
  sample?: boolean;
  /** A folder of GeoJSON / CSV / Parquet files to load as tables in the `uploads` schema. */
  dataDir?: string;
  queryTimeoutMs?: number;
  maxRows?: number;
}

/**
 * The emulator's warehouse: an in-memory DuckDB with the sample tables, locked down before any
 * client SQL runs (no file or network access, configuration frozen).
 */
export class Database {
  readonly tables = new Map<string, TableInfo>();
  readonly loadMs: number;
  /** Files from --data-dir that could not be loaded, and why. */
  readonly warnings: string[] = [];

  private readonly idle: DuckDBConnection[];
  private readonly waiting: ((connection: DuckDBConnection) => void)[] = [];

  private constructor(
    private readonly connection: DuckDBConnection,
    pool: DuckDBConnection[],
    loadMs: number,
    readonly queryTimeoutMs: number,
    readonly maxRows: number,
  ) {
    this.loadMs = loadMs;
    this.idle = pool;
  }

  /** One query per connection at a time, so a timeout interrupts only its own query. */
  private acquire(): Promise<DuckDBConnection> {
    const connection = this.idle.pop();
    if (connection) return Promise.resolve(connection);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(connection: DuckDBConnection): void {
    const next = this.waiting.shift();
    if (next) next(connection);
    else this.idle.push(connection);
  }

  static async create(options: DatabaseOptions = {}): Promise<Database> {
    const started = performance.now();
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const connection = await instance.connect();
    const tables = [
      ...(options.sample === false ? [] : sampleTables()),
      ...(options.extraTables ?? []),
    ];
    const pool = await Promise.all(Array.from({ length: 4 }, () => instance.connect()));
    const db = new Database(
      connection,
      pool,
      0,
      options.queryTimeoutMs ?? 10_000,
      options.maxRows ?? 100_000,
    );
    if (options.dataDir) {
      const uploaded = await readUserFiles(connection, options.dataDir);
      tables.push(...uploaded.tables);
      db.warnings.push(...uploaded.warnings);
    }
    for (const table of tables) await db.load(table);
    // Instance-wide, and frozen: client SQL cannot read files or turn this back on.
    await connection.run('SET enable_external_access = false');
    await connection.run('SET lock_configuration = true');
    (db as { loadMs: number }).loadMs = Math.round(performance.now() - started);
    return db;
  }

  private async load(table: SampleTable): Promise<void> {
    const { connection } = this;
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quote(table.schema)}`);
    const geo = table.spatial === 'geo';
    const columns = [
      ...table.columns.map((c) => `${quote(c.name)} ${c.type}`),
      ...(geo ? ['geom VARCHAR', ...INTERNAL_COLUMNS.map((c) => `${c} DOUBLE`)] : []),
    ];
    await connection.run(
      `CREATE TABLE ${qualified(table.schema, table.name)} (${columns.join(', ')})`,
    );
    const appender = await connection.createAppender(table.name, table.schema);
    // The table's bounds know about the antimeridian; each row's __xmin.. box stays plain
    // (west <= east), as the tile and bbox filters compare it with plain tile boxes.
    const bounds = new LonLatBounds();
    const geometryTypes = new Set<string>();
    table.rows.forEach((row, i) => {
      row.values.forEach((value, c) => {
        const type = table.columns[c]?.type;
        if (value === null) appender.appendNull();
        else if (type === 'BIGINT')
          appender.appendBigInt(
            typeof value === 'bigint' ? value : BigInt(Math.round(Number(value))),
          );
        else if (type === 'DOUBLE') appender.appendDouble(Number(value));
        else if (type === 'BOOLEAN') appender.appendBoolean(Boolean(value));
        else appender.appendVarchar(String(value));
      });
      if (geo) {
        const b = row.geometry ? bboxOf(row.geometry) : null;
        if (row.geometry && b) {
          geometryTypes.add(row.geometry.type);
          bounds.add(row.geometry);
          appender.appendVarchar(JSON.stringify(row.geometry));
          for (const v of b) appender.appendDouble(v);
        } else {
          appender.appendNull();
          for (let k = 0; k < 4; k++) appender.appendNull();
        }
        appender.appendDouble(rank(i));
      }
      appender.endRow();
    });
    appender.closeSync();
    // DATE columns arrive as text; cast them in place.
    for (const column of table.columns) {
      if (column.type === 'DATE') {
        await connection.run(
          `ALTER TABLE ${qualified(table.schema, table.name)} ALTER ${quote(column.name)} SET DATA TYPE DATE USING CAST(${quote(column.name)} AS DATE)`,
        );
      }
    }
    const info: TableInfo = {
      connection: DEMO_CONNECTION,
      schema: table.schema,
      name: table.name,
      qualifiedName: `${table.schema}.${table.name}`,
      description: table.description,
      spatial: table.spatial,
      columns: [
        ...table.columns.map((c) => ({ name: c.name, type: c.type })),
        ...(geo ? [{ name: 'geom', type: 'GEOMETRY' }] : []),
      ],
      rowCount: table.rows.length,
      bounds: geo ? bounds.result() : (table.bounds ?? null),
      geometryType: geo
        ? ([...geometryTypes][0] ?? null)
        : table.spatial === 'quadbin'
          ? 'Quadbin'
          : 'H3',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    this.tables.set(info.qualifiedName.toLowerCase(), info);
  }

  /** Finds a table by `schema.table`, `connection.schema.table` or a bare unique name. */
  findTable(connection: string, name: string): TableInfo | null {
    const parts = name.replace(/[`"]/g, '').split('.');
    if (parts.length === 3) {
      if (parts[0]?.toLowerCase() !== connection.toLowerCase()) return null;
      parts.shift();
    }
    if (parts.length === 2) {
      const table = this.tables.get(parts.join('.').toLowerCase());
      return table?.connection === connection ? table : null;
    }
    const matches = [...this.tables.values()].filter(
      (t) => t.connection === connection && t.name.toLowerCase() === parts[0]?.toLowerCase(),
    );
    return matches.length === 1 ? (matches[0] ?? null) : null;
  }

  /**
   * Runs trusted, parameterised SQL built by the emulator, under the time and row limits.
   * `paramTypes` gives a parameter's type where its value alone does not (a list's item type).
   */
  async query(
    sql: string,
    params: DuckDBValue[] = [],
    paramTypes?: (DuckDBType | undefined)[],
  ): Promise<QueryResult> {
    const connection = await this.acquire();
    const timer = setTimeout(() => connection.interrupt(), this.queryTimeoutMs);
    try {
      const reader = await connection.runAndReadUntil(
        sql,
        this.maxRows + 1,
        params,
        // An undefined entry: the type is taken from the value (the binding allows it).
        paramTypes as DuckDBType[] | undefined,
      );
      const names = reader.columnNames();
      const types = reader.columnTypes().map((t) => t.toString());
      const rows = reader.getRowObjectsJS().slice(0, this.maxRows + 1);
      if (rows.length > this.maxRows) {
        throw new QueryError(
          `The result has more than ${this.maxRows} rows: add a LIMIT or a WHERE clause.`,
          413,
        );
      }
      return {
        rows: rows.map((row) => toJsonValue(row) as Record<string, unknown>),
        columns: names.map((name, i) => ({ name, type: types[i] ?? 'UNKNOWN' })),
      };
    } catch (error) {
      if (error instanceof QueryError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (/interrupt/i.test(message)) {
        throw new QueryError(
          `The query took longer than ${this.queryTimeoutMs / 1000} s and was stopped.`,
          408,
        );
      }
      throw new QueryError(message.replace(/^[A-Za-z ]*Error: /, ''), 400);
    } finally {
      clearTimeout(timer);
      this.release(connection);
    }
  }
}
