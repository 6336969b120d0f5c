/** Plain helpers of the SQL console: error positions, identifier quoting, cell text. */

/** Where the SQL API says an error is: 1-based line, and column when it gives one. */
export interface ErrorPosition {
  line: number;
  column: number | null;
}

/** Reads "line 2, column 5" (the emulator's parser) or "LINE 2:" (PostgreSQL) from a message. */
export function errorPosition(message: string): ErrorPosition | null {
  const exact = /line (\d+), column (\d+)/i.exec(message);
  if (exact) return { line: Number(exact[1]), column: Number(exact[2]) };
  const line = /LINE (\d+):/.exec(message)?.[1];
  return line ? { line: Number(line), column: null } : null;
}

/** "Line 2, column 5", or "Line 2": what the error Alert shows first. */
export function describePosition({ line, column }: ErrorPosition): string {
  return column === null ? `Line ${line}` : `Line ${line}, column ${column}`;
}

/**
 * The character range of the document to mark for an error at `position`: from the column to
 * the end of the word there (at least one character), or the whole line without a column.
 * Positions past the text are clamped to it. `lines` is the document split at line breaks.
 */
export function errorRange(
  lines: readonly string[],
  position: ErrorPosition,
): { from: number; to: number } {
  const lineIndex = Math.min(Math.max(position.line, 1), Math.max(lines.length, 1)) - 1;
  let lineStart = 0;
  for (let i = 0; i < lineIndex; i++) lineStart += (lines[i]?.length ?? 0) + 1;
  const text = lines[lineIndex] ?? '';
  if (position.column === null) return { from: lineStart, to: lineStart + text.length };
  const column = Math.min(Math.max(position.column, 1) - 1, text.length);
  const word = /^\w+/.exec(text.slice(column))?.[0].length ?? 0;
  return { from: lineStart + column, to: lineStart + column + Math.max(word, 1) };
}

/** Words that must be quoted to be used as a name (the common SQL and DuckDB reserved ones). */
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column ' +
    'constraint create current_date current_time current_timestamp current_user default ' +
    'deferrable desc distinct do else end except false fetch for foreign from grant group ' +
    'having in initially intersect into join lateral leading limit localtime localtimestamp not ' +
    'null offset on only or order placing primary references returning select session_user ' +
    'some symmetric table then to trailing true union unique user using variadic when where ' +
    'window with'
  ).split(' '),
);

/** A name as SQL needs it: bare when it is a plain lower-case word, double-quoted otherwise. */
export function sqlIdentifier(name: string): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table`, each part quoted if it needs it. */
export function sqlTableName(schema: string, table: string): string {
  return `${sqlIdentifier(schema)}.${sqlIdentifier(table)}`;
}

const round = (n: number) => Number(n.toFixed(2)).toString();

interface GeometryLike {
  type: string;
  coordinates?: unknown;
  geometries?: unknown;
}

function asGeometry(value: unknown): GeometryLike | null {
  let candidate = value;
  if (typeof value === 'string') {
    if (!value.trimStart().startsWith('{')) return null;
    try {
      candidate = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  if (!candidate || typeof candidate !== 'object') return null;
  const { type } = candidate as { type?: unknown };
  return typeof type === 'string' && ('coordinates' in candidate || 'geometries' in candidate)
    ? (candidate as GeometryLike)
    : null;
}

/** A geometry in a few characters: "Point (2.17, 41.38)", "Polygon", or "GEOMETRY". */
export function geometrySummary(value: unknown): string {
  const geometry = asGeometry(value);
  if (geometry) {
    const [x, y] = Array.isArray(geometry.coordinates) ? (geometry.coordinates as unknown[]) : [];
    if (geometry.type === 'Point' && typeof x === 'number' && typeof y === 'number')
      return `Point (${round(x)}, ${round(y)})`;
    const parts = Array.isArray(geometry.coordinates) ? geometry.coordinates.length : null;
    return geometry.type.startsWith('Multi') && parts !== null
      ? `${geometry.type} (${parts} parts)`
      : geometry.type;
  }
  if (typeof value === 'string') {
    const point = /^\s*POINT\s*\(\s*(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)\s*\)/i.exec(value);
    if (point) return `Point (${round(Number(point[1]))}, ${round(Number(point[2]))})`;
    const wkt = /^\s*([A-Z]+)\s*(Z|M|ZM)?\s*\(/i.exec(value)?.[1];
    if (wkt) return wkt.charAt(0).toUpperCase() + wkt.slice(1).toLowerCase();
  }
  return 'GEOMETRY';
}

/** Whether a result column holds geometries: by its type, or by the usual name and a value. */
export function isGeometryColumn(
  column: { name: string; type: string },
  sample?: unknown,
): boolean {
  if (/geometry|geography/i.test(column.type)) return true;
  return column.name === 'geom' && (sample === undefined || asGeometry(sample) !== null);
}

/** A cell as text: null as "NULL", objects as JSON, geometries summarised. */
export function cellText(value: unknown, geometry: boolean): string {
  if (value === null || value === undefined) return 'NULL';
  if (geometry) return geometrySummary(value);
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return '';
}

/** Rows per page of the results table. */
export const PAGE_SIZE = 50;

/** The user's query as a subquery: on a line of its own, without its closing semicolons. */
const asSubquery = (q: string) => `(\n${queryBody(q)}\n) AS sql_console`;

/** The query without trailing semicolons and spaces (what the Maps API wraps too). */
export function queryBody(q: string): string {
  return q.replace(/[\s;]+$/, '');
}

/**
 * One page of the query's rows, paged by the SQL API (LIMIT/OFFSET around the query): a
 * query may return more rows than the API answers with at once, and a page is all the table
 * shows. The query starts on the second line: see `userLines`.
 */
export function pageQuery(q: string, page: number): string {
  return `SELECT * FROM ${asSubquery(q)}\nLIMIT ${PAGE_SIZE} OFFSET ${page * PAGE_SIZE}`;
}

/** How many rows the query returns (the column `row_count`). */
export function countQuery(q: string): string {
  return `SELECT COUNT(*) AS row_count FROM ${asSubquery(q)}`;
}

/**
 * An error about a query wrapped by `pageQuery` or `countQuery`, with its line numbers those
 * of the user's text (the wrapper adds one line before it; columns are unchanged).
 */
export function userLines(message: string): string {
  const up = (n: string) => String(Math.max(1, Number(n) - 1));
  return message
    .replace(/(line )(\d+)(, column \d+)/gi, (_m, a: string, n: string, c: string) => a + up(n) + c)
    .replace(/LINE (\d+):/g, (_m, n: string) => `LINE ${up(n)}:`);
}
