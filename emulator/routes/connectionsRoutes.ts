import { Hono, type Context } from 'hono';
import { canUseConnection } from '../data/access';
import type { DataContext } from '../data/dataContext';
import { readableTables, tableResource } from '../data/tableResources';
import type { AuthEnv } from '../http/env';
import { notFound } from '../http/errors';
import { insufficientScope, requireBearer } from '../http/requireBearer';
import { parseScope } from '../../protocol/scopes';
import type { Principal } from '../auth/tokens';
import { connectionProvider } from '../config/configSchema';
import type { TableInfo } from '../data/database';

/** The schema a table is listed under: `demo`, or `my-project.ds` for a project's table. */
const schemaOf = (t: TableInfo) => (t.catalog === 'memory' ? t.schema : `${t.catalog}.${t.schema}`);

const CONNECTIONS_SCOPE = 'read:connections';

/**
 * Browsing inside a connection shows only the tables the token may read, so it needs a scope
 * that reads some: `read:connections`, a dataset scope, or `datasets:metadata` (CARTO 2).
 */
function mayBrowse(principal: Principal): boolean {
  return principal.scopes.some((scope) => {
    const kind = parseScope(scope)?.kind;
    return scope === CONNECTIONS_SCOPE || kind === 'datasets' || kind === 'datasets_metadata';
  });
}

/**
 * Connections and what is in them (mounted at /v3/connections): only the connections the
 * caller may use, and in them only the tables their token may read.
 */
export function connectionsRoutes(ctx: DataContext) {
  const config = ctx.auth.config;
  const bearer = requireBearer(ctx.auth);

  /**
   * `path` is a schema (`demo`, or a project's dataset `my-project.ds`) or a table
   * (`demo.x`, `my-project.ds.t`, or `carto_dw.demo.x`).
   */
  const resources = (c: Context<AuthEnv>, connection: string, path: string[]) => {
    const { principal } = c.var;
    if (!mayBrowse(principal)) throw insufficientScope([CONNECTIONS_SCOPE]);
    ctx.sources.checkConnection(principal, connection);
    const tables = readableTables(ctx, principal, connection);
    if (path.length === 0) {
      const schemas = [...new Set(tables.map(schemaOf))].sort();
      return c.json({
        id: connection,
        children: schemas.map((s) => ({ id: `${connection}.${s}`, name: s, type: 'schema' })),
      });
    }
    const wanted = path.join('.');
    const inSchema = tables.filter((t) => schemaOf(t) === wanted);
    if (inSchema.length > 0)
      return c.json({ id: `${connection}.${wanted}`, children: inSchema.map(tableResource) });
    const table = tables.find((t) => t.qualifiedName === wanted || t.fullName === wanted);
    if (!table)
      throw notFound(
        `${path.length === 1 ? 'Schema' : 'Table'} "${wanted}" not found in connection "${connection}"`,
      );
    return c.json({ ...tableResource(table), children: [] });
  };

  return new Hono()
    .get('/', bearer, (c) => {
      const { principal } = c.var;
      // Listing the connections is what `read:connections` is for: an OAuth token with dataset
      // scopes only names tables in a connection the app already knows. An API access token
      // is not an OAuth grant: it is made for given tables, and sees the connections that
      // hold one of them (CARTO 3's tokens carry their connection in each grant).
      const apiToken = principal.kind === 'api_token';
      if (!apiToken && !principal.scopes.includes(CONNECTIONS_SCOPE)) {
        throw insufficientScope([CONNECTIONS_SCOPE]);
      }
      return c.json(
        config.connections
          .filter((conn) => canUseConnection(config, principal, conn.name))
          .filter((conn) => !apiToken || readableTables(ctx, principal, conn.name).length > 0)
          .map((conn) => ({
            id: conn.name,
            name: conn.name,
            provider_type: connectionProvider(conn),
            owner: conn.owner,
          })),
      );
    })
    .get('/:connection/resources', bearer, (c) => resources(c, c.req.param('connection'), []))
    .get('/:connection/resources/:path', bearer, (c) => {
      const { connection, path } = c.req.param();
      return resources(c, connection, path.split('.').filter(Boolean));
    });
}
