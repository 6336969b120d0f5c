import { Hono } from 'hono';
import { canListDatasets } from '../data/access';
import type { DataContext } from '../data/dataContext';
import { readableTables } from '../data/tableResources';
import { forbidden } from '../http/errors';
import { requireBearer } from '../http/requireBearer';

/** CARTO 2's datasets listing (mounted at /api/v4/datasets); needs datasets:metadata. */
export function datasetsRoutes(ctx: DataContext) {
  const config = ctx.auth.config;
  return new Hono().get('/', requireBearer(ctx.auth), (c) => {
    const { principal } = c.var;
    if (!canListDatasets(principal)) {
      throw forbidden('Forbidden: the token needs the datasets:metadata scope');
    }
    const page = Math.max(1, Number(c.req.query('page') ?? 1) || 1);
    const perPage = Math.min(1000, Math.max(1, Number(c.req.query('per_page') ?? 20) || 20));
    const all = config.connections.flatMap((conn) => readableTables(ctx, principal, conn.name));
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number) => ({
      href: `${ctx.auth.issuer}/api/v4/datasets?page=${p}&per_page=${perPage}`,
    });
    return c.json({
      total: all.length,
      count: slice.length,
      result: slice.map((t) => ({
        table_schema: t.catalog === 'memory' ? t.schema : `${t.catalog}.${t.schema}`,
        name: t.name,
        qualified_name: t.fullName,
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
  });
}
