import { existsSync } from 'node:fs';
import { createIndexFunctions } from './indexFunctions';
import { registerH3Functions } from './h3Functions';
import {
  DuckDBInstance,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { LonLatBounds } from '../../protocol/antimeridian';
import { bboxOf } from '../../protocol/geojson';
import { quoteIdentifier } from '../../protocol/sql';
import { sampleTables, type CellValue, type SampleTable } from './sampleData';
import { readUserFiles } from './userFiles';
import { readSampleCache, sampleCachePath, writeSampleCache } from './sampleCache';
import { exactInteger, exactJsonText } from './exactJson';
import { GEOGRAPHY_TYPE, registerSpatialFunctions } from './spatialFunctions';
import { BadTableNameError, exampleName, splitTableName, type Provider } from './warehouseNames';

/** Two files (or a file and the bundled data) that give one table name: stops the start. */
export class DuplicateTableError extends Error {}

/** Columns the emulator adds to every geo table; never shown to clients. */
const INTERNAL_COLUMNS = ['__xmin', '__ymin', '__xmax', '__ymax', '__rank'] as const;
export const isInternalColumn = (name: string) => name.startsWith('__');

export interface TableInfo {
  connection: string;
  /**
   * The DuckDB catalog that holds it: `memory` (the bundled data, flat uploads), or the project
   * (database) of a `--data-dir` file in `<project>/<dataset>/<table>`, attached as a catalog.
   */
  catalog: string;
  schema: string;
  name: string;
  /** `schema.name` (in `memory`) or `project.schema.name` (in a project's catalog). */
  qualifiedName: string;
  /** The warehouse's fully qualified name: `project.dataset.table` (`carto_dw.demo.x` in memory). */
  fullName: string;
  /** The SQL relation the emulator reads it by (quoted). */
  relation: string;
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
    readonly status: 400 | 403 | 404 | 408 | 409 | 413 | 429 | 503 = 400,
    /** Response headers that go with the error (Retry-After on 429 and 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Client SQL refused for now because the database is busy: 429 (this caller) or 503 (everyone). */
class BusyError extends QueryError {
  constructor(
    message: string,
    status: 429 | 503,
    readonly retryAfterSeconds: number,
  ) {
    super(message, status, { 'Retry-After': String(retryAfterSeconds) });
  }
}

const DEMO_CONNECTION = 'carto_dw';

/** An integer column's value as a BigInt: exact when it is one already. */
const toBigInt = (value: Exclude<CellValue, null>): bigint =>
  typeof value === 'bigint' ? value : BigInt(Math.round(Number(value)));

/** A deterministic rank in [0, 1) per row, used to drop features evenly from crowded tiles. */
function rank(i: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** The emulator's one identifier quoting (DuckDB: double quotes, doubled inside). */
const quote = quoteIdentifier;
export const qualified = (schema: string, name: string) => `${quote(schema)}.${quote(name)}`;

/**
 * Converts DuckDB JS values to the emulator's: integers exact (a number while safe, a BigInt
 * past Number.MAX_SAFE_INTEGER: 64-bit ids, see exactJson), dates as ISO text.
 */
function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return exactInteger(value);
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
  /** Limits on client SQL (see SqlLimits); the defaults suit one developer's laptop. */
  limits?: Partial<SqlLimits>;
}

/** How much of the database client SQL may take, and how long it may wait for it. */
export interface SqlLimits {
  /**
   * Connections in the pool. Every running DuckDB call holds one of Node's libuv worker threads
   * (UV_THREADPOOL_SIZE, 4 by default), which password hashing (logins, token requests) needs
   * too: the default leaves one free.
   */
  connections: number;
  /** Client queries running at once (the rest of the pool is kept for the emulator's own). */
  clientSlots: number;
  /** Client queries one caller (user and client) may run at once. */
  perCaller: number;
  /** Client queries one caller may have waiting; more are a 429. */
  queuePerCaller: number;
  /** Client queries waiting in all; more are a 503. */
  queueTotal: number;
  /** How long a client query may wait for a slot before a 503. */
  queueTimeoutMs: number;
  /** DuckDB's memory limit (e.g. "2GB"): a query past it fails instead of exhausting the host. */
  memoryLimit: string;
  /** Bytes of JSON rows one SQL API answer may have (a 413 past it). */
  maxResponseBytes: number;
  /** Query sources kept stored; the least recently used one is dropped, table and all. */
  querySources: number;
  /** Rows kept stored in all query sources (the newest one is kept whatever its size). */
  querySourceRows: number;
  /** How long an evicted query source's table stays for requests already reading it. */
  dropEvictedAfterMs: number;
}

/**
 * DuckDB's threads for each query: EMULATOR_DUCKDB_THREADS, 2 by default. The test suite runs
 * with 1 (vitest.config.ts): it runs two files at a time on two cores, where a second thread
 * per query only adds overhead.
 */
export function duckdbThreads(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.EMULATOR_DUCKDB_THREADS;
  if (value === undefined || value === '') return '2';
  if (!/^[1-9]\d{0,2}$/.test(value))
    throw new Error(
      `EMULATOR_DUCKDB_THREADS=${value}: DuckDB's threads per query must be a whole number from 1 to 999 (the default is 2).`,
    );
  return value;
}

function defaultLimits(queryTimeoutMs: number, limits: Partial<SqlLimits> = {}): SqlLimits {
  const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  const connections = limits.connections ?? Math.max(2, threads - 1);
  return {
    connections,
    clientSlots: Math.max(1, Math.min(limits.clientSlots ?? 2, connections - 1)),
    perCaller: limits.perCaller ?? 1,
    queuePerCaller: limits.queuePerCaller ?? 4,
    queueTotal: limits.queueTotal ?? 32,
    queueTimeoutMs: limits.queueTimeoutMs ?? queryTimeoutMs,
    memoryLimit: limits.memoryLimit ?? '2GB',
    maxResponseBytes: limits.maxResponseBytes ?? 64 * 1024 * 1024,
    querySources: limits.querySources ?? 32,
    querySourceRows: limits.querySourceRows ?? 2_000_000,
    dropEvictedAfterMs: limits.dropEvictedAfterMs ?? 30_000,
  };
}

/** Runs SQL on one connection: what a client session (`Database.clientSession`) gets. */
export type RunQuery = (
  sql: string,
  params?: DuckDBValue[],
  paramTypes?: (DuckDBType | undefined)[],
) => Promise<QueryResult>;

interface PooledConnection {
  connection: DuckDBConnection;
  /** The native call still running on it (also after its caller was answered with a timeout). */
  running: Promise<unknown> | null;
}

interface Waiter {
  caller: string | null;
  resolve: (slot: PooledConnection) => void;
}

/**
 * The emulator's warehouse: an in-memory DuckDB with the sample tables, locked down before any
 * client SQL runs (no file or network access, configuration frozen).
 */
export class Database {
  readonly tables = new Map<string, TableInfo>();
  /** Catalogs attached for the projects of `--data-dir` (lower case); `memory` is not one. */
  readonly catalogs = new Set<string>();
  readonly loadMs: number;
  /** Files from --data-dir that could not be loaded, and why. */
  readonly warnings: string[] = [];

  private readonly idle: PooledConnection[];
  private readonly waiting: Waiter[] = [];
  /** Client sessions holding a connection (timed-out ones too, until DuckDB lets go). */
  private clientsRunning = 0;
  private readonly runningPerCaller = new Map<string, number>();
  private readonly waitingPerCaller = new Map<string, number>();

  private constructor(
    private readonly connection: DuckDBConnection,
    pool: DuckDBConnection[],
    loadMs: number,
    readonly queryTimeoutMs: number,
    readonly maxRows: number,
    readonly limits: SqlLimits,
  ) {
    this.loadMs = loadMs;
    this.idle = pool.map((connection) => ({ connection, running: null }));
  }

  /**
   * A connection for the emulator's own SQL (`caller` null) or for a client's (`caller` set).
   * The emulator's queries go first and may use any connection; client queries wait while
   * `clientSlots` are taken, or while their caller has `perCaller` running, so the rest of the
   * pool stays free for logins' hashing, tiles and widgets, and one caller cannot take every
   * slot.
   */
  private acquire(caller: string | null): Promise<PooledConnection> {
    if (caller !== null) this.admitClient(caller);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { caller, resolve };
      if (caller === null) {
        this.waiting.unshift(waiter);
        this.dispatch();
        return;
      }
      this.waiting.push(waiter);
      this.bump(this.waitingPerCaller, caller, 1);
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(waiter);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        this.bump(this.waitingPerCaller, caller, -1);
        const seconds = Math.ceil(this.limits.queueTimeoutMs / 1000);
        reject(
          new BusyError(
            `The SQL API is busy: the query waited ${seconds} s for one of the ${this.limits.clientSlots} slots for client SQL. Try again in ${seconds} s.`,
            503,
            seconds,
          ),
        );
      }, this.limits.queueTimeoutMs);
      waiter.resolve = (slot) => {
        clearTimeout(timer);
        this.bump(this.waitingPerCaller, caller, -1);
        resolve(slot);
      };
      this.dispatch();
    });
  }

  /** Refuses a client query at once when its caller's queue, or everyone's, is full. */
  private admitClient(caller: string): void {
    const retry = Math.ceil(this.queryTimeoutMs / 1000);
    const mine = this.waitingPerCaller.get(caller) ?? 0;
    if (mine >= this.limits.queuePerCaller) {
      throw new BusyError(
        `Too many queries at once: ${(this.runningPerCaller.get(caller) ?? 0) + mine} of yours are running or waiting (at most ${this.limits.perCaller} running and ${this.limits.queuePerCaller} waiting per caller). Wait for them to finish.`,
        429,
        retry,
      );
    }
    const queued = this.waiting.filter((w) => w.caller !== null).length;
    if (queued >= this.limits.queueTotal) {
      throw new BusyError(
        `The SQL API is busy: ${queued} queries are waiting. Try again in ${retry} s.`,
        503,
        retry,
      );
    }
  }

  private bump(counts: Map<string, number>, key: string, by: number): void {
    const value = (counts.get(key) ?? 0) + by;
    if (value > 0) counts.set(key, value);
    else counts.delete(key);
  }

  /** Hands free connections to waiters: the emulator's own first, then clients within limits. */
  private dispatch(): void {
    while (this.idle.length > 0) {
      const at = this.waiting.findIndex(
        (w) =>
          w.caller === null ||
          (this.clientsRunning < this.limits.clientSlots &&
            (this.runningPerCaller.get(w.caller) ?? 0) < this.limits.perCaller),
      );
      if (at < 0) return;
      const [waiter] = this.waiting.splice(at, 1);
      const slot = this.idle.pop();
      if (!waiter || !slot) return;
      if (waiter.caller !== null) {
        this.clientsRunning++;
        this.bump(this.runningPerCaller, waiter.caller, 1);
      }
      waiter.resolve(slot);
    }
  }

  /** Gives a connection back once DuckDB has let go of it (a stopped query may take a while). */
  private release(slot: PooledConnection, caller: string | null): void {
    const free = () => {
      slot.running = null;
      if (caller !== null) {
        this.clientsRunning--;
        this.bump(this.runningPerCaller, caller, -1);
      }
      this.idle.push(slot);
      this.dispatch();
    };
    if (slot.running) void slot.running.then(free, free);
    else free();
  }

  static async create(options: DatabaseOptions = {}): Promise<Database> {
    const started = performance.now();
    const instance = await DuckDBInstance.create(':memory:', { threads: duckdbThreads() });
    const connection = await instance.connect();
    const queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
    const limits = defaultLimits(queryTimeoutMs, options.limits);
    const pool = await Promise.all(
      Array.from({ length: limits.connections }, () => instance.connect()),
    );
    const db = new Database(
      connection,
      pool,
      0,
      queryTimeoutMs,
      options.maxRows ?? 100_000,
      limits,
    );
    const origins = new Map<string, string>();
    if (options.sample !== false) {
      for (const info of await db.loadSample()) {
        origins.set(fullKey(null, info), 'the bundled sample data');
      }
    }
    const placed: { table: SampleTable; catalog: string }[] = (options.extraTables ?? []).map(
      (table) => ({ table, catalog: 'memory' }),
    );
    for (const { table } of placed) origins.set(fullKey(null, table), 'the bundled sample data');
    if (options.dataDir) {
      const uploaded = await readUserFiles(connection, options.dataDir);
      for (const table of uploaded.tables) {
        const key = fullKey(table.catalog, table);
        const other = origins.get(key);
        if (other !== undefined)
          throw new DuplicateTableError(
            `--data-dir ${options.dataDir}: the table ${key} is in ${table.file} and in ${other}. A name may exist once: rename or move one of them.`,
          );
        origins.set(key, table.file);
        placed.push({ table, catalog: table.catalog ?? 'memory' });
      }
      db.warnings.push(...uploaded.warnings);
    }
    for (const catalog of new Set(placed.map((p) => p.catalog))) {
      if (catalog === 'memory') continue;
      await connection.run(`ATTACH ':memory:' AS ${quote(catalog)}`);
      db.catalogs.add(catalog.toLowerCase());
    }
    for (const { table, catalog } of placed) await db.load(table, catalog);
    await createIndexFunctions(connection);
    registerSpatialFunctions(connection);
    registerH3Functions(connection);
    // Instance-wide, and frozen: client SQL cannot read files or turn this back on.
    // A query past the memory limit fails (no spilling to a temp folder in the working dir).
    await connection.run(`SET memory_limit = '${limits.memoryLimit.replace(/'/g, '')}'`);
    await connection.run("SET temp_directory = ''");
    await connection.run('SET enable_external_access = false');
    await connection.run('SET lock_configuration = true');
    (db as { loadMs: number }).loadMs = Math.round(performance.now() - started);
    return db;
  }

  /**
   * The bundled sample tables: copied from the file kept for today's inputs (sampleCache.ts), or
   * generated, loaded and then kept for the next start.
   */
  private async loadSample(): Promise<TableInfo[]> {
    const cached = await readSampleCache(this.connection);
    if (cached) {
      for (const info of cached) this.tables.set(info.qualifiedName.toLowerCase(), info);
      return cached;
    }
    const infos: TableInfo[] = [];
    for (const table of sampleTables()) infos.push(await this.load(table, 'memory'));
    await writeSampleCache(this.connection, infos);
    return infos;
  }

  /**
   * Makes sure the sample data is kept (sampleCache.ts), building it when it is not: once, before
   * many processes each load a warehouse (tests' global setup), rather than in each of them.
   */
  static async prepareSampleCache(): Promise<void> {
    if (existsSync(sampleCachePath())) return;
    const instance = await DuckDBInstance.create(':memory:', { threads: duckdbThreads() });
    const connection = await instance.connect();
    try {
      await new Database(connection, [], 0, 0, 0, defaultLimits(0)).loadSample();
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  private async load(table: SampleTable, catalog: string): Promise<TableInfo> {
    const { connection } = this;
    const inMemory = catalog === 'memory';
    const relation = inMemory
      ? qualified(table.schema, table.name)
      : `${quote(catalog)}.${qualified(table.schema, table.name)}`;
    const schemaName = inMemory ? quote(table.schema) : `${quote(catalog)}.${quote(table.schema)}`;
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${schemaName}`);
    const geo = table.spatial === 'geo';
    const columns = [
      ...table.columns.map((c) => `${quote(c.name)} ${c.type}`),
      ...(geo ? ['geom VARCHAR', ...INTERNAL_COLUMNS.map((c) => `${c} DOUBLE`)] : []),
    ];
    await connection.run(`CREATE TABLE ${relation} (${columns.join(', ')})`);
    const appender = await connection.createAppender(
      table.name,
      table.schema,
      inMemory ? null : catalog,
    );
    // The table's bounds know about the antimeridian; each row's __xmin.. box stays plain
    // (west <= east), as the tile and bbox filters compare it with plain tile boxes.
    const bounds = new LonLatBounds();
    const geometryTypes = new Set<string>();
    table.rows.forEach((row, i) => {
      row.values.forEach((value, c) => {
        const type = table.columns[c]?.type;
        if (value === null) appender.appendNull();
        else if (type === 'BIGINT') appender.appendBigInt(toBigInt(value));
        else if (type === 'UBIGINT') appender.appendUBigInt(toBigInt(value));
        else if (type === 'HUGEINT') appender.appendHugeInt(toBigInt(value));
        else if (type === 'UHUGEINT') appender.appendUHugeInt(toBigInt(value));
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
          `ALTER TABLE ${relation} ALTER ${quote(column.name)} SET DATA TYPE DATE USING CAST(${quote(column.name)} AS DATE)`,
        );
      }
    }
    const qualifiedName = `${table.schema}.${table.name}`;
    const info: TableInfo = {
      connection: DEMO_CONNECTION,
      catalog,
      schema: table.schema,
      name: table.name,
      qualifiedName: inMemory ? qualifiedName : `${catalog}.${qualifiedName}`,
      fullName: `${inMemory ? DEMO_CONNECTION : catalog}.${qualifiedName}`,
      relation,
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
    return info;
  }

  /**
   * Finds a table by a name written the connection's way (see lookupTable); null when there is
   * none, or the name is ambiguous or malformed.
   */
  findTable(connection: string, name: string, provider: Provider = 'bigquery'): TableInfo | null {
    try {
      return this.lookupTable(connection, name, provider);
    } catch (error) {
      if (error instanceof QueryError) return null;
      throw error;
    }
  }

  /**
   * A table by its name on the connection's provider: fully qualified
   * (`carto-demo-data.demo_tables.x`, `` `my-project.ds.t` ``, `DB.SCHEMA.TABLE`,
   * `carto_dw.demo.x`), `schema.table` (`demo.x`), or a bare name that only one table has.
   * Case-insensitive. A 404 names what was looked for; a 400 says why a name is ambiguous or
   * malformed.
   */
  lookupTable(connection: string, name: string, provider: Provider): TableInfo {
    let parts: string[];
    try {
      parts = splitTableName(provider, name);
    } catch (error) {
      if (error instanceof BadTableNameError) throw new QueryError(error.message);
      throw error;
    }
    const wanted = parts.join('.').toLowerCase();
    const ofConnection = [...this.tables.values()].filter((t) => t.connection === connection);
    let matches: TableInfo[];
    if (parts.length === 3)
      matches = ofConnection.filter((t) => t.fullName.toLowerCase() === wanted);
    else if (parts.length === 2) {
      const all = ofConnection.filter((t) => `${t.schema}.${t.name}`.toLowerCase() === wanted);
      const inMemory = all.filter((t) => t.catalog === 'memory');
      matches = inMemory.length > 0 ? inMemory : all;
    } else matches = ofConnection.filter((t) => t.name.toLowerCase() === wanted);
    const [only, second] = matches;
    if (only && !second) return only;
    if (only) {
      throw new QueryError(
        `Table "${name}" is ambiguous in connection "${connection}": ${matches.map((t) => t.fullName).join(', ')}. Name it fully (${exampleName(provider)}).`,
      );
    }
    throw new QueryError(
      `Table "${name}" not found in connection "${connection}" (looked for ${parts.length === 3 ? 'the table' : parts.length === 2 ? 'a table in the schema or dataset' : 'a table named'} ${parts.join('.')}; fully qualified names are ${exampleName(provider)})`,
      404,
    );
  }

  /** Like lookupTable, but null when there is no such table (an ambiguous name still throws). */
  lookupTableOrNull(connection: string, name: string): TableInfo | null {
    try {
      return this.lookupTable(connection, name, 'bigquery');
    } catch (error) {
      if (error instanceof QueryError && error.status === 404) return null;
      throw error;
    }
  }

  /**
   * The table a reference in client SQL binds to, exactly as DuckDB binds it: with a catalog, a
   * table of that project; without, a table of `memory` by `schema.table`. Null when none.
   */
  tableForReference(
    connection: string,
    ref: { catalog?: string; schema: string; name: string },
  ): TableInfo | null {
    const catalog = (ref.catalog ?? '').toLowerCase();
    const inCatalog = catalog === '' ? 'memory' : catalog;
    for (const t of this.tables.values()) {
      if (
        t.connection === connection &&
        t.catalog.toLowerCase() === inCatalog &&
        t.schema.toLowerCase() === ref.schema.toLowerCase() &&
        t.name.toLowerCase() === ref.name.toLowerCase()
      )
        return t;
    }
    return null;
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
    const slot = await this.acquire(null);
    try {
      return await this.runOn(
        slot,
        performance.now() + this.queryTimeoutMs,
        sql,
        params,
        paramTypes,
      );
    } finally {
      this.release(slot, null);
    }
  }

  /**
   * Runs SQL that holds a client's SQL (a query source being stored) on a connection of the
   * client lane, within the caller's share of it (`limits`): `work` may run several statements,
   * all within one time limit. Refused at once with a 429 or 503 when the caller's queue or
   * everyone's is full, or after waiting `queueTimeoutMs` for a slot.
   */
  async clientSession<T>(caller: string, work: (run: RunQuery) => Promise<T>): Promise<T> {
    const slot = await this.acquire(caller);
    const deadline = performance.now() + this.queryTimeoutMs;
    try {
      return await work((sql, params = [], types) =>
        this.runOn(slot, deadline, sql, params, types),
      );
    } finally {
      this.release(slot, caller);
    }
  }

  /**
   * A SELECT's rows as a JSON array, converted a chunk at a time (`jsonColumns`: text columns
   * sent as the JSON they hold, e.g. GeoJSON geometries): past `maxRows` rows or
   * `limits.maxResponseBytes` bytes it stops with a 413, having held no more than that.
   */
  async queryJsonRows(sql: string, jsonColumns: ReadonlySet<string> = new Set()): Promise<string> {
    const slot = await this.acquire(null);
    const max = this.limits.maxResponseBytes;
    try {
      return await this.guarded(slot, performance.now() + this.queryTimeoutMs, async (c) => {
        const result = await c.stream(sql);
        const parts: string[] = [];
        let bytes = 2;
        for await (const rows of result.yieldRowObjectJs()) {
          for (const row of rows) {
            const value: Record<string, unknown> = { ...row };
            for (const column of jsonColumns) value[column] = parsedJson(value[column]);
            const text = exactJsonText(toJsonValue(value));
            bytes += Buffer.byteLength(text) + 1;
            if (parts.length >= this.maxRows) throw this.tooManyRows();
            if (bytes > max) {
              throw new QueryError(
                `The result is larger than ${formatBytes(max)} of JSON (at row ${(parts.length + 1).toLocaleString('en-US')}): select fewer columns or rows (a LIMIT or a WHERE clause).`,
                413,
              );
            }
            parts.push(text);
          }
        }
        return `[${parts.join(',')}]`;
      });
    } finally {
      this.release(slot, null);
    }
  }

  private tooManyRows(): QueryError {
    return new QueryError(
      `The result has more than ${this.maxRows} rows: add a LIMIT or a WHERE clause.`,
      413,
    );
  }

  private runOn(
    slot: PooledConnection,
    deadline: number,
    sql: string,
    params: DuckDBValue[],
    paramTypes?: (DuckDBType | undefined)[],
  ): Promise<QueryResult> {
    return this.guarded(slot, deadline, async (connection) => {
      const reader = await connection.runAndReadUntil(
        sql,
        this.maxRows + 1,
        params,
        // An undefined entry: the type is taken from the value (the binding allows it).
        paramTypes as DuckDBType[] | undefined,
      );
      const names = reader.columnNames();
      // A spatial function's geography (GeoJSON text) keeps its type's name: GEOGRAPHY.
      const types = reader
        .columnTypes()
        .map((t) => (t.alias === GEOGRAPHY_TYPE ? GEOGRAPHY_TYPE : t.toString()));
      const rows = reader.getRowObjectsJS().slice(0, this.maxRows + 1);
      if (rows.length > this.maxRows) throw this.tooManyRows();
      return {
        rows: rows.map((row) => toJsonValue(row) as Record<string, unknown>),
        columns: names.map((name, i) => ({ name, type: types[i] ?? 'UNKNOWN' })),
      };
    });
  }

  /**
   * Runs `work` on a connection until `deadline`. At the deadline the query is interrupted and
   * the caller answered with a 408 at once, wherever DuckDB is: its interrupt is only seen
   * between vectors, so a query inside one function call or the binder can run on for long
   * after. The connection stays taken (`running`) until DuckDB lets go of it.
   */
  private async guarded<T>(
    slot: PooledConnection,
    deadline: number,
    work: (connection: DuckDBConnection) => Promise<T>,
  ): Promise<T> {
    const timedOut = () =>
      new QueryError(
        `The query took longer than ${this.queryTimeoutMs / 1000} s and was stopped.`,
        408,
      );
    const remaining = deadline - performance.now();
    if (remaining <= 0) throw timedOut();
    const native = work(slot.connection);
    slot.running = native.then(
      () => undefined,
      () => undefined,
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        slot.connection.interrupt();
        reject(timedOut());
      }, remaining);
    });
    try {
      return await Promise.race([native, timeout]);
    } catch (error) {
      if (error instanceof QueryError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (/interrupt/i.test(message)) throw timedOut();
      if (/Out of Memory/i.test(message)) {
        throw new QueryError(
          `The query needs more memory than the emulator allows (${this.limits.memoryLimit}): select fewer or shorter values.`,
          413,
        );
      }
      throw new QueryError(message.replace(/^[A-Za-z ]*Error: /, ''), 400);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A table's fully qualified name, lower case, for finding the same name twice. */
function fullKey(
  catalog: string | null | undefined,
  table: { schema: string; name: string },
): string {
  return `${catalog ?? DEMO_CONNECTION}.${table.schema}.${table.name}`.toLowerCase();
}

/** JSON text as the value it holds; anything else (not text, not JSON) as it is. */
function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MiB`
    : `${bytes.toLocaleString('en-US')} bytes`;
}
