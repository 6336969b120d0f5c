import { apiUrl, cartoJson, CartoRequestError, type ModelContext } from './cartoJson';

export interface SqlArgs {
  connection: string;
  q: string;
  queryParameters?: unknown[] | Record<string, unknown>;
}

export interface SqlResult {
  rows: Record<string, unknown>[];
  schema: { name: string; type: string }[];
}

/** CARTO's SQL API falls back to POST past this URL length, as @carto/api-client does. */
const MAX_GET_URL = 7000;

/** Runs a query through CARTO's SQL API (`/v3/sql/{connection}/query`). */
export async function sqlModel(
  { connection, q, queryParameters }: SqlArgs,
  context: ModelContext,
): Promise<SqlResult> {
  if (q.trim() === '') throw new RangeError('Write a query first.');
  const path = `v3/sql/${encodeURIComponent(connection)}/query`;
  const params = {
    q,
    ...(queryParameters ? { queryParameters: JSON.stringify(queryParameters) } : {}),
  };
  const getUrl = apiUrl(context.credentials, path, params);
  const body =
    getUrl.length <= MAX_GET_URL
      ? await cartoJson<Partial<SqlResult> | null>(getUrl, context)
      : await cartoJson<Partial<SqlResult> | null>(apiUrl(context.credentials, path), context, {
          method: 'POST',
          body: { q, ...(queryParameters ? { queryParameters } : {}) },
        });
  if (!Array.isArray(body?.rows) || !Array.isArray(body.schema))
    throw new CartoRequestError('The SQL API answered in an unexpected shape.', 502);
  return { rows: body.rows, schema: body.schema };
}
