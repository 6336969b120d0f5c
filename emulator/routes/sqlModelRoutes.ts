import { Hono } from 'hono';
import type { DataContext } from '../data/dataContext';
import { readParams } from '../http/readParams';
import { runModel } from '../data/sqlModels';
import { requireBearer } from '../http/requireBearer';

/** The widget models of the SQL API (mounted at /v3/sql), as @carto/api-client calls them. */
export function sqlModelRoutes(ctx: DataContext) {
  return new Hono().on(
    ['GET', 'POST'],
    '/:connection/model/:model',
    requireBearer(ctx.auth),
    async (c) => {
      const { connection, model } = c.req.param();
      const body = await runModel(ctx, c.var.principal, connection, model, await readParams(c));
      return c.json(body);
    },
  );
}
