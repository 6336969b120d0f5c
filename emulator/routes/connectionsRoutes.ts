import { Hono, type Context } from 'hono';
import { canUseConnection } from '../data/access';
import type { DataContext } from '../data/dataContext';
import { readableTables, tableResource } from '../data/tableResources';
import type { AuthEnv } from '../http/env';
import { notFound } from '../http/errors';
import { insufficientScope, requireBearer } from '../http/requireBearer';
import { parseScope } from '../../protocol/scopes';
import type { Principal } from '../auth/tokens';

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

  /** `path` is `schema` or `schema.table` (or `database.schema.table`). */
  const resources = (c: Context<AuthEnv>, connection: string, path: string[]) => {
    const { principal } = c.var;
    if (!mayBrowse(principal)) throw insufficientScope([CONNECTIONS_SCOPE]);
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
            provider_type: 'duckdb',
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
