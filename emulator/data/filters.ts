import type { DuckDBValue } from '@duckdb/node-api';
import { quoteIdentifier } from '../../protocol/sql';
import { QueryError } from './database';
import { exactJsonText } from './exactJson';

/** Collects SQL fragments and their parameters: user input never goes into SQL text. */
export class SqlBuilder {
  readonly params: DuckDBValue[] = [];
  param(value: DuckDBValue): string {
    this.params.push(value);
    return '?';
  }
}

export interface SourceColumns {
  columns: { name: string; type: string }[];
}

/**
 * A client's value for an error message: text as is, anything else as JSON, cut short. Never
 * `String(value)`: a JSON object may carry its own `toString` (not callable: a TypeError).
 */
export function shown(value: unknown, max = 80): string {
  let text: string;
  try {
    // JSON.stringify gives undefined for undefined (its types say string).
    const json = exactJsonText(value) as string | undefined;
    text = typeof value === 'string' ? value : (json ?? typeof value);
  } catch {
    text = typeof value;
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Quotes a column after checking it exists: unknown columns are CARTO's "Column not found". */
export function column(source: SourceColumns, name: unknown): string {
  if (typeof name !== 'string' || !source.columns.some((c) => c.name === name)) {
    throw new ColumnNotFoundError(shown(name));
  }
  return quoteIdentifier(name);
}

export class ColumnNotFoundError extends QueryError {
  constructor(readonly column: string) {
    super('Column not found');
  }
}

const FILTER_TYPES = ['in', 'between', 'closed_open', 'time', 'stringSearch'] as const;

/** Values one filter may list (each is a bound parameter). */
const MAX_FILTER_VALUES = 10_000;

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new QueryError(`Malformed filter: ${what} must be a list.`);
  if (value.length > MAX_FILTER_VALUES)
    throw new QueryError(`Malformed filter: ${what} has more than ${MAX_FILTER_VALUES} values.`);
  return value;
}

function scalar(value: unknown, what: string): DuckDBValue {
  if (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'string' ||
    typeof value === 'boolean'
  )
    return value;
  throw new QueryError(`Malformed filter: ${what} must be numbers or strings.`);
}

/**
 * A range's two bounds. A missing bound is open: clients send `Infinity` and `-Infinity` (a
 * histogram's first and last bars), which JSON carries as `null`.
 */
function pair(value: unknown, what: string): [DuckDBValue | null, DuckDBValue | null] {
  const list = asArray(value, what);
  if (list.length !== 2)
    throw new QueryError(`Malformed filter: each ${what} range needs two values.`);
  const bound = (v: unknown) => (v === null ? null : scalar(v, what));
  return [bound(list[0]), bound(list[1])];
}

/** `low <= value` and `value < high` (or `<=` when `closed`), each left out when open. */
function rangeSql(
  sql: SqlBuilder,
  value: string,
  [low, high]: [DuckDBValue | null, DuckDBValue | null],
  closed: boolean,
): string {
  const tests = [
    low === null ? null : `${value} >= ${sql.param(low)}`,
    high === null ? null : `${value} ${closed ? '<=' : '<'} ${sql.param(high)}`,
  ].filter((test) => test !== null);
  // Open at both ends: every row with a value.
  return `(${tests.length > 0 ? tests.join(' AND ') : `${value} IS NOT NULL`})`;
}

/** Text for a LIKE pattern with `ESCAPE '\\'`: its `%`, `_` and `\\` match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * CARTO filters (`{column: {in: {values}, between: {values: [[a,b]]}, ...}}`) as a WHERE clause,
 * combined with `filtersLogicalOperator` across columns.
 */
export function filtersToSql(
  sql: SqlBuilder,
  source: SourceColumns,
  filters: unknown,
  operator: unknown = 'and',
): string | null {
  if (filters === undefined || filters === null || filters === '') return null;
  if (typeof filters !== 'object' || Array.isArray(filters)) {
    throw new QueryError('Malformed filters: expected an object of columns.');
  }
  const joiner = typeof operator === 'string' && operator.toLowerCase() === 'or' ? ' OR ' : ' AND ';
  const clauses: string[] = [];
  for (const [name, filter] of Object.entries(filters as Record<string, unknown>)) {
    const col = column(source, name);
    if (!filter || typeof filter !== 'object')
      throw new QueryError(`Malformed filter for "${shown(name)}".`);
    const parts: string[] = [];
    for (const [type, spec] of Object.entries(filter as Record<string, unknown>)) {
      if (!FILTER_TYPES.includes(type as (typeof FILTER_TYPES)[number])) {
        throw new QueryError(
          `Unknown filter type "${shown(type)}" for "${shown(name)}" (${FILTER_TYPES.join(', ')}).`,
        );
      }
      const values = asArray(
        (spec as { values?: unknown } | null)?.values,
        `${name}.${type}.values`,
      );
      if (values.length === 0) continue;
      switch (type) {
        case 'in':
          parts.push(
            `${col} IN (${values.map((v) => sql.param(scalar(v, `${name}.in`))).join(', ')})`,
          );
          break;
        case 'between':
          parts.push(
            `(${values
              .map((v) => rangeSql(sql, col, pair(v, `${name}.between`), true))
              .join(' OR ')})`,
          );
          break;
        case 'closed_open':
          parts.push(
            `(${values
              .map((v) => rangeSql(sql, col, pair(v, `${name}.closed_open`), false))
              .join(' OR ')})`,
          );
          break;
        case 'time':
          parts.push(
            `(${values
              .map((v) =>
                rangeSql(
                  sql,
                  `epoch_ms(CAST(${col} AS TIMESTAMP))`,
                  pair(v, `${name}.time`),
                  false,
                ),
              )
              .join(' OR ')})`,
          );
          break;
        case 'stringSearch': {
          const params = (spec as { params?: Record<string, unknown> }).params ?? {};
          const like = params.caseSensitive ? 'LIKE' : 'ILIKE';
          parts.push(
            `(${values
              .map((v) => {
                const text = escapeLike(String(scalar(v, `${name}.stringSearch`)));
                const pattern = `${params.mustStart ? '' : '%'}${text}${params.mustEnd ? '' : '%'}`;
                return `CAST(${col} AS VARCHAR) ${like} ${sql.param(pattern)} ESCAPE '\\'`;
              })
              .join(' OR ')})`,
          );
          break;
        }
      }
    }
    if (parts.length > 0) clauses.push(`(${parts.join(' AND ')})`);
  }
  return clauses.length > 0 ? `(${clauses.join(joiner)})` : null;
}

export type BBox = [number, number, number, number];

/** Rows whose bounding box overlaps `bbox` (the pruning step before exact tests). */
export function bboxToSql(sql: SqlBuilder, bbox: BBox): string {
  const [xmin, ymin, xmax, ymax] = bbox;
  return `(__xmax >= ${sql.param(xmin)} AND __xmin <= ${sql.param(xmax)} AND __ymax >= ${sql.param(ymin)} AND __ymin <= ${sql.param(ymax)})`;
}
