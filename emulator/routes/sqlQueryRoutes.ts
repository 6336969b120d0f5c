import { Hono } from 'hono';
import type { DataContext } from '../data/dataContext';
import { quoteIdentifier } from '../../protocol/sql';
import { QueryError } from '../data/database';
import { ApiError } from '../http/errors';
import { limitBody } from '../http/limitedBody';
import { readParams } from '../http/readParams';
import { requireBearer } from '../http/requireBearer';

/** The SQL API's request bodies: a query and its parameters. */
const SQL_BODY_LIMIT = 1024 * 1024;

/** Refuses a body over SQL_BODY_LIMIT while it streams in (never read whole first). */
export const sqlBodyLimit = limitBody(
  SQL_BODY_LIMIT,
  () =>
    new QueryError(
      'The request body is too large: the SQL API takes at most 1 MiB (1,048,576 bytes) of query and parameters.',
      413,
    ),
);

/** A QueryError's headers (Retry-After on a 429 or 503) go into the response. */
export async function withErrorHeaders<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof QueryError && Object.keys(error.headers).length > 0) {
      throw new ApiError(error.status, error.message, { headers: error.headers });
    }
    throw error;
  }
}

/** The SQL API's query endpoint (mounted at /v3/sql): read-only SQL over readable tables. */
export function sqlQueryRoutes(ctx: DataContext) {
  return new Hono().on(
    ['GET', 'POST'],
    '/:connection/query',
    requireBearer(ctx.auth),
    sqlBodyLimit,
    async (c) => {
      const params = await readParams(c);
      const source = await withErrorHeaders(() =>
        ctx.sources.query(
          c.var.principal,
          c.req.param('connection'),
          params.q,
          params.queryParameters,
        ),
      );
      if (source.rowCount > ctx.db.maxRows) {
        throw new QueryError(
          `The result has more than ${ctx.db.maxRows} rows: add a LIMIT or a WHERE clause.`,
          413,
        );
      }
      const visible = source.columns.map((col) => quoteIdentifier(col.name)).join(', ');
      // BigQuery answers a GEOGRAPHY column as GeoJSON, which CARTO's SQL API sends parsed
      // (`row.geom.coordinates`); the emulator's geometries are GeoJSON text.
      const bigquery = ctx.sources.provider(c.req.param('connection')) === 'bigquery';
      const geometry = new Set(
        bigquery
          ? source.columns.filter((col) => col.type === 'GEOMETRY').map((col) => col.name)
          : [],
      );
      // The rows' JSON is built a chunk at a time, within the response size limit.
      const rows = await ctx.db.queryJsonRows(
        `SELECT ${visible} FROM ${source.relation}`,
        geometry,
      );
      const schema = source.columns.map((col) => ({
        name: col.name,
        type: geometry.has(col.name) ? 'geography' : col.type.toLowerCase(),
      }));
      const meta = { cacheHit: false, totalBytesProcessed: '0', location: 'emulator' };
      return c.body(
        `{"rows":${rows},"schema":${JSON.stringify(schema)},"meta":${JSON.stringify(meta)}}`,
        200,
        { 'Content-Type': 'application/json' },
      );
    },
  );
}
