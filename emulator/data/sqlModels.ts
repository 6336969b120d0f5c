import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { Principal } from '../auth/tokens';
import type { DataContext } from './dataContext';
import { QueryError } from './database';
import { quoteIdentifier } from '../../protocol/sql';
import { column, SqlBuilder } from './filters';
import { modelFilters } from './modelFilters';
import { checkExpressions } from './sqlGuard';
import { FEATURE_ID_COLUMN, featureIdSql } from './featureIds';
import { lookup, numberParam, textParam } from './textParam';
import type { ResolvedSource } from './sources';

/** Feature ids one pick may ask for (the client's own limit). */
const MAX_PICKED = 1000;

type Operation = 'count' | 'sum' | 'avg' | 'min' | 'max';

/** Looked up in Maps, never in an object: "__proto__" or "constructor" are unknown names. */
const OPERATIONS: ReadonlyMap<string, Operation> = new Map(
  (['count', 'sum', 'avg', 'min', 'max'] as const).map((op) => [op, op]),
);

const operationOf = (operation: unknown): Operation =>
  lookup(OPERATIONS, operation, 'operation', 'count');

/**
 * The SQL of a model's aggregation: `custom` is the request's own `operationExp`, already
 * checked by the guard (`checkExpressions`); the other operations apply to a column.
 */
function aggregate(
  source: ResolvedSource,
  operation: unknown,
  columnName: unknown,
  custom: string | null = null,
): string {
  if (custom !== null) return custom;
  const op = operationOf(operation);
  if (op === 'count')
    return columnName === '*' || columnName === undefined || columnName === null
      ? 'count(*)'
      : `count(${column(source, columnName)})`;
  return `${op}(${column(source, columnName)})`;
}

/** How the categories past the threshold combine into "others" (sums for counts and sums). */
function othersAggregate(operation: unknown): string {
  const op = operationOf(operation);
  return op === 'count' ? 'sum' : op;
}

const CATEGORY_ORDER: ReadonlyMap<string, string> = new Map([
  ['frequency_desc', 'value DESC, name'],
  ['frequency_asc', 'value ASC, name'],
  ['alphabetical_asc', 'name ASC'],
  ['alphabetical_desc', 'name DESC'],
]);

const SORT_DIRECTIONS: ReadonlyMap<string, string> = new Map([
  ['asc', 'ASC'],
  ['desc', 'DESC'],
]);

const STEP_SIZES: ReadonlyMap<string, string> = new Map(
  ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'].map((s) => [s, s]),
);

/** Aggregations one `aggregations` request may list. */
const MAX_AGGREGATIONS = 100;

/**
 * The select list of the `aggregations` model: `[{column, operation, alias}]`, or SQL text
 * (`sum(pop) AS total, avg(area) AS area`) checked by the guard like any client SQL.
 */
async function aggregationList(
  ctx: DataContext,
  source: ResolvedSource,
  spec: unknown,
): Promise<string> {
  if (typeof spec === 'string') return checkExpressions(ctx.db, spec);
  if (!Array.isArray(spec) || spec.length === 0 || spec.length > MAX_AGGREGATIONS)
    throw new QueryError(
      `aggregations must be a list of 1 to ${MAX_AGGREGATIONS} {column, operation, alias}, or SQL such as "sum(pop) AS total".`,
    );
  return spec
    .map((item: unknown, i) => {
      if (!item || typeof item !== 'object' || Array.isArray(item))
        throw new QueryError(`aggregations[${i}] must be {column, operation, alias}.`);
      const { column: name, operation, alias } = item as Record<string, unknown>;
      const label = textParam(alias, `aggregations[${i}].alias`, '');
      if (label === '') throw new QueryError(`aggregations[${i}] needs an alias.`);
      return `${aggregate(source, operation, name ?? '*')} AS ${quoteIdentifier(label)}`;
    })
    .join(', ');
}

/** Series a split time series may have. */
const MAX_SPLIT_CATEGORIES = 100;

function splitLimit(value: unknown): number {
  const limit = numberParam(value, 'splitByCategoryLimit', 5);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SPLIT_CATEGORIES)
    throw new QueryError(
      `splitByCategoryLimit must be a whole number from 1 to ${MAX_SPLIT_CATEGORIES}.`,
    );
  return limit;
}

function splitValues(value: unknown): DuckDBValue[] {
  if (
    !Array.isArray(value) ||
    value.length > MAX_SPLIT_CATEGORIES ||
    value.some((v) => typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'bigint')
  )
    throw new QueryError(
      `splitByCategoryValues must be a list of at most ${MAX_SPLIT_CATEGORIES} names.`,
    );
  return value as DuckDBValue[];
}

/** Histogram bins a request may ask for (each is a WHEN of one CASE). */
const MAX_TICKS = 1_000;

/**
 * One widget model (formula, category, histogram, range, scatterplot, table, timeseries,
 * aggregations, pick; `custom` operations with their `operationExp`) over
 * a table or query source, with the request's filters and spatial filter: the response body.
 */
export async function runModel(
  ctx: DataContext,
  principal: Principal,
  connection: string,
  name: string,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const type = textParam(params.type, 'type', 'table');
  if (type !== 'query' && type !== 'table') {
    throw new QueryError(`Source type "${type}" is not supported by the SQL model API.`);
  }
  const source =
    type === 'query'
      ? await ctx.sources.query(principal, connection, params.source, params.queryParameters)
      : ctx.sources.table(principal, connection, params.source);
  const modelParams = (params.params ?? {}) as Record<string, unknown>;
  if (typeof modelParams !== 'object' || Array.isArray(modelParams))
    throw new QueryError('params must be an object.');

  const sql = new SqlBuilder();
  const clauses = await modelFilters(ctx, sql, source, params);
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const from = `FROM ${source.relation} ${where}`;
  // A custom operation's expression, checked by the guard before any of it runs.
  const custom =
    modelParams.operation === 'custom'
      ? await checkExpressions(ctx.db, textParam(modelParams.operationExp, 'operationExp', ''), {
          single: true,
        })
      : null;

  switch (name) {
    case 'formula': {
      const r = await ctx.db.query(
        `SELECT ${aggregate(source, modelParams.operation, modelParams.column ?? '*', custom)} AS value ${from}`,
        sql.params,
      );
      return { rows: r.rows };
    }
    case 'category': {
      const col = column(source, modelParams.column);
      const agg = aggregate(
        source,
        modelParams.operation,
        modelParams.operationColumn ?? modelParams.column,
        custom,
      );
      const orderSql = lookup(CATEGORY_ORDER, modelParams.orderBy, 'orderBy', 'frequency_desc');
      const threshold = numberParam(modelParams.othersThreshold, 'othersThreshold', 0);
      if (!Number.isInteger(threshold) || threshold < 0 || threshold > 1_000_000)
        throw new QueryError('othersThreshold must be a whole number from 0 to 1,000,000.');
      if (threshold > 0) {
        // The first `threshold` categories, and the rest as one "others" value, in SQL: a
        // column with more categories than a result may hold (names, ids) still answers.
        const ranked = `WITH g AS (SELECT ${col} AS name, ${agg} AS value ${from} GROUP BY 1), r AS (SELECT name, value, row_number() OVER (ORDER BY ${orderSql}) AS rn FROM g)`;
        const top = await ctx.db.query(
          `${ranked} SELECT name, value FROM r WHERE rn <= ${threshold} ORDER BY rn`,
          sql.params,
        );
        // A custom expression's "others" is the expression over the other categories' rows
        // (a ratio of sums is not a sum of ratios); an aggregate's is that of their values.
        const rest =
          custom !== null
            ? await ctx.db.query(
                `${ranked} SELECT ${custom} AS others FROM (SELECT * ${from}) AS __rows WHERE NOT EXISTS (SELECT 1 FROM r WHERE rn <= ${threshold} AND r.name IS NOT DISTINCT FROM __rows.${col})`,
                [...sql.params, ...sql.params],
              )
            : await ctx.db.query(
                `${ranked} SELECT ${othersAggregate(modelParams.operation)}(value) AS others FROM r WHERE rn > ${threshold}`,
                sql.params,
              );
        return { rows: top.rows, metadata: { others: Number(rest.rows[0]?.others ?? 0) } };
      }
      const r = await ctx.db.query(
        `SELECT ${col} AS name, ${agg} AS value ${from} GROUP BY 1 ORDER BY ${orderSql}`,
        sql.params,
      );
      return { rows: r.rows, metadata: { others: 0 } };
    }
    case 'histogram': {
      const col = column(source, modelParams.column);
      const ticks = modelParams.ticks;
      if (
        !Array.isArray(ticks) ||
        ticks.length === 0 ||
        ticks.some((t) => typeof t !== 'number' || !Number.isFinite(t))
      )
        throw new QueryError('ticks must be a list of at least one number.');
      if (ticks.length > MAX_TICKS)
        throw new QueryError(`ticks may have at most ${MAX_TICKS} values.`);
      // The ticks are bound first: their CASE comes before the filters' WHERE in the SQL.
      const tickSql = new SqlBuilder();
      const bins = (ticks as number[])
        .map((t, i) => `WHEN ${col} < ${tickSql.param(t)} THEN ${i}`)
        .join(' ');
      const agg = aggregate(
        source,
        modelParams.operation,
        modelParams.operation === 'count' || !modelParams.operation ? '*' : modelParams.column,
        custom,
      );
      const r = await ctx.db.query(
        `SELECT CASE ${bins} ELSE ${(ticks as number[]).length} END AS tick, ${agg} AS value ${from}${where ? ' AND' : ' WHERE'} ${col} IS NOT NULL GROUP BY 1 ORDER BY 1`,
        [...tickSql.params, ...sql.params],
      );
      return { rows: r.rows };
    }
    case 'range': {
      const col = column(source, modelParams.column);
      const r = await ctx.db.query(
        `SELECT min(${col}) AS min, max(${col}) AS max ${from}`,
        sql.params,
      );
      return { rows: r.rows };
    }
    case 'scatterplot': {
      const x = column(source, modelParams.xAxisColumn);
      const y = column(source, modelParams.yAxisColumn);
      const limit = Math.floor(
        Math.min(Math.max(numberParam(modelParams.limit, 'limit', 500), 0), 5000),
      );
      const r = await ctx.db.query(
        `SELECT ${x} AS x, ${y} AS y ${from}${where ? ' AND' : ' WHERE'} ${x} IS NOT NULL AND ${y} IS NOT NULL ORDER BY rowid LIMIT ${limit}`,
        sql.params,
      );
      return { rows: r.rows };
    }
    case 'table': {
      const requested = modelParams.column;
      const names =
        Array.isArray(requested) && requested.length > 0
          ? (requested as unknown[])
          : source.columns.filter((col) => col.name !== 'geom').map((col) => col.name);
      const select = names.map((n) => column(source, n)).join(', ');
      const sortBy = modelParams.sortBy ? column(source, modelParams.sortBy) : null;
      const direction = lookup(SORT_DIRECTIONS, modelParams.sortDirection, 'sortDirection', 'asc');
      const limit = Math.min(Math.max(numberParam(modelParams.limit, 'limit', 10), 0), 1000);
      const offset = Math.min(
        Math.max(numberParam(modelParams.offset, 'offset', 0), 0),
        Number.MAX_SAFE_INTEGER,
      );
      const total = await ctx.db.query(`SELECT count(*) AS n ${from}`, sql.params);
      const r = await ctx.db.query(
        `SELECT ${select} ${from} ORDER BY ${sortBy ? `${sortBy} ${direction} NULLS LAST, ` : ''}rowid LIMIT ${Math.floor(limit)} OFFSET ${Math.floor(offset)}`,
        sql.params,
      );
      return { rows: r.rows, metadata: { total: Number(total.rows[0]?.n ?? 0) } };
    }
    case 'timeseries': {
      const col = column(source, modelParams.column);
      const step = lookup(STEP_SIZES, modelParams.stepSize, 'stepSize', 'month');
      const agg = aggregate(
        source,
        modelParams.operation,
        modelParams.operation === 'count' || !modelParams.operation
          ? '*'
          : (modelParams.operationColumn ?? modelParams.column),
        custom,
      );
      const bucket = `epoch_ms(date_trunc('${step}', CAST(${col} AS TIMESTAMP)))`;
      const rows = `${from}${where ? ' AND' : ' WHERE'} ${col} IS NOT NULL`;
      const split = modelParams.splitByCategory;
      if (split === undefined || split === null || split === '') {
        const r = await ctx.db.query(
          `SELECT ${bucket} AS name, ${agg} AS value ${rows} GROUP BY 1 ORDER BY 1`,
          sql.params,
        );
        return { rows: r.rows, metadata: { categories: [] } };
      }
      // One series per category: the ones asked for, or the top ones by the operation.
      const category = column(source, split);
      const categories =
        modelParams.splitByCategoryValues === undefined
          ? (
              await ctx.db.query(
                `SELECT ${category} AS name, ${agg} AS value ${rows} AND ${category} IS NOT NULL GROUP BY 1 ORDER BY value DESC, name LIMIT ${splitLimit(modelParams.splitByCategoryLimit)}`,
                sql.params,
              )
            ).rows.map((r) => r.name as DuckDBValue)
          : splitValues(modelParams.splitByCategoryValues);
      if (categories.length === 0) return { rows: [], metadata: { categories: [] } };
      const listed = categories.map((value) => sql.param(value)).join(', ');
      const r = await ctx.db.query(
        `SELECT ${bucket} AS name, ${agg} AS value, ${category} AS category ${rows} AND ${category} IN (${listed}) GROUP BY 1, 3 ORDER BY 1, 3`,
        sql.params,
      );
      return { rows: r.rows, metadata: { categories } };
    }
    case 'pick': {
      if (!source.columns.some((c) => c.name === 'geom'))
        throw new QueryError('The pick model needs a source with a geom column.');
      const ids = modelParams.featureIds;
      if (
        !Array.isArray(ids) ||
        ids.length === 0 ||
        ids.length > MAX_PICKED ||
        !ids.every((id) => typeof id === 'string' && id.length <= 64)
      )
        throw new QueryError(
          `featureIds must be a list of 1 to ${MAX_PICKED} feature ids (strings, as tiles give them in ${FEATURE_ID_COLUMN}).`,
        );
      const requested = modelParams.columns;
      if (!Array.isArray(requested) || requested.length === 0)
        throw new QueryError('columns must be a list of the columns to return.');
      const select = requested
        .map((n) =>
          n === FEATURE_ID_COLUMN ? `${featureIdSql()} AS ${FEATURE_ID_COLUMN}` : column(source, n),
        )
        .join(', ');
      const limit = Math.min(Math.max(numberParam(modelParams.limit, 'limit', 1000), 0), 1000);
      const offset = Math.max(numberParam(modelParams.offset, 'offset', 0), 0);
      const picked = `${from}${where ? ' AND' : ' WHERE'} list_contains(${sql.param(listValue(ids as string[]))}, ${featureIdSql()})`;
      const total = await ctx.db.query(`SELECT count(*) AS n ${picked}`, sql.params);
      // In the order of the ids asked for, as CARTO answers.
      const order = new SqlBuilder();
      const position = `list_position(${order.param(listValue(ids as string[]))}, ${featureIdSql()})`;
      const r = await ctx.db.query(
        `SELECT ${select} ${picked} ORDER BY ${position}, rowid LIMIT ${Math.floor(limit)} OFFSET ${Math.floor(Math.min(offset, Number.MAX_SAFE_INTEGER))}`,
        [...sql.params, ...order.params],
      );
      return { rows: r.rows, metadata: { total: Number(total.rows[0]?.n ?? 0) } };
    }
    case 'aggregations': {
      const list = await aggregationList(ctx, source, modelParams.aggregations);
      const r = await ctx.db.query(`SELECT ${list} ${from}`, sql.params);
      return { rows: r.rows };
    }
    default:
      throw new QueryError(`Model "${name}" is not available in the emulator.`);
  }
}
