import { Hono, type Context } from 'hono';
import type { DataContext } from '../data/dataContext';
import { exactJsonText } from '../data/exactJson';
import { column, SqlBuilder } from '../data/filters';
import { modelFilters } from '../data/modelFilters';
import { indexExtent } from '../data/indexFilters';
import type { ResolvedSource } from '../data/sources';
import type { AuthEnv } from '../http/env';
import { readParams } from '../http/readParams';
import { requireBearer } from '../http/requireBearer';
import { withErrorHeaders } from './sqlQueryRoutes';

/** Categories a text column's stats list, most frequent first. */
const TOP_CATEGORIES = 10;

const NUMERIC =
  /^(BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|DOUBLE|FLOAT|REAL|DECIMAL)/i;

/**
 * One column's statistics over the source's rows that pass the request's filters, as CARTO's
 * stats API answers them: the geometry column's extent (what `getExtent` asks), a number
 * column's count, min, max, avg and sum, and a text column's most frequent categories.
 */
async function columnStats(
  ctx: DataContext,
  source: ResolvedSource,
  columnName: string,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const sql = new SqlBuilder();
  const clauses = await modelFilters(ctx, sql, source, params);
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  const from = `FROM ${source.relation} ${where}`;
  if (columnName === 'geom' && source.hasBbox) {
    const r = await ctx.db.query(
      `SELECT min(__xmin) AS xmin, min(__ymin) AS ymin, max(__xmax) AS xmax, max(__ymax) AS ymax ${from}`,
      sql.params,
    );
    const row = r.rows[0] ?? {};
    // No row passes the filters: no extent (CARTO answers nulls).
    const extent = ['xmin', 'ymin', 'xmax', 'ymax'].map((k) =>
      row[k] === null || row[k] === undefined ? null : Number(row[k]),
    );
    const [xmin, ymin, xmax, ymax] = extent;
    return { attribute: columnName, type: 'Geometry', extent: { xmin, ymin, xmax, ymax } };
  }
  if ((source.spatial === 'h3' || source.spatial === 'quadbin') && columnName === source.spatial) {
    const index = { spatialDataType: source.spatial, spatialDataColumn: columnName };
    const extent = await indexExtent(ctx, source, index, where, sql.params);
    return { attribute: columnName, type: 'Geometry', extent };
  }
  const col = column(source, columnName);
  const type = source.columns.find((c) => c.name === columnName)?.type ?? '';
  if (NUMERIC.test(type)) {
    const r = await ctx.db.query(
      `SELECT count(${col}) AS count, min(${col}) AS min, max(${col}) AS max, avg(${col}) AS avg, sum(${col}) AS sum ${from}`,
      sql.params,
    );
    const row = r.rows[0] ?? {};
    // An integer past Number.MAX_SAFE_INTEGER (a 64-bit id's min and max) stays a BigInt,
    // exact: the answer writes it as a string of its digits (exactJson).
    const number = (value: unknown) =>
      value === null || value === undefined
        ? null
        : typeof value === 'bigint'
          ? value
          : Number(value);
    return {
      attribute: columnName,
      type: 'Number',
      count: number(row.count),
      min: number(row.min),
      max: number(row.max),
      avg: number(row.avg),
      sum: number(row.sum),
    };
  }
  const r = await ctx.db.query(
    `SELECT CAST(${col} AS VARCHAR) AS category, count(*) AS frequency ${from}${where ? ' AND' : ' WHERE'} ${col} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP_CATEGORIES}`,
    sql.params,
  );
  return {
    attribute: columnName,
    type: 'String',
    categories: r.rows.map((row) => ({
      category: row.category,
      frequency: Number(row.frequency),
    })),
  };
}

type StatsContext = Context<AuthEnv>;

/**
 * The stats API (mounted at /v3/stats), as @carto/api-client's `getExtent` calls it: a table's
 * column (`/:connection/:table/:column`), or a query's (`/:connection/:column?q=`).
 */
export function statsRoutes(ctx: DataContext) {
  const answer = async (c: StatsContext, table: string | null) => {
    const { connection, column: columnName } = c.req.param() as {
      connection: string;
      column: string;
    };
    const params = await readParams(c);
    const body = await withErrorHeaders(async () => {
      const source =
        table === null
          ? await ctx.sources.query(c.var.principal, connection, params.q, params.queryParameters)
          : ctx.sources.table(c.var.principal, connection, table);
      return columnStats(ctx, source, columnName, params);
    });
    return c.body(exactJsonText(body), 200, { 'Content-Type': 'application/json' });
  };
  return new Hono<AuthEnv>()
    .get('/:connection/:table/:column', requireBearer(ctx.auth), (c) =>
      answer(c, c.req.param('table')),
    )
    .get('/:connection/:column', requireBearer(ctx.auth), (c) => answer(c, null));
}
