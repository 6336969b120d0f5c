import { Hono } from 'hono';
import type { DataContext } from '../data/dataContext';
import { readParams } from '../http/readParams';
import { exactJsonText } from '../data/exactJson';
import { runModel } from '../data/sqlModels';
import { requireBearer } from '../http/requireBearer';
import { sqlBodyLimit, withErrorHeaders } from './sqlQueryRoutes';

/** The widget models of the SQL API (mounted at /v3/sql), as @carto/api-client calls them. */
export function sqlModelRoutes(ctx: DataContext) {
  return new Hono().on(
    ['GET', 'POST'],
    '/:connection/model/:model',
    requireBearer(ctx.auth),
    sqlBodyLimit,
    async (c) => {
      const { connection, model } = c.req.param();
      const params = await readParams(c);
      const body = await withErrorHeaders(() =>
        runModel(ctx, c.var.principal, connection, model, params),
      );
      // Integers past Number.MAX_SAFE_INTEGER (64-bit ids) as exact strings of digits.
      return c.body(exactJsonText(body), 200, { 'Content-Type': 'application/json' });
    },
  );
}
