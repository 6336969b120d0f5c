import { Hono, type Context } from 'hono';
import { canUseConnection } from '../data/access';
import type { DataContext } from '../data/dataContext';
import { QueryError } from '../data/database';
import { checkName } from '../data/namedSources';
import type { AuthEnv } from '../http/env';
import { readParams } from '../http/readParams';
import { requireBearer } from '../http/requireBearer';

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

/** A positive integer query parameter, or its default; anything else is a 400 naming it. */
function positive(c: Context, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER) {
  const raw = c.req.query(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new QueryError(`"${name}" must be a whole number from 1 to ${max}.`);
  return value;
}

/**
 * CARTO's Named Sources API (mounted at /v3/named-sources): list, create, read, update and
 * delete the names that stand for SQL queries. Only the named sources of connections the
 * caller may use are seen; see data/namedSources for who may change what.
 */
export function namedSourcesRoutes(ctx: DataContext) {
  const named = ctx.sources.named;
  const mayUse = (c: Context<AuthEnv>) => (connection: string) =>
    canUseConnection(ctx.auth.config, c.var.principal, connection);
  const check = (c: Context<AuthEnv>) => (connection: string, sql: string) =>
    ctx.sources.checkNamedSql(c.var.principal, connection, sql);
  /** A JSON object body (readParams refuses any other). */
  const body = (c: Context<AuthEnv>) => readParams(c);

  return new Hono<AuthEnv>()
    .use(requireBearer(ctx.auth))
    .get('/', (c) => {
      const page = positive(c, 'page', 1);
      const pageSize = positive(c, 'pageSize', DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
      const all = named.list(mayUse(c), c.req.query('search') ?? '');
      return c.json({
        data: all.slice((page - 1) * pageSize, page * pageSize),
        meta: { page, pageSize, total: all.length },
      });
    })
    .post('/', async (c) => {
      const created = await named.create(c.var.principal, await body(c), check(c));
      return c.json(created, 201);
    })
    .get('/:name', (c) => c.json(named.get(checkName(c.req.param('name')), mayUse(c))))
    .patch('/:name', async (c) => {
      const name = checkName(c.req.param('name'));
      return c.json(await named.update(c.var.principal, name, await body(c), mayUse(c), check(c)));
    })
    .delete('/:name', (c) => {
      named.delete(c.var.principal, checkName(c.req.param('name')), mayUse(c));
      return c.body(null, 204);
    });
}
