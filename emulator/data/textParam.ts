import { QueryError } from './database';
import { shown } from './filters';

/** A text parameter: strings and numbers pass, absent gives `fallback`, anything else is a 400. */
export function textParam(value: unknown, name: string, fallback = ''): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  throw new QueryError(`Parameter "${name}" must be text.`);
}

/**
 * A number parameter: a finite number or the text of one; absent gives `fallback`. Never
 * `Number(value)` on a client's object, which calls its `valueOf`/`toString` (a JSON object
 * may have its own, not callable: a TypeError, a 500).
 */
export function numberParam(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  // A bigint: a whole number past Number.MAX_SAFE_INTEGER in the request's JSON (exactJson).
  const number =
    typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string'
      ? Number(value)
      : NaN;
  if (!Number.isFinite(number)) throw new QueryError(`Parameter "${name}" must be a number.`);
  return number;
}

/** A lookup table keyed by client text: a Map, so "__proto__" or "constructor" find nothing. */
export function lookup<T>(
  table: ReadonlyMap<string, T>,
  value: unknown,
  name: string,
  fallback: string,
): T {
  const key = textParam(value, name, fallback).toLowerCase();
  const found = table.get(key);
  if (found === undefined) {
    throw new QueryError(`Unknown ${name} "${shown(key)}" (${[...table.keys()].join(', ')}).`);
  }
  return found;
}
