/**
 * CARTO Analytics Toolbox functions that turn points into spatial-index cells, so that a query
 * source can aggregate a point table to cells on the fly (dynamic tiling), as CARTO's clustering
 * and spatial-index examples do: `SELECT QUADBIN_FROMGEOGPOINT(geom, 14) AS quadbin, ... FROM t`
 * with `quadbinQuerySource`.
 *
 * - `QUADBIN_FROMLONGLAT(longitude, latitude, resolution)` and
 *   `QUADBIN_FROMGEOGPOINT(point, resolution)`: the quadbin cell (BIGINT) of a point at a
 *   resolution from 0 to 26, the same cell as the `quadbin` package's (Web Mercator tile, its x
 *   and y bits interleaved). Latitudes are clamped to Web Mercator's ±85.051128°, as CARTO does.
 *
 * SQL macros (not JavaScript functions): DuckDB runs them in its own threads, vectorised, so
 * 135,000 points cost what any other aggregation of them does. A resolution outside 0–26 is an
 * error that names the function.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

/** Names client SQL may call (the SQL guard's allow-list takes them from here). */
export const INDEX_FUNCTIONS = ['quadbin_fromlonglat', 'quadbin_fromgeogpoint'] as const;

/** Each byte's 8 bits spread over the even bits of 16 (Morton order), as a SQL list literal. */
const SPREAD_BYTE = `[${Array.from({ length: 256 }, (_, byte) => {
  let spread = 0;
  for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) spread += 2 ** (2 * bit);
  return spread;
}).join(',')}]::BIGINT[]`;

const MACROS = [
  // The 26 low bits of v over the even bits of 52, a byte at a time from a table: an argument
  // used a few times keeps the expression small (a shift-and-mask ladder repeats it 32 times,
  // and DuckDB then takes 200 ms to plan one call). 200,000 points take about 60 ms.
  `CREATE MACRO __quadbin_spread(v) AS
    (${SPREAD_BYTE})[(v & 255) + 1]
    | ((${SPREAD_BYTE})[((v >> 8) & 255) + 1] << 16)
    | ((${SPREAD_BYTE})[((v >> 16) & 255) + 1] << 32)
    | ((${SPREAD_BYTE})[((v >> 24) & 255) + 1] << 48)`,
  // The Web Mercator tile column and row of a longitude and latitude, among n = 2^resolution.
  `CREATE MACRO __quadbin_tile_x(lon, n) AS
    least(greatest(floor((lon + 180) / 360 * n)::BIGINT, 0), n - 1)`,
  `CREATE MACRO __quadbin_tile_y(lat, n) AS
    least(greatest(floor((0.5 - atanh(sin(radians(greatest(least(lat, 85.051128), -85.051128))))
      / (2 * pi())) * n)::BIGINT, 0), n - 1)`,
  // The cell: header (mode 1), resolution, Morton code, and the unused low bits set.
  `CREATE MACRO __quadbin_cell(lon, lat, r) AS
    5188146770730811392 | (r << 52)
    | ((__quadbin_spread(__quadbin_tile_x(lon, 1::BIGINT << r))
        | (__quadbin_spread(__quadbin_tile_y(lat, 1::BIGINT << r)) << 1)) << (52 - 2 * r))
    | ((1::BIGINT << (52 - 2 * r)) - 1)`,
  `CREATE MACRO quadbin_fromlonglat(lon, lat, r) AS
    CASE
      WHEN r IS NULL OR NOT (r >= 0 AND r <= 26 AND r = trunc(r))
        THEN error('QUADBIN_FROMLONGLAT: the resolution must be a whole number from 0 to 26, not '
          || coalesce(r::VARCHAR, 'NULL') || '.')
      WHEN lon IS NULL OR lat IS NULL THEN NULL
      ELSE __quadbin_cell(lon::DOUBLE, lat::DOUBLE, r::BIGINT)
    END`,
  `CREATE MACRO quadbin_fromgeogpoint(point, r) AS
    CASE
      WHEN point IS NULL THEN NULL
      WHEN json_extract_string(point::VARCHAR, '$.type') IS DISTINCT FROM 'Point'
        THEN error('QUADBIN_FROMGEOGPOINT: the geography must be a point.')
      ELSE quadbin_fromlonglat(
        json_extract(point::VARCHAR, '$.coordinates[0]')::DOUBLE,
        json_extract(point::VARCHAR, '$.coordinates[1]')::DOUBLE,
        r)
    END`,
];

/** Creates the functions (before the database's configuration is locked). */
export async function createIndexFunctions(connection: DuckDBConnection): Promise<void> {
  for (const sql of MACROS) await connection.run(sql);
}
