import type { Context } from 'hono';
import { QueryError } from '../data/database';
import { parseExactJson } from '../data/exactJson';

const JSON_PARAMS = new Set([
  'filters',
  'queryParameters',
  'params',
  'spatialFilters',
  'spatialFilter',
]);
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request's parameters, from the query string (JSON-valued ones parsed) or, for the long
 * form that @carto/api-client switches to, from a JSON POST body. An integer past
 * Number.MAX_SAFE_INTEGER in them (a 64-bit id in a filter) is a BigInt, exact.
 */
export async function readParams(c: Context): Promise<Record<string, unknown>> {
  if (c.req.method === 'POST' || c.req.method === 'PATCH') {
    const type = c.req.header('Content-Type') ?? '';
    if (!type.includes('application/json'))
      throw new QueryError(`${c.req.method} bodies must be application/json.`);
    const text = await c.req.text();
    if (text.length > MAX_BODY_BYTES) throw new QueryError('The request body is too large.', 413);
    let body: unknown;
    try {
      body = parseExactJson(text);
    } catch {
      throw new QueryError('The request body is not valid JSON.');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new QueryError('The request body must be a JSON object.');
    return parseJsonValues(body as Record<string, unknown>);
  }
  return parseJsonValues(c.req.query());
}

function parseJsonValues(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    if (JSON_PARAMS.has(key) && typeof value === 'string' && value !== '') {
      try {
        out[key] = parseExactJson(value);
      } catch {
        throw new QueryError(`Parameter "${key}" is not valid JSON.`);
      }
    } else {
      out[key] = value;
    }
  }
  return out;
}
