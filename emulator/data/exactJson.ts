/**
 * JSON that keeps 64-bit integers exact (H3 and quadbin ids, UBIGINT and HUGEINT values).
 *
 * Inside the emulator an integer is a JS number while it is a safe integer
 * (|n| <= Number.MAX_SAFE_INTEGER) and a BigInt beyond that. In JSON a safe integer is a number
 * and a bigger one a string of its digits: clients (`@carto/api-client` reads every answer with
 * `response.json()`) would round a number past 2^53 as they read it, a string they read exactly.
 * Quadbin and H3 ids of spatial-index tiles travel as uint64 in the tile protobuf, not in JSON.
 */
import { isInteger, parse } from 'lossless-json';

const isSafe = (value: bigint) =>
  value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);

/** A JSON number's text: a BigInt when it is an integer past the safe range, else a number. */
function parseNumber(text: string): number | bigint {
  if (!isInteger(text)) return Number(text);
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : BigInt(text);
}

/**
 * JSON.parse, except that an integer past Number.MAX_SAFE_INTEGER comes back as a BigInt, exact
 * (lossless-json's parser). Text without 16 digits in a row has no such integer and goes to
 * the (faster) JSON.parse. Throws a SyntaxError for text that is not JSON.
 */
export function parseExactJson(text: string): unknown {
  return /\d{16}/.test(text) ? parse(text, null, parseNumber) : JSON.parse(text);
}

/** A value from DuckDB or a parse as the emulator keeps it: a safe BigInt becomes a number. */
export function exactInteger(value: bigint): number | bigint {
  return isSafe(value) ? Number(value) : value;
}

/**
 * JSON.stringify for values that may hold BigInts: a safe one as a JSON number, a bigger one as
 * a string of its digits. Like JSON.stringify, undefined for undefined (its types say string).
 */
export function exactJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? (isSafe(v) ? Number(v) : v.toString()) : v,
  );
}

/**
 * JSON text to hash a client's values by (cache keys): a BigInt is `{"$bigint": digits}`, so
 * that it never hashes like the string or the (rounded) number it would be written as. Keys
 * are only made of validated values, in which a client's own object cannot stand.
 */
export function keyJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? { $bigint: v.toString() } : v,
  );
}
