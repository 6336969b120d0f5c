/**
 * CARTO Analytics Toolbox functions that turn points into H3 cells, so that an H3 query source
 * can aggregate a point table on the fly (dynamic tiling), as the quadbin macros in
 * `indexFunctions.ts` do for quadbin:
 * `SELECT H3_FROMGEOGPOINT(geom, 5) AS h3, SUM(population) AS population FROM t GROUP BY 1`.
 *
 * - `H3_FROMLONGLAT(longitude, latitude, resolution)` and `H3_FROMGEOGPOINT(point, resolution)`:
 *   the H3 cell of a point at a resolution from 0 to 15, as hex text (BigQuery's and
 *   Snowflake's Analytics Toolbox return a STRING), the same cell as h3-js's `latLngToCell`.
 *
 * H3's icosahedral projection is not SQL arithmetic (quadbin's is), so these are DuckDB scalar
 * functions in JavaScript over h3-js: about 2 µs a point. A bad argument is an error that names
 * the function.
 */
import {
  ANY,
  DOUBLE,
  DuckDBScalarFunction,
  VARCHAR,
  type DuckDBConnection,
} from '@duckdb/node-api';
import { latLngToCell } from 'h3-js';
import { isGeometry } from './geometry';

const MAX_RESOLUTION = 15;

class H3ArgumentError extends Error {}

function resolutionOf(fn: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_RESOLUTION)
    throw new H3ArgumentError(
      `${fn}: the resolution must be a whole number from 0 to ${MAX_RESOLUTION}, not ${String(value)}.`,
    );
  return value;
}

function cellOf(fn: string, lng: unknown, lat: unknown, resolution: number): string {
  if (typeof lng !== 'number' || typeof lat !== 'number' || !(Math.abs(lat) <= 90))
    throw new H3ArgumentError(
      `${fn}: [${String(lng)}, ${String(lat)}] is not a longitude and latitude (latitude in [-90, 90]).`,
    );
  if (!Number.isFinite(lng))
    throw new H3ArgumentError(`${fn}: the longitude must be a finite number, not ${lng}.`);
  return latLngToCell(lat, lng, resolution);
}

/** The point of a GeoJSON text (the emulator's geographies), or an error naming `fn`. */
function pointOf(fn: string, text: unknown): [unknown, unknown] {
  let value: unknown = null;
  if (typeof text === 'string' && text.length <= 1000) {
    try {
      value = JSON.parse(text);
    } catch {
      // Not GeoJSON: answered below.
    }
  }
  if (!isGeometry(value) || value.type !== 'Point')
    throw new H3ArgumentError(`${fn}: the geography must be a point.`);
  return [value.coordinates[0], value.coordinates[1]];
}

interface Spec {
  name: string;
  parameters: [typeof DOUBLE | typeof ANY, ...(typeof DOUBLE)[]];
  cell: (args: unknown[]) => string;
}

const SPECS: Spec[] = [
  {
    name: 'h3_fromlonglat',
    parameters: [DOUBLE, DOUBLE, DOUBLE],
    cell: ([lng, lat, r]) => cellOf('H3_FROMLONGLAT', lng, lat, resolutionOf('H3_FROMLONGLAT', r)),
  },
  {
    name: 'h3_fromgeogpoint',
    // Any type at binding (DuckDB does not cast the GEOGRAPHY alias to VARCHAR by itself),
    // checked to be text when the function runs.
    parameters: [ANY, DOUBLE],
    cell: ([point, r]) => {
      const resolution = resolutionOf('H3_FROMGEOGPOINT', r);
      const [lng, lat] = pointOf('H3_FROMGEOGPOINT', point);
      return cellOf('H3_FROMGEOGPOINT', lng, lat, resolution);
    },
  },
];

/** Names client SQL may call (the SQL guard's allow-list takes them from here). */
export const H3_FUNCTIONS: readonly string[] = SPECS.map((spec) => spec.name);

/** Registers the functions on the instance of `connection` (before its configuration is locked). */
export function registerH3Functions(connection: DuckDBConnection): void {
  for (const spec of SPECS) {
    connection.registerScalarFunction(
      DuckDBScalarFunction.create({
        name: spec.name,
        returnType: VARCHAR,
        parameterTypes: spec.parameters,
        mainFunction: (info, input, output) => {
          const first = input.getColumnVector(0).type;
          if (spec.parameters[0] === ANY && first.typeId !== VARCHAR.typeId) {
            info.setError(
              `${spec.name.toUpperCase()}: argument 1 must be a geography (GeoJSON text, e.g. ST_GEOGPOINT(lng, lat) or a geom column), not ${first.toString()}.`,
            );
            return;
          }
          const columns = spec.parameters.map((_, i) => input.getColumnValues(i));
          try {
            for (let row = 0; row < input.rowCount; row++) {
              const args = columns.map((column) => column[row] ?? null);
              output.setItem(row, args.includes(null) ? null : spec.cell(args));
            }
            output.flush();
          } catch (error) {
            info.setError(
              error instanceof H3ArgumentError
                ? error.message
                : `${spec.name.toUpperCase()}: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        },
      }),
    );
  }
}
