import { createHash } from 'node:crypto';
import { QueryError } from '../database';
import { keyJsonText } from '../exactJson';
import { textParam } from '../textParam';
import { DEFAULT_AGGREGATION_RES_LEVEL } from '../spatialIndex';
import { DEFAULT_H3_AGGREGATION_RES_LEVEL } from '../h3Index';

/** What a client instantiated: enough to rebuild the source on every later request. */
export interface MapSourceSpec {
  connection: string;
  type: 'table' | 'query';
  name?: string;
  q?: string;
  queryParameters?: unknown;
  columns: string[] | null;
  filters?: unknown;
  filtersLogicalOperator?: unknown;
  spatialDataColumn: string;
  spatialDataType: string;
  aggregationExp?: string;
  aggregationResLevel?: number;
}

export type SpatialIndexType = 'quadbin' | 'h3';

export const isSpatialIndex = (type: string): type is SpatialIndexType =>
  type === 'quadbin' || type === 'h3';

/** The `{table|query|tileset}` of a maps URL; checked before the body is read. */
export function sourceType(type: string): 'table' | 'query' {
  if (type === 'tileset') {
    throw new QueryError(
      'Tilesets are not available in the emulator: use a table or a query source.',
    );
  }
  if (type !== 'table' && type !== 'query') throw new QueryError(`Unknown source type "${type}"`);
  return type;
}

function parseColumns(raw: unknown): string[] | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw !== 'string') throw new QueryError('columns must be a comma-separated list.');
  return raw
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
}

/** The request's parameters as a spec; malformed ones are a 400 here, unknown columns later. */
export function parseMapSpec(
  connection: string,
  type: 'table' | 'query',
  params: Record<string, unknown>,
): MapSourceSpec {
  const spatialDataType = textParam(params.spatialDataType, 'spatialDataType', 'geo');
  const level = textParam(params.aggregationResLevel, 'aggregationResLevel', '');
  const aggregationExp = textParam(params.aggregationExp, 'aggregationExp', '');
  return {
    connection,
    type,
    ...(type === 'table'
      ? { name: textParam(params.name, 'name') }
      : { q: textParam(params.q, 'q'), queryParameters: params.queryParameters }),
    columns: parseColumns(params.columns),
    filters: params.filters,
    filtersLogicalOperator: params.filtersLogicalOperator,
    spatialDataColumn: textParam(
      params.spatialDataColumn,
      'spatialDataColumn',
      spatialDataType === 'geo' ? 'geom' : spatialDataType,
    ),
    spatialDataType,
    ...(isSpatialIndex(spatialDataType)
      ? {
          ...(aggregationExp ? { aggregationExp } : {}),
          aggregationResLevel:
            level !== ''
              ? Number(level)
              : spatialDataType === 'h3'
                ? DEFAULT_H3_AGGREGATION_RES_LEVEL
                : DEFAULT_AGGREGATION_RES_LEVEL,
        }
      : {}),
  };
}

/** The same spec always gets the same id (so its tiles stay cached across instantiations). */
export function specId(spec: MapSourceSpec): string {
  return createHash('sha256').update(keyJsonText(spec)).digest('hex').slice(0, 32);
}
