import { Hono } from 'hono';
import { apiError } from '../http/responses';
import { canListDatasets, canReadTable, canUseConnection } from './access';
import type { TableInfo } from './database';
import { dataHandler, type DataContext } from './mapsRoutes';

function tableResource(table: TableInfo) {
  return {
    id: `${table.connection}.${table.qualifiedName}`,
    name: table.name,
    type: 'table',
    schema: table.schema,
    description: table.description,
    rows: table.rowCount,
    spatialDataType: table.spatial,
    geometryType: table.geometryType,
    bounds: table.bounds,
    columns: table.columns.map((c) => ({ name: c.name, type: c.type.toLowerCase() })),
    updatedAt: table.updatedAt,
  };
}

/** What a user may see: connections they can use, tables their token may read. */
export function listingRoutes(ctx: DataContext) {
  const app = new Hono();
  const config = ctx.auth.config;
  const readable = (principal: Parameters<typeof canReadTable>[1], connection: string) =>
    [...ctx.db.tables.values()].filter(
      (t) => t.connection === connection && canReadTable(config, principal, t),
    );

  app.get(
    '/v3/connections',
    dataHandler(ctx, (c, principal) =>
      c.json(
        config.connections
          .filter((conn) => canUseConnection(config, principal, conn.name))
          .map((conn) => ({
            id: conn.name,
            name: conn.name,
            provider_type: 'duckdb',
            owner: conn.owner,
          })),
      ),
    ),
  );

  const resources = dataHandler(ctx, (c, principal) => {
    const connection = c.req.param('connection') ?? '';
    ctx.sources.checkConnection(principal, connection);
    const path = (c.req.param('path') ?? '').split('.').filter(Boolean);
    const tables = readable(principal, connection);
    if (path.length === 0) {
      const schemas = [...new Set(tables.map((t) => t.schema))].sort();
      return c.json({
        id: connection,
        children: schemas.map((s) => ({ id: `${connection}.${s}`, name: s, type: 'schema' })),
      });
    }
    if (path.length === 1) {
      const inSchema = tables.filter((t) => t.schema === path[0]);
      if (inSchema.length === 0) return apiError(c, 404, `Schema "${path[0] ?? ''}" not found`);
      return c.json({
        id: `${connection}.${path[0] ?? ''}`,
        children: inSchema.map(tableResource),
      });
    }
    const table = tables.find((t) => t.qualifiedName === path.slice(-2).join('.'));
    if (!table) return apiError(c, 404, `Table "${path.join('.')}" not found`);
    return c.json({ ...tableResource(table), children: [] });
  });
  app.get('/v3/connections/:connection/resources', resources);
  app.get('/v3/connections/:connection/resources/:path', resources);

  /** CARTO 2 datasets listing (needs datasets:metadata). */
  app.get(
    '/api/v4/datasets',
    dataHandler(ctx, (c, principal) => {
      if (!canListDatasets(principal))
        return apiError(c, 403, 'Forbidden: the token needs the datasets:metadata scope');
      const page = Math.max(1, Number(c.req.query('page') ?? 1) || 1);
      const perPage = Math.min(1000, Math.max(1, Number(c.req.query('per_page') ?? 20) || 20));
      const all = config.connections.flatMap((conn) => readable(principal, conn.name));
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (p: number) => ({
        href: `${ctx.auth.issuer}/api/v4/datasets?page=${p}&per_page=${perPage}`,
      });
      return c.json({
        total: all.length,
        count: slice.length,
        result: slice.map((t) => ({
          table_schema: t.schema,
          name: t.name,
          privacy: 'private',
          updated_at: t.updatedAt,
          row_count: t.rowCount,
          geometry_types: t.geometryType ? [t.geometryType] : [],
          description: t.description,
        })),
        _links: {
          first: link(1),
          last: link(last),
          ...(page < last ? { next: link(page + 1) } : {}),
          ...(page > 1 ? { prev: link(page - 1) } : {}),
        },
      });
    }),
  );
  return app;
}
