import { Hono } from 'hono';
import type { DataContext } from '../data/dataContext';
import { quoteIdentifier } from '../../protocol/sql';
import { QueryError } from '../data/database';
import { readParams } from '../http/readParams';
import { requireBearer } from '../http/requireBearer';

/** The SQL API's query endpoint (mounted at /v3/sql): read-only SQL over readable tables. */
export function sqlQueryRoutes(ctx: DataContext) {
  return new Hono().on(
    ['GET', 'POST'],
    '/:connection/query',
    requireBearer(ctx.auth),
    async (c) => {
      const params = await readParams(c);
      const source = await ctx.sources.query(
        c.var.principal,
        c.req.param('connection'),
        params.q,
        params.queryParameters,
      );
      if (source.rowCount > ctx.db.maxRows) {
        throw new QueryError(
          `The result has more than ${ctx.db.maxRows} rows: add a LIMIT or a WHERE clause.`,
          413,
        );
      }
      const visible = source.columns.map((col) => quoteIdentifier(col.name)).join(', ');
      const result = await ctx.db.query(`SELECT ${visible} FROM ${source.relation}`);
      return c.json({
        rows: result.rows,
        schema: source.columns.map((col) => ({ name: col.name, type: col.type.toLowerCase() })),
        meta: { cacheHit: false, totalBytesProcessed: '0', location: 'emulator' },
      });
    },
  );
}
