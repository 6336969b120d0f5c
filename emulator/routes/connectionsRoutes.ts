import { Hono, type Context } from 'hono';
import { canUseConnection } from '../data/access';
import type { DataContext } from '../data/dataContext';
import { readableTables, tableResource } from '../data/tableResources';
import type { AuthEnv } from '../http/env';
import { notFound } from '../http/errors';
import { requireBearer } from '../http/requireBearer';

/**
 * Connections and what is in them (mounted at /v3/connections): only the connections the
 * caller may use, and in them only the tables their token may read.
 */
export function connectionsRoutes(ctx: DataContext) {
  const config = ctx.auth.config;
  const bearer = requireBearer(ctx.auth);

  /** `path` is `schema` or `schema.table` (or `database.schema.table`). */
  const resources = (c: Context<AuthEnv>, connection: string, path: string[]) => {
    const { principal } = c.var;
    ctx.sources.checkConnection(principal, connection);
    const tables = readableTables(ctx, principal, connection);
    if (path.length === 0) {
      const schemas = [...new Set(tables.map((t) => t.schema))].sort();
      return c.json({
        id: connection,
        children: schemas.map((s) => ({ id: `${connection}.${s}`, name: s, type: 'schema' })),
      });
    }
    const [schema = ''] = path;
    if (path.length === 1) {
      const inSchema = tables.filter((t) => t.schema === schema);
      if (inSchema.length === 0) throw notFound(`Schema "${schema}" not found`);
      return c.json({ id: `${connection}.${schema}`, children: inSchema.map(tableResource) });
    }
    const table = tables.find((t) => t.qualifiedName === path.slice(-2).join('.'));
    if (!table) throw notFound(`Table "${path.join('.')}" not found`);
    return c.json({ ...tableResource(table), children: [] });
  };

  return new Hono()
    .get('/', bearer, (c) =>
      c.json(
        config.connections
          .filter((conn) => canUseConnection(config, c.var.principal, conn.name))
          .map((conn) => ({
            id: conn.name,
            name: conn.name,
            provider_type: 'duckdb',
            owner: conn.owner,
          })),
      ),
    )
    .get('/:connection/resources', bearer, (c) => resources(c, c.req.param('connection'), []))
    .get('/:connection/resources/:path', bearer, (c) => {
      const { connection, path } = c.req.param();
      return resources(c, connection, path.split('.').filter(Boolean));
    });
}
