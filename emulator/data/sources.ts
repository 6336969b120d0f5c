import { quoteIdentifier } from '../../protocol/sql';
import { createHash } from 'node:crypto';
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  HUGEINT,
  LIST,
  listValue,
  VARCHAR,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { Principal } from '../auth/tokens';
import { connectionProvider, type EmulatorConfig } from '../config/configSchema';
import type { Provider } from './warehouseNames';
import { canReadTable, canRunSql, canUseConnection } from './access';
import {
  isInternalColumn,
  QueryError,
  qualified,
  type Database,
  type RunQuery,
  type TableInfo,
} from './database';
import { keyJsonText } from './exactJson';
import { checkSelect, type CheckedSelect } from './sqlGuard';
import { NamedSources } from './namedSources';
import { GEOGRAPHY_TYPE } from './spatialFunctions';
import {
  bindBigQueryParameters,
  loadPolyglot,
  translateBigQuery,
  type TranslatedSql,
} from './dialect';

/** A table, or a client's query, ready to be read with the emulator's own SQL. */
export interface ResolvedSource {
  /** SQL relation to select from. */
  relation: string;
  /** Client-visible columns (no internal ones). */
  columns: { name: string; type: string }[];
  /** Whether the relation has the bbox columns used for pruning. */
  hasBbox: boolean;
  spatial: 'geo' | 'h3' | 'quadbin' | 'none';
  table: TableInfo | null;
  /** Every table the source reads (for access checks on later requests). */
  reads: TableInfo[];
  rowCount: number;
}

class AccessDeniedError extends QueryError {
  constructor(message: string) {
    super(message, 403);
  }
}

class NotFoundError extends QueryError {
  constructor(message: string) {
    super(message, 404);
  }
}

/** A client's query parameters, ready to bind: values, and the types of the lists among them. */
interface BoundParams {
  values: DuckDBValue[];
  types: (DuckDBType | undefined)[];
  /** The parameters as sent (what a materialised query is cached by). */
  raw: unknown[];
}

/** A bigint is an integer past Number.MAX_SAFE_INTEGER that the client sent (exactJson). */
type Scalar = string | number | bigint | boolean | null;

const isScalar = (value: unknown): value is Scalar =>
  value === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof value);

/**
 * A list parameter (e.g. the values of a multi-select, for `list_contains(?, column)`) as one
 * DuckDB LIST. Its item type is given, not guessed from the first item as the client would: a
 * list of texts is VARCHAR[] (also when it is empty or starts with null), of whole numbers
 * BIGINT[], of other numbers DOUBLE[], of booleans BOOLEAN[].
 */
function toList(items: unknown[]): { value: DuckDBValue; type: DuckDBType } {
  if (!items.every(isScalar))
    throw new QueryError(
      'A list in queryParameters may only hold strings, numbers, booleans and null (no objects or nested lists).',
    );
  // A BigInt (a whole number past Number.MAX_SAFE_INTEGER) is a number like the others.
  const kinds = new Set(
    items
      .filter((item) => item !== null)
      .map((item) => (typeof item === 'bigint' ? 'number' : typeof item)),
  );
  if (kinds.size > 1)
    throw new QueryError(
      'A list in queryParameters must hold values of one type (all strings, all numbers or all booleans).',
    );
  const numbers = items.filter(
    (item): item is number | bigint => typeof item === 'number' || typeof item === 'bigint',
  );
  if (!numbers.every((n) => typeof n === 'bigint' || Number.isFinite(n)))
    throw new QueryError('Numbers in queryParameters must be finite.');
  const whole = numbers.every((n) => typeof n === 'bigint' || Number.isSafeInteger(n));
  const type = kinds.has('boolean')
    ? BOOLEAN
    : kinds.has('number')
      ? whole
        ? numbers.every((n) => BigInt(n) >= -(2n ** 63n) && BigInt(n) < 2n ** 63n)
          ? BIGINT
          : HUGEINT
        : DOUBLE
      : VARCHAR;
  if (type === DOUBLE)
    return {
      value: listValue(items.map((item) => (typeof item === 'bigint' ? Number(item) : item))),
      type: LIST(type),
    };
  return { value: listValue(items), type: LIST(type) };
}

function toParams(raw: unknown): BoundParams {
  if (raw === undefined || raw === null || raw === '') return { values: [], types: [], raw: [] };
  if (!Array.isArray(raw)) {
    throw new QueryError('queryParameters must be a list of values (positional ? placeholders).');
  }
  const values: DuckDBValue[] = [];
  const types: (DuckDBType | undefined)[] = [];
  for (const value of raw) {
    if (isScalar(value)) {
      values.push(value);
      types.push(undefined);
    } else if (Array.isArray(value)) {
      const list = toList(value);
      values.push(list.value);
      types.push(list.type);
    } else {
      throw new QueryError(
        'queryParameters may only hold strings, numbers, booleans, null and lists of those.',
      );
    }
  }
  return { values, types, raw };
}

const MAX_ANALYZED = 256;

/** Longer SQL is left to the sandbox, which refuses it (sqlGuard's maxSqlChars). */
const MAX_TRANSLATED_CHARS = 100_000;

/** Translation failures after which the SQL may still be DuckDB's (see dialect.ts). */
const SOFT_FAILURES = [
  'The BigQuery SQL could not be parsed',
  'This BigQuery SQL has no DuckDB equivalent',
  'The BigQuery SQL could not be translated',
  'The translated SQL could not',
];
/** Rows a query source may have (map tiles and widgets read from it). */
const MAX_SOURCE_ROWS = 1_000_000;

/** Evicted tables kept for requests still reading them, at most (then dropped at once). */
const MAX_DROPPING = 4;

/** Whose share of the client SQL lane a query takes: the token's user and client. */
const callerKey = (principal: Principal) =>
  `${principal.kind}:${principal.userId}:${principal.clientId ?? ''}`;

/** Resolves tables and client queries, enforcing the token's access on every table read. */
export class SourceResolver {
  /** Query sources stored so far (each table's name has its number). */
  private stored = 0;
  /** Stored query sources by key, least recently used first. */
  private readonly materialized = new Map<string, Promise<ResolvedSource>>();
  /**
   * The schema query sources are stored in, created once: two `CREATE SCHEMA IF NOT EXISTS` at
   * the same time (two queries materialized at once) are a DuckDB catalog write-write conflict.
   */
  private schema: Promise<unknown> | null = null;

  private sourcesSchema(): Promise<unknown> {
    this.schema ??= this.db
      .query(`CREATE SCHEMA IF NOT EXISTS __sources`)
      .catch((error: unknown) => {
        this.schema = null; // the next query source tries again
        throw error;
      });
    return this.schema;
  }
  /** What each SQL text reads: the same for every token, so parsed once, not per tile. */
  private readonly analyzed = new Map<string, Promise<CheckedSelect>>();

  /** Queries kept under a name (the config's and those users create). */
  readonly named: NamedSources;

  constructor(
    private readonly db: Database,
    private readonly config: EmulatorConfig,
    { warmTranslator }: { warmTranslator: boolean },
  ) {
    this.named = new NamedSources(config);
    // The first BigQuery query would wait ~2 s for the translator: load it now, in the
    // background, when a connection speaks BigQuery.
    if (warmTranslator && config.connections.some((c) => connectionProvider(c) === 'bigquery'))
      loadPolyglot().catch((error: unknown) => {
        console.error('[emulator] the BigQuery SQL translator could not load', error);
      });
  }

  /** How the connection writes names and SQL (bigquery for carto_dw). */
  provider(connection: string): Provider {
    const entry = this.config.connections.find((c) => c.name === connection);
    return entry ? connectionProvider(entry) : 'postgres';
  }

  checkConnection(principal: Principal, connection: string): void {
    if (!this.config.connections.some((c) => c.name === connection)) {
      throw new NotFoundError(`Connection "${connection}" not found`);
    }
    if (!canUseConnection(this.config, principal, connection)) {
      throw new AccessDeniedError(`Forbidden: no access to connection "${connection}"`);
    }
  }

  table(principal: Principal, connection: string, name: unknown): ResolvedSource {
    this.checkConnection(principal, connection);
    if (typeof name !== 'string' || name === '') throw new QueryError('Missing table name');
    const table = this.db.lookupTable(connection, name, this.provider(connection));
    if (!canReadTable(this.config, principal, table)) {
      throw new AccessDeniedError(`Forbidden: the token may not read "${table.qualifiedName}"`);
    }
    return {
      relation: table.relation,
      columns: table.columns,
      hasBbox: table.spatial === 'geo',
      spatial: table.spatial,
      table,
      reads: [table],
      rowCount: table.rowCount,
    };
  }

  /** Checks the SQL, checks every table it reads, and materialises its result once. */
  async query(
    principal: Principal,
    connection: string,
    sql: unknown,
    rawParams: unknown,
  ): Promise<ResolvedSource> {
    this.checkConnection(principal, connection);
    if (typeof sql !== 'string' || sql.trim() === '') throw new QueryError('Missing query (q)');
    const { checked, params: clientParams } = await this.inDialect(
      connection,
      this.named.resolve(connection, sql),
      rawParams,
    );
    const reads: TableInfo[] = [];
    for (const ref of checked.tables) {
      // Resolved as DuckDB binds it: a bare name is what DuckDB looks up in `main` (the
      // emulator's tables are in schemas of their own, and the system catalog's views come next
      // in its search path); a catalog is a project's.
      const table = this.db.tableForReference(connection, {
        ...ref,
        schema: ref.schema || 'main',
      });
      if (!table)
        throw new NotFoundError(
          ref.schema
            ? `Table "${[ref.catalog, ref.schema, ref.name].filter(Boolean).join('.')}" not found in connection "${connection}"`
            : `Table "${ref.name}" not found: name it with its schema (e.g. demo.${ref.name})`,
        );
      if (!canReadTable(this.config, principal, table)) {
        throw new AccessDeniedError(`Forbidden: the token may not read "${table.qualifiedName}"`);
      }
      reads.push(table);
    }
    if (!canRunSql(principal, reads)) {
      throw new AccessDeniedError(
        'Forbidden: SQL that reads no table needs the read:connections scope',
      );
    }
    const params = toParams(clientParams);
    const key = createHash('sha256')
      .update(keyJsonText([connection, checked.sql, params.raw]))
      .digest('hex')
      .slice(0, 24);
    let pending = this.materialized.get(key);
    if (pending) {
      // Most recently used: to the end of the eviction order.
      this.materialized.delete(key);
      this.materialized.set(key, pending);
      return pending;
    }
    pending = this.db.clientSession(callerKey(principal), (run) =>
      this.materialize(run, key, checked.sql, params, reads),
    );
    const stored = pending;
    stored.then(
      (source) => {
        if (this.materialized.get(key) === stored) this.rows.set(stored, source.rowCount);
        this.evict(stored);
      },
      () => {
        if (this.materialized.get(key) === stored) this.materialized.delete(key);
      },
    );
    this.materialized.set(key, stored);
    this.evict(stored);
    return stored;
  }

  /**
   * Keeps at most `querySources` stored, and at most `querySourceRows` rows in all (the newest
   * source always stays): the least recently used go first, table and all.
   */
  private evict(keep: Promise<ResolvedSource>): void {
    const { querySources, querySourceRows } = this.db.limits;
    for (;;) {
      const [oldest, stored] = this.materialized.entries().next().value ?? [];
      if (oldest === undefined || !stored || stored === keep) return;
      if (this.materialized.size <= querySources && this.storedRows() <= querySourceRows) return;
      this.materialized.delete(oldest);
      this.rows.delete(stored);
      this.drop(stored);
    }
  }

  /** Rows of the stored sources that have finished storing. */
  private readonly rows = new Map<Promise<ResolvedSource>, number>();

  private storedRows(): number {
    let total = 0;
    for (const stored of this.materialized.values()) total += this.rows.get(stored) ?? 0;
    return total;
  }

  /** Evicted tables waiting to be dropped, oldest first. */
  private readonly dropping: { relation: string; timer: ReturnType<typeof setTimeout> }[] = [];

  /**
   * Drops an evicted query source's table, a while after: a request that resolved it just
   * before may still be reading it (the next request for it stores it again). At most
   * MAX_DROPPING wait: past that the oldest is dropped at once.
   */
  private drop(stored: Promise<ResolvedSource>): void {
    stored.then(
      (source) => {
        const entry = {
          relation: source.relation,
          timer: setTimeout(() => {
            this.dropNow(entry);
          }, this.db.limits.dropEvictedAfterMs),
        };
        entry.timer.unref();
        this.dropping.push(entry);
        while (this.dropping.length > MAX_DROPPING) {
          const first = this.dropping[0];
          if (first) this.dropNow(first);
        }
      },
      () => undefined,
    );
  }

  private dropNow(entry: { relation: string; timer: ReturnType<typeof setTimeout> }): void {
    clearTimeout(entry.timer);
    const at = this.dropping.indexOf(entry);
    if (at < 0) return;
    this.dropping.splice(at, 1);
    this.db.query(`DROP TABLE IF EXISTS ${entry.relation}`).catch((error: unknown) => {
      console.error('[emulator] could not drop a query source', error);
    });
  }

  private async materialize(
    run: RunQuery,
    key: string,
    sql: string,
    params: BoundParams,
    reads: TableInfo[],
  ): Promise<ResolvedSource> {
    // A name of its own each time: an evicted copy being dropped never meets a new one.
    const name = `q_${key}_${++this.stored}`;
    const relation = qualified('__sources', name);
    // Probe the columns first (cheap), then store the rows with pruning columns when the query
    // returns GeoJSON in `geom`.
    const probe = await run(`SELECT * FROM (${sql}\n) AS __q LIMIT 0`, params.values, params.types);
    const names = probe.columns.map((c) => c.name);
    const clientColumns = probe.columns.filter((c) => !isInternalColumn(c.name));
    const hasGeom = names.includes('geom');
    const hasOwnBbox = ['__xmin', '__ymin', '__xmax', '__ymax', '__rank'].every((c) =>
      names.includes(c),
    );
    const extras =
      hasGeom && !hasOwnBbox
        ? `, COALESCE(TRY_CAST(json_extract_string(geom, '$.coordinates[0]') AS DOUBLE), -1e9) AS __xmin,
           COALESCE(TRY_CAST(json_extract_string(geom, '$.coordinates[1]') AS DOUBLE), -1e9) AS __ymin,
           COALESCE(TRY_CAST(json_extract_string(geom, '$.coordinates[0]') AS DOUBLE), 1e9) AS __xmax,
           COALESCE(TRY_CAST(json_extract_string(geom, '$.coordinates[1]') AS DOUBLE), 1e9) AS __ymax,
           hash(row_number() OVER ()) / 18446744073709551615.0 AS __rank`
        : '';
    const select = clientColumns.map((c) => quoteIdentifier(c.name)).join(', ');
    const keep = hasOwnBbox ? ', __xmin, __ymin, __xmax, __ymax, __rank' : '';
    await this.sourcesSchema();
    await run(
      `CREATE OR REPLACE TABLE ${relation} AS SELECT ${select}${keep}${extras} FROM (${sql}\n) AS __q LIMIT ${MAX_SOURCE_ROWS + 1}`,
      params.values,
      params.types,
    );
    const count = await run(`SELECT count(*) AS n FROM ${relation}`);
    const rows = Number(count.rows[0]?.n ?? 0);
    if (rows > MAX_SOURCE_ROWS) {
      await run(`DROP TABLE ${relation}`);
      throw new QueryError(
        `The query returns more than ${MAX_SOURCE_ROWS} rows: add a WHERE clause or aggregate.`,
        413,
      );
    }
    return {
      relation,
      columns: clientColumns.map((c) =>
        c.name === 'geom' || c.type === GEOGRAPHY_TYPE ? { name: c.name, type: 'GEOMETRY' } : c,
      ),
      hasBbox: hasGeom,
      spatial: hasGeom
        ? 'geo'
        : names.includes('h3')
          ? 'h3'
          : names.includes('quadbin')
            ? 'quadbin'
            : 'none',
      table: null,
      reads,
      rowCount: rows,
    };
  }

  /**
   * The client's SQL as DuckDB runs it, checked by the sandbox, and its parameters as a list.
   * On a BigQuery connection the SQL is BigQuery's (translated by dialect.ts): named `@name`
   * parameters take an object of values. SQL that BigQuery's grammar cannot read is taken as
   * DuckDB SQL, as the emulator always has (so `x::DOUBLE`, `$$...$$` keep working).
   */
  private async inDialect(
    connection: string,
    sql: string,
    rawParams: unknown,
  ): Promise<{ checked: CheckedSelect; params: unknown }> {
    if (this.provider(connection) !== 'bigquery') {
      return { checked: await this.analyze(sql), params: rawParams };
    }
    const translated = await this.translate(connection, sql);
    const bigQuery = async () => {
      if (translated instanceof QueryError) throw translated;
      const params = bindBigQueryParameters(translated, rawParams);
      return { checked: await this.analyze(translated.sql), params };
    };
    const named = typeof rawParams === 'object' && rawParams !== null && !Array.isArray(rawParams);
    if (!(translated instanceof QueryError) && (translated.bigQueryOnly || named))
      return bigQuery();
    // SQL both grammars read, with no backtick or @name: DuckDB's as the emulator always took
    // it (`list_contains(?, x)`, `x::DOUBLE`), unless DuckDB refuses it and BigQuery does not.
    try {
      return { checked: await this.analyze(sql), params: rawParams };
    } catch (error) {
      if (!(error instanceof QueryError) || (error.status !== 400 && error.status !== 403))
        throw error;
      // Neither grammar reads it: DuckDB's error, with its line and column (the app maps it
      // back to the text the user wrote).
      if (translated instanceof QueryError) throw error;
      return bigQuery();
    }
  }

  /**
   * Checks SQL to be kept as a named source: the caller may use the connection, and the SQL
   * reads (in the connection's dialect) as one SELECT the sandbox allows. Its parameters are
   * bound when it runs; its tables are checked then too, as the caller who runs it.
   */
  async checkNamedSql(principal: Principal, connection: string, sql: string): Promise<void> {
    this.checkConnection(principal, connection);
    if (this.provider(connection) !== 'bigquery') {
      await this.analyze(sql);
      return;
    }
    const translated = await this.translate(connection, sql);
    if (!(translated instanceof QueryError)) {
      await this.analyze(translated.sql);
      return;
    }
    // Not BigQuery's grammar: DuckDB's, as at run time (its error if neither reads it).
    await this.analyze(sql);
  }

  /** BigQuery SQL translated, or BigQuery's parse error when its grammar cannot read it. */
  private async translate(connection: string, sql: string): Promise<TranslatedSql | QueryError> {
    const key = `${connection}\u0000${sql}`;
    const cached = this.translated.get(key);
    if (cached !== undefined) {
      if (!cached.parse && cached.result instanceof QueryError) throw cached.result;
      return cached.result;
    }
    let result: TranslatedSql | QueryError;
    let parse = false;
    try {
      if (sql.length > MAX_TRANSLATED_CHARS)
        throw new QueryError('The BigQuery SQL could not be parsed: the query is too long.');
      result = await translateBigQuery(sql, (parts) => {
        const table = this.db.findTable(connection, parts.join('.'), 'bigquery');
        if (table)
          return table.catalog === 'memory'
            ? [table.schema, table.name]
            : [table.catalog, table.schema, table.name];
        // An ambiguous name is an error; an unknown one is left to the sandbox (a 404).
        if (parts.length < 3) this.db.lookupTableOrNull(connection, parts.join('.'));
        return null;
      });
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      result = error;
      // Not read or not translated: maybe DuckDB SQL. What else the translation refuses
      // (`@@system` variables, an ambiguous name) is BigQuery's alone, and refused at once.
      parse = SOFT_FAILURES.some((prefix) => error.message.startsWith(prefix));
    }
    this.translated.set(key, { result, parse });
    if (this.translated.size > MAX_ANALYZED) {
      const oldest = this.translated.keys().next().value;
      if (oldest !== undefined) this.translated.delete(oldest);
    }
    if (!parse && result instanceof QueryError) throw result;
    return result;
  }

  /** Translations by connection and SQL text (`parse`: BigQuery's grammar cannot read it). */
  private readonly translated = new Map<
    string,
    { result: TranslatedSql | QueryError; parse: boolean }
  >();

  private analyze(sql: string): Promise<CheckedSelect> {
    let pending = this.analyzed.get(sql);
    if (!pending) {
      pending = checkSelect(this.db, sql);
      pending.catch(() => this.analyzed.delete(sql));
      this.analyzed.set(sql, pending);
      if (this.analyzed.size > MAX_ANALYZED) {
        const oldest = this.analyzed.keys().next().value;
        if (oldest !== undefined) this.analyzed.delete(oldest);
      }
    }
    return pending;
  }

  /** Re-checks, on each tile or model request, that the token may still read the source. */
  recheck(principal: Principal, source: ResolvedSource): void {
    for (const table of source.reads) {
      if (!canReadTable(this.config, principal, table)) {
        throw new AccessDeniedError(`Forbidden: the token may not read "${table.qualifiedName}"`);
      }
    }
  }
}
