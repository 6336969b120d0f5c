import { setFlagsFromString } from 'node:v8';
import { QueryError } from './database';
import { H3_FUNCTIONS } from './h3Functions';
import { INDEX_FUNCTIONS } from './indexFunctions';

/**
 * Client SQL on a BigQuery connection (carto_dw), translated to DuckDB SQL with Polyglot (a
 * port of sqlglot's dialects): backtick names, `@name` and `?` parameters, and BigQuery's
 * functions (TO_JSON_STRING, SAFE_CAST, DATE_TRUNC(d, MONTH), FORMAT_DATE, IFNULL, COUNTIF, ...).
 * Nothing here matches SQL text: the query is parsed, its tree changed, and printed. What it
 * prints then goes through the sandbox (sqlGuard.checkSelect) like any client SQL.
 */

type Polyglot = typeof import('@polyglot-sql/sdk');

let polyglot: Promise<Polyglot> | null = null;

/**
 * Polyglot, loaded on first use (its WebAssembly takes ~0.5 s to load and warm up its
 * dialects): an emulator that never sees BigQuery SQL never pays for it.
 *
 * It is 22 MB of WebAssembly. By default V8 compiles each function fast (Liftoff), then again,
 * optimised, on background threads (TurboFan), and the optimised code never catches up here.
 * Measured on the 2-core machine: loading it took 5.2 s of CPU in its first 5 s by default,
 * 0.5 s with Liftoff alone; loading it and translating 300 queries, 7.3 s of CPU and 3.1 s of
 * wall time by default, 2.6 s and 1.2 s with Liftoff alone (3,000 queries: 16.5 s against
 * 7.1 s of CPU). So the emulator turns V8's optimising tier off for WebAssembly before it
 * compiles Polyglot. It is a process-wide V8 setting that changes how fast WebAssembly code
 * runs, never what it does; the process runs no other WebAssembly that matters.
 */
export function loadPolyglot(): Promise<Polyglot> {
  polyglot ??= (async () => {
    setFlagsFromString('--liftoff-only');
    const module = await import('@polyglot-sql/sdk');
    translateWith(module, 'SELECT IFNULL(`a`, @b) FROM t WHERE c IN UNNEST(@d)', (p) => p);
    return module;
  })();
  return polyglot;
}

/** Where a DuckDB parameter `$k` takes its value from. */
type ParameterRef =
  | { kind: 'named'; name: string; list: boolean }
  | { kind: 'positional'; index: number; list: boolean };

export interface TranslatedSql {
  /** DuckDB SQL; parameters are `$1`, `$2`, ... (one per client parameter, repeatable). */
  sql: string;
  /** `parameters[k - 1]` is where `$k` comes from. */
  parameters: ParameterRef[];
  /** Written in what only BigQuery reads so: a backtick name or a named `@parameter`. */
  bigQueryOnly: boolean;
}

/**
 * Maps a table name as the query writes it (`['carto-demo-data', 'demo_tables', 'x']`) to the
 * relation the emulator reads (`[catalog?, schema, table]`), or null to leave it for the sandbox
 * to refuse. Throws a QueryError for an ambiguous name.
 */
export type ResolveTable = (parts: string[]) => string[] | null;

/**
 * The CARTO Analytics Toolbox's locations on BigQuery: the `carto` dataset of CARTO's shared
 * projects (`carto-un`, `carto-un-eu`, `carto-os`, `carto-os-eu`, and the regional ones), or of
 * the user's own project (`carto` alone, when installed there).
 */
const TOOLBOX_PROJECT = /^carto-(un|os)(-[a-z0-9]+)*$/i;
const TOOLBOX_FUNCTIONS: ReadonlySet<string> = new Set([...INDEX_FUNCTIONS, ...H3_FUNCTIONS]);

/** Whether `parts` (project?, dataset) name where the Analytics Toolbox lives. */
const isToolboxLocation = (parts: string[]) =>
  (parts.length === 1 || (parts.length === 2 && TOOLBOX_PROJECT.test(parts[0] ?? ''))) &&
  parts.at(-1)?.toLowerCase() === 'carto';

/**
 * An Analytics Toolbox function called by its qualified name, as CARTO's documentation writes
 * it (`` `carto-un`.carto.QUADBIN_FROMGEOGPOINT(geom, 18) ``): the emulator's function of that
 * name, or an error naming it when the emulator does not have it.
 */
function toolboxFunction(location: string[], name: string, args: unknown): Node {
  if (!TOOLBOX_FUNCTIONS.has(name.toLowerCase()))
    throw new QueryError(
      `${[...location, name].join('.')}: the emulator's Analytics Toolbox has ${[...TOOLBOX_FUNCTIONS].map((f) => f.toUpperCase()).join(', ')} only.`,
    );
  return {
    function: {
      name: name.toUpperCase(),
      args,
      distinct: false,
      trailing_comments: [],
      use_bracket_syntax: false,
      no_parens: false,
      quoted: false,
    },
  };
}

/** A column the emulator names a parameter by while translating (no client may use it). */
const MARKER = '__emulator_param_';

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const identifier = (name: string) => ({ name, quoted: true, trailing_comments: [] });

function failure(
  what: string,
  result: { error?: string | null; errorLine?: number; errorColumn?: number },
): QueryError {
  const where =
    result.errorLine !== undefined && result.errorColumn !== undefined
      ? ` (line ${result.errorLine}, column ${result.errorColumn})`
      : '';
  const message = (result.error ?? 'unknown error').replace(/ at line \d+, column \d+/, '');
  return new QueryError(`${what}: ${message}${where}`);
}

/** How many `?` the query has, from Polyglot's own lexer. */
function positionalCount({ Dialect, tokenize }: Polyglot, sql: string): number {
  const tokens = tokenize(sql, Dialect.BigQuery);
  if (!tokens.success) return -1;
  // The typings say tokenType; the WASM build answers token_type.
  return (tokens.tokens ?? []).filter((t) => {
    const token = t as unknown as Record<string, unknown>;
    return (token.token_type ?? token.tokenType) === 'PARAMETER' && token.text === '?';
  }).length;
}

/**
 * Visits the tree in the order the SQL is written (a WITH before its SELECT), replacing
 * parameters by marker columns and table names by the emulator's relations.
 */
class Rewriter {
  readonly parameters: ParameterRef[] = [];
  /** A backtick-quoted name was seen (BigQuery's "..." is a string, never a name). */
  backticks = false;
  private readonly named = new Map<string, number>();
  private positional = 0;

  constructor(
    private readonly ctes: ReadonlySet<string>,
    private readonly resolve: ResolveTable,
  ) {}

  visit(value: unknown, inUnnest = false): unknown {
    if (Array.isArray(value)) return value.map((item) => this.visit(item, inUnnest));
    if (!isNode(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'column') return this.column(value, inUnnest);
    if (value.quoted === true && typeof value.name === 'string') this.backticks = true;
    if (keys.length === 1 && keys[0] === 'placeholder') {
      const index = this.positional++;
      return this.marker({ kind: 'positional', index, list: inUnnest });
    }
    if (keys.length === 1 && keys[0] === 'parameter') {
      const parameter = value.parameter as Node;
      throw new QueryError(
        `${parameter.style === 'DoubleAt' ? `@@${String(parameter.name)}` : 'This parameter'}: system variables and this parameter style are not supported; use @name or ?.`,
      );
    }
    const toolbox = keys.length === 1 ? this.toolboxCall(value) : null;
    if (toolbox) return this.visit(toolbox, inUnnest);
    if (keys.length === 1 && keys[0] === 'table' && isNode(value.table)) {
      return { table: this.table(value.table) };
    }
    // A WITH is written first: its parameters come first.
    const ordered = keys.includes('with') ? ['with', ...keys.filter((k) => k !== 'with')] : keys;
    const out: Node = {};
    for (const key of ordered) {
      const unnest =
        key === 'unnest' ||
        (key === 'args' && isNode(value) && String(value.name).toUpperCase() === 'UNNEST') ||
        (inUnnest && key !== 'this');
      out[key] = this.visit(value[key], unnest);
    }
    return Object.fromEntries(keys.map((k) => [k, out[k]]));
  }

  /**
   * `location.FUNCTION(...)` (parsed as a method call on a column) or `` `location.FUNCTION`(...) ``
   * (one quoted name) where location is the Analytics Toolbox's: the plain function call.
   */
  private toolboxCall(value: Node): Node | null {
    const call = value.method_call;
    if (isNode(call) && isNode(call.this) && isNode(call.this.column) && isNode(call.method)) {
      const column = call.this.column;
      const location = [column.table, column.name].filter(isNode).map((part) => String(part.name));
      if (!isToolboxLocation(location)) return null;
      return toolboxFunction(location, String(call.method.name), call.args);
    }
    const fn = value.function;
    if (isNode(fn) && fn.quoted === true && typeof fn.name === 'string' && fn.name.includes('.')) {
      const parts = fn.name.split('.');
      const name = parts.pop() ?? '';
      if (!isToolboxLocation(parts)) return null;
      this.backticks = true;
      return toolboxFunction(parts, name, fn.args);
    }
    return null;
  }

  private column(value: Node, inUnnest: boolean): unknown {
    const column = value.column as Node;
    const name = isNode(column.name) ? column.name : {};
    const text = typeof name.name === 'string' ? name.name : '';
    if (text.toLowerCase().startsWith(MARKER))
      throw new QueryError(`The name ${text} is reserved by the emulator.`);
    if (column.table === null && name.quoted === false && text.startsWith('@')) {
      const key = text.slice(1);
      const known = this.named.get(key.toLowerCase());
      if (known !== undefined) {
        const ref = this.parameters[known];
        if (ref && inUnnest) ref.list = true;
        return this.markerColumn(known);
      }
      return this.marker({ kind: 'named', name: key, list: inUnnest });
    }
    return value;
  }

  private marker(ref: ParameterRef): unknown {
    this.parameters.push(ref);
    const at = this.parameters.length - 1;
    if (ref.kind === 'named') this.named.set(ref.name.toLowerCase(), at);
    return this.markerColumn(at);
  }

  private markerColumn(at: number): unknown {
    return {
      column: {
        name: identifier(`${MARKER}${at + 1}`),
        table: null,
        join_mark: false,
        trailing_comments: [],
      },
    };
  }

  private table(table: Node): Node {
    const part = (key: string) => {
      const node = table[key];
      return isNode(node) && typeof node.name === 'string' ? node : null;
    };
    const written = ['catalog', 'schema', 'name']
      .map(part)
      .filter((n): n is Node => n !== null)
      .flatMap((n) => (n.quoted === true ? String(n.name).split('.') : [String(n.name)]));
    if (written.length === 1 && this.ctes.has((written[0] ?? '').toLowerCase())) return table;
    const relation = this.resolve(written);
    if (!relation) return table;
    const [name = '', schema = '', catalog] = [...relation].reverse();
    return {
      ...table,
      name: identifier(name),
      schema: identifier(schema),
      catalog: catalog === undefined ? null : identifier(catalog),
    };
  }
}

/** CTE names anywhere in the query (a table named like one is left to the CTE). */
function cteNames(value: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) cteNames(item, names);
  else if (isNode(value)) {
    if (Array.isArray(value.ctes)) {
      for (const cte of value.ctes) {
        const alias = isNode(cte) && isNode(cte.alias) ? cte.alias.name : null;
        if (typeof alias === 'string') names.add(alias.toLowerCase());
      }
    }
    for (const item of Object.values(value)) cteNames(item, names);
  }
  return names;
}

/** Translates a BigQuery SELECT to DuckDB SQL (see the module comment). */
export async function translateBigQuery(
  sql: string,
  resolve: ResolveTable,
): Promise<TranslatedSql> {
  return translateWith(await loadPolyglot(), sql, resolve);
}

function translateWith(module: Polyglot, sql: string, resolve: ResolveTable): TranslatedSql {
  const { Dialect, generate, parse, transpile } = module;
  const parsed = parse(sql, Dialect.BigQuery);
  if (!parsed.success) throw failure('The BigQuery SQL could not be parsed', parsed);
  const statements = parsed.ast as unknown[];
  if (statements.length !== 1) throw new QueryError('Send exactly one SELECT statement.');
  const rewriter = new Rewriter(cteNames(statements), resolve);
  const rewritten = rewriter.visit(statements);
  const expected = positionalCount(module, sql);
  const positional = rewriter.parameters.filter((p) => p.kind === 'positional').length;
  if (expected >= 0 && expected !== positional)
    throw new QueryError('The ? placeholders could not be numbered: use named @parameters.');
  const bigquery = generate(rewritten, Dialect.BigQuery);
  if (!bigquery.success || !bigquery.sql?.[0])
    throw failure('The BigQuery SQL could not be translated', bigquery);
  const duck = transpile(bigquery.sql[0], Dialect.BigQuery, Dialect.DuckDB, {
    unsupportedLevel: 'raise',
  });
  if (!duck.success || !duck.sql?.[0])
    throw failure('This BigQuery SQL has no DuckDB equivalent', duck);
  // The markers become DuckDB parameters, again on the parsed tree.
  const reparsed = parse(duck.sql[0], Dialect.DuckDB);
  if (!reparsed.success) throw failure('The translated SQL could not be read', reparsed);
  const withParameters = replaceMarkers(reparsed.ast);
  const final = generate(withParameters, Dialect.DuckDB);
  if (!final.success || !final.sql?.[0])
    throw failure('The translated SQL could not be printed', final);
  return {
    sql: final.sql[0],
    parameters: rewriter.parameters,
    bigQueryOnly: rewriter.backticks || rewriter.parameters.some((p) => p.kind === 'named'),
  };
}

function replaceMarkers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(replaceMarkers);
  if (!isNode(value)) return value;
  const column = value.column;
  if (Object.keys(value).length === 1 && isNode(column) && isNode(column.name)) {
    const text = column.name.name;
    if (typeof text === 'string' && text.startsWith(MARKER) && column.table === null) {
      return {
        parameter: {
          name: null,
          index: Number(text.slice(MARKER.length)),
          style: 'Dollar',
          quoted: false,
          string_quoted: false,
          expression: null,
        },
      };
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceMarkers(v)]));
}

/**
 * The values for `$1`, `$2`, ... from the client's queryParameters: an object of values for
 * `@name` (BigQuery's named parameters), a list for `?`. A 400 names what is missing or of the
 * wrong type.
 */
export function bindBigQueryParameters(translated: TranslatedSql, raw: unknown): unknown[] {
  const { parameters } = translated;
  const none = raw === undefined || raw === null || raw === '';
  if (parameters.length === 0) return [];
  const named = parameters.some((p) => p.kind === 'named');
  const positional = parameters.some((p) => p.kind === 'positional');
  if (named && positional)
    throw new QueryError('A query may use named (@name) or positional (?) parameters, not both.');
  if (named && (none || typeof raw !== 'object' || Array.isArray(raw)))
    throw new QueryError(
      'The query has named parameters (@name): send queryParameters as an object, e.g. {"name": value}.',
    );
  if (positional && !Array.isArray(raw))
    throw new QueryError(
      'The query has ? placeholders: send queryParameters as a list of values, one per ?.',
    );
  return parameters.map((p) => {
    const label = p.kind === 'named' ? `@${p.name}` : `? number ${p.index + 1}`;
    let value: unknown;
    if (p.kind === 'named') {
      const values = raw as Record<string, unknown>;
      const key = Object.keys(values).find((k) => k.toLowerCase() === p.name.toLowerCase());
      if (key === undefined) throw new QueryError(`queryParameters has no value for @${p.name}.`);
      value = values[key];
    } else {
      const list = raw as unknown[];
      if (p.index >= list.length)
        throw new QueryError(
          `queryParameters has ${list.length} values for ${positionalTotal(parameters)} ? placeholders.`,
        );
      value = list[p.index];
    }
    if (p.list && !Array.isArray(value))
      throw new QueryError(`${label} is used with IN UNNEST(...): its value must be a list.`);
    if (!p.list && Array.isArray(value))
      throw new QueryError(
        `${label} is a single value, but queryParameters has a list for it (use IN UNNEST(${label}) for a list).`,
      );
    return value;
  });
}

const positionalTotal = (parameters: ParameterRef[]) =>
  parameters.filter((p) => p.kind === 'positional').length;
