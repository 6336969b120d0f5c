/**
 * SQL parameters as CARTO Builder has them: a query declares date, text (one or several
 * values) and numeric (one or a range) parameters and refers to them as `{{name}}`, or
 * `{{name_from}}` / `{{name_to}}` for ranges. Before the query is sent, each placeholder becomes
 * a positional `?` and its value goes, in the same order, into the request's `queryParameters`:
 * values are bound by the database, never written into the SQL text.
 *
 * Plain functions, no React: the SQL view and its tests use them alike.
 */

export type ParameterType = 'date' | 'text' | 'text-multiple' | 'number' | 'number-range';

/** A date range as `<input type="date">` gives it: `YYYY-MM-DD` strings. */
export interface DateRange {
  from: string;
  to: string;
}

export interface NumberRange {
  from: number;
  to: number;
}

/** The value of each parameter type. */
export interface ParameterValues {
  date: DateRange;
  text: string;
  'text-multiple': string[];
  number: number;
  'number-range': NumberRange;
}

export type ParameterValue = ParameterValues[ParameterType];

type DeclarationOf<T extends ParameterType> = {
  /** An identifier: `[a-z_][a-z0-9_]*`. */
  name: string;
  type: T;
  label?: string;
  default: ParameterValues[T];
};

/** A parameter a query declares. */
export type ParameterDeclaration = {
  [T in ParameterType]: DeclarationOf<T>;
}[ParameterType];

/** One value bound to a `?`: a scalar, or a list (text-multiple) bound as one array value. */
export type BoundValue = string | number | boolean | (string | number | boolean)[];

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based, in characters of the line. */
  column: number;
}

/** SQL ready to send: placeholders replaced by `?`, their values in order. */
export interface CompiledSql {
  ok: true;
  sql: string;
  queryParameters: BoundValue[];
  /** Where each replaced placeholder was in the source text (offset, length). */
  replaced: { at: number; length: number }[];
}

export type CompileResult =
  CompiledSql | { ok: false; message: string; position: SourcePosition | null };

export const PARAMETER_TYPES: readonly ParameterType[] = [
  'date',
  'text',
  'text-multiple',
  'number',
  'number-range',
];

/** What the view calls each type. */
export const PARAMETER_TYPE_LABELS: Record<ParameterType, string> = {
  date: 'Date range',
  text: 'Text',
  'text-multiple': 'Text (several values)',
  number: 'Number',
  'number-range': 'Number range',
};

const NAME = /^[a-z_][a-z0-9_]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const isRange = (type: ParameterType) => type === 'date' || type === 'number-range';

/** The placeholder names a parameter answers to: `name`, or `name_from` and `name_to`. */
function placeholderNames(declaration: Pick<ParameterDeclaration, 'name' | 'type'>) {
  const { name, type } = declaration;
  return isRange(type) ? [`${name}_from`, `${name}_to`] : [name];
}

/** How a parameter is written in SQL: `{{name}}`, or `{{name_from}}` and `{{name_to}}`. */
export const placeholders = (declaration: Pick<ParameterDeclaration, 'name' | 'type'>) =>
  placeholderNames(declaration).map((name) => `{{${name}}}`);

/** Why `name` cannot be a new parameter of this type next to `others`, or null when it can. */
export function nameProblem(
  name: string,
  type: ParameterType,
  others: readonly Pick<ParameterDeclaration, 'name' | 'type'>[],
): string | null {
  if (name === '') return 'Give the parameter a name.';
  if (!NAME.test(name))
    return 'Use lower-case letters, digits and _, not starting with a digit (e.g. store_types).';
  const taken = new Set(others.flatMap(placeholderNames));
  const clash = placeholderNames({ name, type }).find((candidate) => taken.has(candidate));
  if (clash !== undefined || others.some((other) => other.name === name))
    return `{{${clash ?? name}}} is already a parameter.`;
  return null;
}

/** A sensible first value for a new parameter of each type. */
export function defaultValue<T extends ParameterType>(type: T): ParameterValues[T] {
  const defaults: ParameterValues = {
    date: { from: '2020-01-01', to: '2024-12-31' },
    text: '',
    'text-multiple': [],
    number: 0,
    'number-range': { from: 0, to: 100 },
  };
  return defaults[type];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Whether `value` is a valid date (`YYYY-MM-DD`, a day that exists). */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Why `value` is not a value of `type`, or null when it is. */
function valueProblem(type: ParameterType, value: unknown): string | null {
  switch (type) {
    case 'date':
      if (!isRecord(value)) return 'needs a date range';
      if (!isDate(value.from)) return 'needs a start date (YYYY-MM-DD)';
      if (!isDate(value.to)) return 'needs an end date (YYYY-MM-DD)';
      return null;
    case 'text':
      return typeof value === 'string' ? null : 'needs a text';
    case 'text-multiple':
      return Array.isArray(value) && value.every((item) => typeof item === 'string')
        ? null
        : 'needs a list of texts';
    case 'number':
      return isNumber(value) ? null : 'needs a number';
    case 'number-range':
      if (!isRecord(value)) return 'needs a number range';
      if (!isNumber(value.from)) return 'needs a number to start the range';
      if (!isNumber(value.to)) return 'needs a number to end the range';
      return null;
  }
}

/** The values bound for one parameter, one per placeholder name. */
function bound(type: ParameterType, value: ParameterValue): BoundValue[] {
  if (type === 'date' || type === 'number-range') {
    const range = value as DateRange | NumberRange;
    return [range.from, range.to];
  }
  return [value as string | number | string[]];
}

// ---------------------------------------------------------------------------------------------
// Scanning

/** A placeholder found in SQL code (not in a literal, quoted name or comment). */
interface Placeholder {
  name: string;
  start: number;
  end: number;
}

/** A bare `?` or `$1` outside literals: a positional parameter the user wrote. */
interface Positional {
  text: string;
  start: number;
}

// Spaces inside the braces, never a line break: the compiled SQL keeps the source's lines.
const PLACEHOLDER = /\{\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\}\}/y;
const DOLLAR_TAG = /\$([A-Za-z_][A-Za-z0-9_]*)?\$/y;
const DOLLAR_NUMBER = /\$\d+/y;

/**
 * Finds the placeholders in SQL code, skipping string literals (`'...'` with `''`), quoted
 * identifiers (`"..."` with `""`), dollar-quoted strings (`$$...$$`, `$tag$...$tag$`), line
 * comments (`--`) and block comments (`/* *\/`, nested as PostgreSQL and DuckDB nest them).
 * An unterminated literal or comment runs to the end: the database reports it.
 */
function scan(sql: string): { placeholders: Placeholder[]; positional: Positional[] } {
  const found: Placeholder[] = [];
  const positional: Positional[] = [];
  let i = 0;
  const closeQuoted = (quote: string) => {
    i++;
    while (i < sql.length) {
      if (sql[i] === quote) {
        if (sql[i + 1] === quote) i += 2;
        else {
          i++;
          return;
        }
      } else i++;
    }
  };
  while (i < sql.length) {
    const char = sql[i];
    const next = sql[i + 1];
    if (char === "'" || char === '"') {
      closeQuoted(char);
    } else if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (char === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < sql.length && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (char === '$' && /[A-Za-z0-9_$]/.test(sql[i - 1] ?? '')) {
      i++; // a dollar inside an identifier (`a$b`), not a parameter or a dollar quote
    } else if (char === '$') {
      DOLLAR_NUMBER.lastIndex = i;
      DOLLAR_TAG.lastIndex = i;
      const number = DOLLAR_NUMBER.exec(sql);
      const tag = number ? null : DOLLAR_TAG.exec(sql);
      if (number) {
        positional.push({ text: number[0], start: i });
        i += number[0].length;
      } else if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? sql.length : end + tag[0].length;
      } else i++;
    } else if (char === '?') {
      positional.push({ text: '?', start: i });
      i++;
    } else if (char === '{' && next === '{') {
      PLACEHOLDER.lastIndex = i;
      const match = PLACEHOLDER.exec(sql);
      if (match) {
        found.push({ name: match[1] ?? '', start: i, end: i + match[0].length });
        i += match[0].length;
      } else i++;
    } else i++;
  }
  return { placeholders: found, positional };
}

/** The 1-based line and column of a character offset. */
export function positionAt(sql: string, offset: number): SourcePosition {
  const before = sql.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

const at = (sql: string, offset: number) => {
  const { line, column } = positionAt(sql, offset);
  return { position: { line, column }, where: `line ${line}, column ${column}` };
};

/** The parameter names the SQL refers to, in order of first use (for a hint in the view). */
export function referencedNames(sql: string): string[] {
  return [...new Set(scan(sql).placeholders.map((p) => p.name))];
}

/**
 * The SQL with each `{{placeholder}}` replaced by `?`, and the values to bind to them in the
 * same order (a text-multiple value is one array). `values` holds the current value of each
 * parameter by name; a parameter without one there has its declared default. Fails with a
 * message that names the placeholder and its line and column (as "line L, column C", the
 * form the view marks in the editor) when a placeholder is not declared, a value is missing or
 * of the wrong type, or the SQL has positional parameters of its own.
 */
export function compileParameters(
  sql: string,
  declarations: readonly ParameterDeclaration[],
  values: Readonly<Record<string, unknown>> = {},
): CompileResult {
  const { placeholders: found, positional } = scan(sql);
  const own = positional[0];
  if (own) {
    const { position, where } = at(sql, own.start);
    return {
      ok: false,
      position,
      message: `The query has a positional parameter ${own.text} (${where}): use a named parameter written {{name}} instead.`,
    };
  }
  const byPlaceholder = new Map<string, { declaration: ParameterDeclaration; index: number }>();
  for (const declaration of declarations)
    placeholderNames(declaration).forEach((name, index) =>
      byPlaceholder.set(name, { declaration, index }),
    );

  const queryParameters: BoundValue[] = [];
  const replaced: CompiledSql['replaced'] = [];
  let out = '';
  let last = 0;
  for (const placeholder of found) {
    const entry = byPlaceholder.get(placeholder.name);
    const { position, where } = at(sql, placeholder.start);
    if (!entry) {
      const range = declarations.find(
        (d) => d.name === placeholder.name && placeholderNames(d).length === 2,
      );
      const hint = range
        ? ` ${range.name} is a range: write ${placeholders(range).join(' and ')}.`
        : ' Add it under Parameters, or remove it.';
      return {
        ok: false,
        position,
        message: `Unknown parameter {{${placeholder.name}}} (${where}).${hint}`,
      };
    }
    const { declaration, index } = entry;
    const value = Object.hasOwn(values, declaration.name)
      ? values[declaration.name]
      : declaration.default;
    if (value === undefined || value === null)
      return {
        ok: false,
        position,
        message: `The parameter ${declaration.name} has no value ({{${placeholder.name}}}, ${where}).`,
      };
    const problem = valueProblem(declaration.type, value);
    if (problem)
      return {
        ok: false,
        position,
        message: `The parameter ${declaration.name} ${problem} ({{${placeholder.name}}}, ${where}).`,
      };
    const item = bound(declaration.type, value as ParameterValue)[index];
    if (item === undefined) throw new Error(`No value ${index} for ${declaration.name}`);
    queryParameters.push(Array.isArray(item) ? [...item] : item);
    out += `${sql.slice(last, placeholder.start)}?`;
    replaced.push({ at: placeholder.start, length: placeholder.end - placeholder.start });
    last = placeholder.end;
  }
  return { ok: true, sql: out + sql.slice(last), queryParameters, replaced };
}

/**
 * A message about the compiled SQL (a database error at "line L, column C") with its
 * positions in the source text instead: columns after a placeholder on the same line move by
 * the placeholder's length, and a position on a `?` becomes that of its placeholder. Lines
 * are the same in both.
 */
export function sourcePositions(message: string, source: string, compiled: CompiledSql): string {
  if (compiled.replaced.length === 0) return message;
  const lineStarts = [0];
  for (let i = 0; i < compiled.sql.length; i++)
    if (compiled.sql[i] === '\n') lineStarts.push(i + 1);
  const toSource = (offset: number) => {
    let shift = 0;
    for (const { at, length } of compiled.replaced) {
      const outAt = at - shift;
      if (offset < outAt) break;
      if (offset === outAt) return at;
      shift += length - 1;
    }
    return offset + shift;
  };
  return message.replace(
    /(line )(\d+)(, column )(\d+)/gi,
    (whole, lineWord: string, line: string, columnWord: string, column: string) => {
      const start = lineStarts[Number(line) - 1];
      if (start === undefined) return whole;
      const mapped = positionAt(source, toSource(start + Number(column) - 1));
      return `${lineWord}${mapped.line}${columnWord}${mapped.column}`;
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Stored parameters

/** Declarations and current values, as the view keeps them. */
export interface ParameterState {
  declarations: ParameterDeclaration[];
  values: Record<string, ParameterValue>;
}

/**
 * Declarations and values read back from storage (or anything else untrusted): whatever is
 * not a valid declaration is dropped, and a value that does not fit its declaration falls
 * back to the default.
 */
export function parseParameterState(raw: unknown): ParameterState {
  const state: ParameterState = { declarations: [], values: {} };
  if (!isRecord(raw) || !Array.isArray(raw.declarations)) return state;
  const storedValues = isRecord(raw.values) ? raw.values : {};
  for (const item of raw.declarations) {
    if (!isRecord(item) || typeof item.name !== 'string') continue;
    const type = item.type as ParameterType;
    if (!PARAMETER_TYPES.includes(type)) continue;
    if (nameProblem(item.name, type, state.declarations) !== null) continue;
    if (valueProblem(type, item.default) !== null) continue;
    const declaration = {
      name: item.name,
      type,
      ...(typeof item.label === 'string' && item.label !== '' ? { label: item.label } : {}),
      default: item.default,
    } as ParameterDeclaration;
    state.declarations.push(declaration);
    const value = storedValues[item.name];
    state.values[item.name] = (
      valueProblem(type, value) === null ? value : item.default
    ) as ParameterValue;
  }
  return state;
}
