import { H3_FUNCTIONS } from './h3Functions';
import { INDEX_FUNCTIONS } from './indexFunctions';
import type { Database } from './database';
import { QueryError } from './database';
import { SPATIAL_FUNCTION_NAMES } from './spatialFunctions';

export interface TableReference {
  /** A project's catalog (`--data-dir <project>/<dataset>/`); absent for `memory`. */
  catalog?: string;
  schema: string;
  name: string;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** What the guard allows in client SQL beyond its functions. */
const SQL_LIMITS = {
  /** Characters in one query. */
  maxSqlChars: 100_000,
  /**
   * Nesting of expressions and subqueries: DuckDB's binder is super-linear in it (800 nested
   * `lower(` bound for ~50 s, 100 for ~0.1 s), and no query needs that deep a tree.
   */
  maxDepth: 64,
  /** Characters in one string literal. */
  maxLiteralChars: 10_000,
} as const;

/**
 * The functions client SQL may call (lower case, as DuckDB's parser names them). An allow-list:
 * anything else is refused. Left out on purpose: what reveals the host or the session
 * (current_setting, current_query, version, getenv, duckdb_*, pragma_*), table and
 * set-producing functions (range, generate_series, generate_subscripts, read_*), functions
 * whose output is far larger than their input (repeat, lpad, rpad, bar, format, printf,
 * list_resize, to_base, bitstring_agg) or whose time is quadratic in one value (levenshtein,
 * damerau_levenshtein, editdist3, jaro_similarity, jaro_winkler_similarity), and anything that
 * sleeps, writes or changes state (sleep_ms, pg_sleep, setseed, nextval, write_log, error).
 */
const OPERATORS = words(`
  + - * / // % ** ^ & | << >> ~ !__postfix || ~~ !~~ ~~* !~~* ~~~ ^@ @> <@ && ->> -> @
`);
const NUMERIC = words(`
  abs acos acosh add asin asinh atan atan2 atanh bit_count cbrt ceil ceiling cos cosh cot
  degrees divide even exp factorial fdiv floor fmod gamma gcd greatest
  greatest_common_divisor isfinite isinf isnan lcm least least_common_multiple lgamma ln log
  log10 log2 mod multiply nextafter pi pow power radians random round round_even
  roundbankers sign signbit sin sinh sqrt subtract tan tanh trunc xor
`);
const TEXT = words(`
  array_to_string ascii base64 bin bit_length char_length character_length chr concat
  concat_ws contains decode encode ends_with from_base64 from_binary from_hex hamming hash
  hex ilike_escape instr jaccard lcase left len length like_escape lower ltrim md5
  mismatches nfc_normalize not_ilike_escape not_like_escape octet_length ord position prefix
  regexp_escape regexp_extract regexp_extract_all regexp_full_match regexp_matches
  regexp_replace regexp_split_to_array replace reverse right rtrim sha1 sha256 split
  split_part starts_with str_split str_split_regex string_split string_split_regex
  string_to_array strip_accents strlen strpos substr substring suffix to_base64 to_binary
  to_hex translate trim ucase unbin unhex unicode upper url_decode url_encode
`);
const TIME = words(`
  age century current_date current_localtime current_localtimestamp date_add date_diff
  date_part date_sub date_trunc datediff datepart datesub datetrunc day dayname dayofmonth
  dayofweek dayofyear days_in_month decade epoch epoch_ms epoch_ns epoch_us era
  get_current_time get_current_timestamp hour isodow isoyear julian last_day make_date
  make_time make_timestamp make_timestamp_ms make_timestamp_ns make_timestamptz microsecond
  millennium millisecond minute month monthname nanosecond now quarter second strftime
  strptime time_bucket timezone timezone_hour timezone_minute to_centuries to_days
  to_decades to_hours to_microseconds to_millennia to_milliseconds to_minutes to_months
  to_quarters to_seconds to_timestamp to_weeks to_years today transaction_timestamp
  try_strptime week weekday weekofyear year yearweek
`);
const NESTED = words(`
  aggregate apply array_aggr array_aggregate array_append array_apply array_cat array_concat
  array_contains array_cosine_distance array_cosine_similarity array_cross_product
  array_distance array_distinct array_dot_product array_extract array_filter array_grade_up
  array_has array_has_all array_has_any array_indexof array_inner_product array_intersect
  array_length array_pop_back array_pop_front array_position array_prepend array_push_back
  array_push_front array_reduce array_reverse array_reverse_sort array_select array_slice
  array_sort array_transform array_unique array_value array_where array_zip cardinality
  element_at filter flatten grade_up list_aggr list_aggregate list_any_value list_append
  list_apply list_approx_count_distinct list_avg list_bool_and list_bool_or list_cat
  list_concat list_contains list_cosine_distance list_cosine_similarity list_count
  list_distance list_distinct list_dot_product list_element list_extract list_filter
  list_first list_grade_up list_has list_has_all list_has_any list_histogram list_indexof
  list_inner_product list_intersect list_last list_max list_median list_min list_mode
  list_pack list_position list_prepend list_product list_reduce list_reverse
  list_reverse_sort list_select list_slice list_sort list_stddev_pop list_stddev_samp
  list_string_agg list_sum list_transform list_unique list_value list_var_pop list_var_samp
  list_where list_zip map map_concat map_contains map_contains_entry map_contains_value
  map_entries map_extract map_extract_value map_from_entries map_keys map_values reduce row
  struct_concat struct_contains struct_extract struct_extract_at struct_has struct_insert
  struct_keys struct_pack struct_position struct_update struct_values
`);
/** Set-returning, but only as long as its input: a list the query or its parameters hold. */
const UNNEST = ['unnest'];
const JSON_FUNCTIONS = words(`
  array_to_json from_json from_json_strict json json_array json_array_length json_contains
  json_exists json_extract json_extract_path json_extract_path_text json_extract_string
  json_group_array json_group_object json_group_structure json_keys json_merge_patch
  json_object json_pretty json_quote json_structure json_transform json_transform_strict
  json_type json_valid json_value row_to_json to_json
`);
const OTHER_SCALARS = words(`
  coalesce gen_random_uuid grouping grouping_id ifnull nullif typeof uuid uuidv4 uuidv7
`);
const AGGREGATES = words(`
  any_value approx_count_distinct approx_quantile approx_top_k arbitrary arg_max
  arg_max_null arg_min arg_min_null argmax argmin array_agg avg bit_and bit_or bit_xor
  bool_and bool_or corr count count_if count_star countif covar_pop covar_samp entropy favg
  first fsum geomean geometric_mean group_concat histogram histogram_exact kahan_sum
  kurtosis kurtosis_pop last list listagg mad max max_by mean median min min_by mode product
  quantile quantile_cont quantile_disc regr_avgx regr_avgy regr_count regr_intercept regr_r2
  regr_slope regr_sxx regr_sxy regr_syy reservoir_quantile sem skewness stddev stddev_pop
  stddev_samp string_agg sum sumkahan var_pop var_samp variance wavg weighted_avg
`);
const WINDOW_FUNCTIONS = words(`
  cume_dist dense_rank first_value lag last_value lead nth_value ntile percent_rank rank
  rank_dense row_number
`);
/**
 * Spatial functions: DuckDB's own and the ones the emulator registers for CARTO's SQL (BigQuery,
 * Postgres and Snowflake spellings). A name here that is not registered is DuckDB's own
 * "function does not exist" error.
 */
const SPATIAL = words(`
  st_area st_asbinary st_asgeojson st_astext st_aswkb st_aswkt st_boundary st_buffer
  st_centroid st_collect st_contains st_convexhull st_coveredby st_covers st_crosses st_crs
  st_difference st_dimension st_disjoint st_distance st_dwithin st_envelope st_equals
  st_extent st_geogfromgeojson st_geogfromtext st_geogfromwkb st_geogpoint st_geohash
  st_geometryfromtext st_geometrytype st_geomfromgeojson st_geomfromtext st_geomfromwkb
  st_intersection st_intersects st_intersects_extent st_isempty st_isvalid st_length
  st_makeenvelope st_makeline st_makepoint st_makepolygon st_npoints st_numpoints
  st_overlaps st_perimeter st_point st_pointonsurface st_setcrs st_setsrid st_simplify
  st_srid st_touches st_transform st_union st_within st_x st_xmax st_xmin st_y st_ymax
  st_ymin
`);

const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  ...INDEX_FUNCTIONS,
  ...H3_FUNCTIONS,
  ...OPERATORS,
  ...NUMERIC,
  ...TEXT,
  ...TIME,
  ...NESTED,
  ...UNNEST,
  ...JSON_FUNCTIONS,
  ...OTHER_SCALARS,
  ...AGGREGATES,
  ...WINDOW_FUNCTIONS,
  ...SPATIAL,
  ...SPATIAL_FUNCTION_NAMES,
]);

/** Expression kinds (json_serialize_sql's `class`) client SQL may use. */
const EXPRESSION_CLASSES = new Set([
  'BETWEEN',
  'CASE',
  'CAST',
  'COLLATE',
  'COLUMN_REF',
  'COMPARISON',
  'CONJUNCTION',
  'CONSTANT',
  'FUNCTION',
  'LAMBDA',
  'OPERATOR',
  'PARAMETER',
  'POSITIONAL_REFERENCE',
  'STAR',
  'SUBQUERY',
  'WINDOW',
]);

/** Query nodes: plain SELECTs and set operations (UNION, ...). */
const QUERY_NODES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE']);
/** What a FROM clause may hold: tables (checked by the caller), joins, subqueries, VALUES. */
const TABLE_REFS = new Set(['BASE_TABLE', 'JOIN', 'SUBQUERY', 'EXPRESSION_LIST', 'EMPTY']);
/** Other typed parts of a query: result modifiers and ORDER BY directions (and types' details). */
const OTHER_TYPED = new Set([
  'LIMIT_MODIFIER',
  'LIMIT_PERCENT_MODIFIER',
  'ORDER_MODIFIER',
  'DISTINCT_MODIFIER',
  'ORDER_DEFAULT',
  'ASCENDING',
  'DESCENDING',
]);

const REFUSED: Record<string, { message: string; status?: 403 }> = {
  TABLE_FUNCTION: {
    message: 'Table functions (read_csv, read_parquet, range, ...) are not allowed.',
    status: 403,
  },
  SHOW_REF: {
    message:
      'SHOW, DESCRIBE and SUMMARIZE are not allowed: list the tables you may read with the connections API.',
    status: 403,
  },
  RECURSIVE_CTE_NODE: { message: 'Recursive CTEs (WITH RECURSIVE) are not allowed.' },
  CTE_NODE: { message: 'Materialised CTEs are not allowed.' },
  PIVOT: { message: 'PIVOT and UNPIVOT are not allowed.' },
};

interface Serialized {
  error: boolean;
  error_message?: string;
  /** Character offset of a parse error. */
  position?: string;
  statements?: { node: unknown }[];
}

async function serialize(db: Database, sql: string): Promise<Serialized> {
  const result = await db.query('SELECT json_serialize_sql(?::VARCHAR) AS tree', [sql]);
  return JSON.parse(String(result.rows[0]?.tree)) as Serialized;
}

function parseError(sql: string, tree: Serialized): QueryError {
  const message = tree.error_message ?? 'The query could not be parsed.';
  if (message.includes('Only SELECT')) return new QueryError('Only SELECT queries are allowed.');
  const offset = Number(tree.position);
  if (Number.isInteger(offset) && offset >= 0) {
    const before = sql.slice(0, offset).split('\n');
    const column = (before.at(-1)?.length ?? 0) + 1;
    return new QueryError(`${message} (line ${before.length}, column ${column})`);
  }
  return new QueryError(message);
}

/**
 * Where the statement's text ends: before a trailing `;` and any whitespace or comments around
 * it. A small lexer (strings, quoted identifiers, dollar quotes, nested comments); the caller
 * checks that the cut text parses to the same tree, so a lexer mistake is a refusal, never a
 * different query.
 */
function statementEnd(sql: string): number {
  let end = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      i = newline < 0 ? n : newline + 1;
    } else if (ch === '/' && next === '*') {
      let depth = 0;
      while (i < n) {
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
      if (depth > 0) return n; // unterminated: leave it to the parser
    } else if (ch === ';') {
      return end;
    } else if (ch === "'" || ch === '"') {
      const escapes = ch === "'" && /[eE]/.test(sql[i - 1] ?? '') && !/\w/.test(sql[i - 2] ?? '');
      i++;
      while (i < n) {
        const c = sql[i];
        if (escapes && c === '\\') i += 2;
        else if (c === ch && sql[i + 1] === ch) i += 2;
        else if (c === ch) break;
        else i++;
      }
      if (i >= n) return n;
      i++;
      end = i;
    } else if (ch === '$' && !/\w/.test(sql[i - 1] ?? '')) {
      const tag = /^\$(?:[A-Za-z_]\w*)?\$/.exec(sql.slice(i, i + 66))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        if (close < 0) return n;
        i = close + tag.length;
      } else i++;
      end = i;
    } else {
      i++;
      end = i;
    }
  }
  return end;
}

interface Scope {
  /** CTE names visible here (lower case). */
  ctes: ReadonlySet<string>;
}

/** Walks a parsed query, enforcing the allow-lists and limits, and collects the tables read. */
class Walker {
  readonly tables: TableReference[] = [];

  /** `catalogs`: the projects' catalogs (lower case) a query may name besides `memory`. */
  constructor(private readonly catalogs: ReadonlySet<string> = new Set()) {}

  walk(node: unknown, scope: Scope, depth: number): void {
    if (Array.isArray(node)) {
      for (const item of node) this.walk(item, scope, depth);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const kind = typeof record.class === 'string' ? record.class : null;
    const type = typeof record.type === 'string' ? record.type : null;
    if (kind === null && type === null) {
      for (const value of Object.values(record)) this.walk(value, scope, depth);
      return;
    }
    if (depth + 1 > SQL_LIMITS.maxDepth) {
      throw new QueryError(
        `The query is nested too deeply (over ${SQL_LIMITS.maxDepth} levels of expressions and subqueries): simplify it.`,
      );
    }
    if (kind !== null) this.expression(record, kind, scope, depth + 1);
    else if (type !== null) this.typed(record, type, scope, depth + 1);
  }

  private children(record: Record<string, unknown>, scope: Scope, depth: number, skip = '') {
    for (const [key, value] of Object.entries(record)) {
      if (key !== skip) this.walk(value, scope, depth);
    }
  }

  private expression(record: Record<string, unknown>, kind: string, scope: Scope, depth: number) {
    if (!EXPRESSION_CLASSES.has(kind)) {
      throw new QueryError(`${kind.toLowerCase()} expressions are not allowed in the SQL API.`);
    }
    if (kind === 'FUNCTION' || kind === 'WINDOW') checkFunction(record);
    if (kind === 'CONSTANT') checkConstant(record);
    this.children(record, scope, depth);
  }

  private typed(record: Record<string, unknown>, type: string, scope: Scope, depth: number) {
    const refused = REFUSED[type];
    if (refused) throw new QueryError(refused.message, refused.status ?? 400);
    if (QUERY_NODES.has(type)) {
      this.queryNode(record, scope, depth);
    } else if (type === 'BASE_TABLE') {
      this.baseTable(record, scope);
      this.children(record, scope, depth);
    } else if (TABLE_REFS.has(type) || OTHER_TYPED.has(type) || type.endsWith('_TYPE_INFO')) {
      this.children(record, scope, depth);
    } else {
      throw new QueryError(`This SQL construct (${type}) is not allowed in the SQL API.`);
    }
  }

  /**
   * A SELECT or set operation. Its CTEs are visible in its own body and subqueries only (not in
   * the rest of the query), and each CTE sees the ones before it: so a CTE named like a catalog
   * view shadows nothing outside its WITH.
   */
  private queryNode(record: Record<string, unknown>, scope: Scope, depth: number) {
    const cteMap = record.cte_map as
      { map?: { key: string; value?: { query?: unknown } }[] } | undefined;
    const ctes = new Set(scope.ctes);
    for (const entry of cteMap?.map ?? []) {
      this.walk(entry.value, { ctes: new Set(ctes) }, depth);
      ctes.add(entry.key.toLowerCase());
    }
    this.children(record, { ctes }, depth, 'cte_map');
  }

  private baseTable(record: Record<string, unknown>, scope: Scope) {
    const text = (key: string) => (typeof record[key] === 'string' ? record[key] : '');
    const catalog = text('catalog_name');
    const schema = text('schema_name');
    const name = text('table_name');
    if (catalog === '' && schema === '' && scope.ctes.has(name.toLowerCase())) return;
    if (catalog !== '' && catalog.toLowerCase() !== 'memory') {
      if (!this.catalogs.has(catalog.toLowerCase()) || schema === '')
        throw new QueryError(
          `Table "${[catalog, schema, name].filter(Boolean).join('.')}" not found: name tables as schema.table, or project.dataset.table for a project's.`,
          404,
        );
      this.tables.push({ catalog, schema, name });
      return;
    }
    this.tables.push({ schema, name });
  }
}

function checkFunction(record: Record<string, unknown>): void {
  const name = typeof record.function_name === 'string' ? record.function_name : '';
  const schema = typeof record.schema === 'string' ? record.schema.toLowerCase() : '';
  const catalog = typeof record.catalog === 'string' ? record.catalog : '';
  const qualifiedOk = catalog === '' && ['', 'main', 'pg_catalog'].includes(schema);
  if (!qualifiedOk || !ALLOWED_FUNCTIONS.has(name.toLowerCase())) {
    throw new QueryError(
      `The function ${name}() is not allowed in the SQL API: queries may call the usual scalar, aggregate, window and spatial functions, not ones that read settings, the system catalog or files, generate rows, or sleep.`,
      403,
    );
  }
}

function checkConstant(record: Record<string, unknown>): void {
  const value = (record.value as { value?: unknown } | undefined)?.value;
  if (typeof value === 'string' && value.length > SQL_LIMITS.maxLiteralChars) {
    throw new QueryError(
      `A string literal in the query is too long (${value.length.toLocaleString('en-US')} characters, at most ${SQL_LIMITS.maxLiteralChars.toLocaleString('en-US')}): pass long values as queryParameters.`,
    );
  }
}

export interface CheckedSelect {
  /** The statement as it will run: without a trailing `;` or comment. */
  sql: string;
  /** The tables it reads, for the caller to check against the token. */
  tables: TableReference[];
}

/**
 * Checks SQL written by a client by parsing it with DuckDB (json_serialize_sql), never by
 * matching text: exactly one SELECT statement, within the size and depth limits, reading only
 * tables (no table functions, SHOW or recursive CTEs) and calling only allowed functions.
 * Returns the statement without a trailing `;` or comment (the emulator wraps it in its own
 * SQL) and the tables it reads.
 */
export async function checkSelect(db: Database, sql: string): Promise<CheckedSelect> {
  if (sql.length > SQL_LIMITS.maxSqlChars) {
    throw new QueryError(
      `The query is too long (over ${SQL_LIMITS.maxSqlChars.toLocaleString('en-US')} characters).`,
    );
  }
  const tree = await serialize(db, sql);
  if (tree.error) throw parseError(sql, tree);
  if ((tree.statements?.length ?? 0) !== 1)
    throw new QueryError('Send exactly one SELECT statement.');
  const walker = new Walker(db.catalogs);
  walker.walk(tree.statements, { ctes: new Set() }, 0);
  let statement = sql.slice(0, statementEnd(sql));
  if (statement !== sql.trimEnd()) {
    const cut = await serialize(db, statement);
    if (JSON.stringify(cut) !== JSON.stringify(tree)) statement = sql;
  }
  return { sql: statement, tables: walker.tables };
}

/** The tables a client's SELECT reads, after the checks of `checkSelect`. */
export async function analyzeSelect(db: Database, sql: string): Promise<TableReference[]> {
  return (await checkSelect(db, sql)).tables;
}

/** The SELECT clauses an expression check allows: the select list, and nothing else. */
const EXPRESSION_ONLY =
  'Send expressions only, such as sum(revenue) / count(*): no FROM, WHERE, GROUP BY, ORDER BY or WITH.';

/**
 * A client's SQL expressions: a widget's `operationExp` (`sum(revenue) / count(*)`) or an
 * `aggregations` list (`sum(pop) AS total, avg(area) AS area`). Checked as `SELECT <text>` with
 * the same parser, allow-list and limits as client queries, and refused unless it is a select
 * list alone, reading no table. Returns the list as DuckDB prints the parsed statement (no
 * comments, every parenthesis balanced), for the emulator's own `SELECT <list> FROM <source>`;
 * with `single`, exactly one expression without an alias.
 */
export async function checkExpressions(
  db: Database,
  text: string,
  { single = false }: { single?: boolean } = {},
): Promise<string> {
  if (text.length > SQL_LIMITS.maxSqlChars) {
    throw new QueryError(
      `The expression is too long (over ${SQL_LIMITS.maxSqlChars.toLocaleString('en-US')} characters).`,
    );
  }
  const sql = `SELECT ${text}`;
  const tree = await serialize(db, sql);
  if (tree.error) throw parseError(sql, tree);
  const node = (tree.statements?.length === 1 ? tree.statements[0]?.node : null) as Record<
    string,
    unknown
  > | null;
  const empty = (value: unknown) =>
    value === null || value === undefined || (Array.isArray(value) && value.length === 0);
  const list = Array.isArray(node?.select_list) ? (node.select_list as { alias?: string }[]) : [];
  if (
    node?.type !== 'SELECT_NODE' ||
    (node.from_table as { type?: string } | null)?.type !== 'EMPTY' ||
    !empty(node.where_clause) ||
    !empty(node.group_expressions) ||
    !empty(node.having) ||
    !empty(node.qualify) ||
    !empty(node.sample) ||
    !empty(node.modifiers) ||
    !empty((node.cte_map as { map?: unknown[] } | undefined)?.map) ||
    list.length === 0
  )
    throw new QueryError(EXPRESSION_ONLY);
  if (single && (list.length !== 1 || (list[0]?.alias ?? '') !== ''))
    throw new QueryError('operationExp must be one expression, without an alias.');
  const walker = new Walker();
  walker.walk(tree.statements, { ctes: new Set() }, 0);
  if (walker.tables.length > 0)
    throw new QueryError('An expression may read only the source’s own columns.', 403);
  const printed = await db.query(
    'SELECT json_deserialize_sql(json_serialize_sql(?::VARCHAR)) AS sql',
    [sql],
  );
  const canonical = printed.rows[0]?.sql;
  if (typeof canonical !== 'string' || !canonical.startsWith('SELECT '))
    throw new QueryError(EXPRESSION_ONLY);
  return canonical.slice('SELECT '.length);
}
