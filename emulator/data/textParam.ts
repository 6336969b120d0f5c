import { QueryError } from './database';

/** A text parameter: strings and numbers pass, absent gives `fallback`, anything else is a 400. */
export function textParam(value: unknown, name: string, fallback = ''): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new QueryError(`Parameter "${name}" must be text.`);
}
