import {
  h3QuerySource,
  h3TableSource,
  quadbinQuerySource,
  quadbinTableSource,
  vectorQuerySource,
  vectorTableSource,
  type TilejsonResult,
} from '@carto/api-client';
import type { CartoCredentials } from '../../../protocol/oauthTypes';
import type { FilteredSource } from './sourcesSlice';
import { credentialsFor, MissingCredentialsError } from './sourceCache';
import { retryTransient } from '../../api/transientRetry';

/** Turns a descriptor into a @carto/api-client source (a promise of its TileJSON). */
export function toCartoSource(
  descriptor: FilteredSource,
  current: CartoCredentials | null,
): Promise<TilejsonResult> {
  // A read: tried again when the Maps API is briefly unavailable or the connection dropped.
  return retryTransient(() => instantiate(descriptor, current), NEVER_ABORTED);
}

const NEVER_ABORTED = new AbortController().signal;

function instantiate(
  descriptor: FilteredSource,
  current: CartoCredentials | null,
): Promise<TilejsonResult> {
  const credentials = credentialsFor(descriptor, current);
  if (!credentials) return Promise.reject(new MissingCredentialsError(descriptor.id));
  const common = {
    accessToken: credentials.accessToken,
    apiBaseUrl: credentials.apiBaseUrl,
    connectionName: descriptor.connection,
    // The widgets' filters: the API serves only the matching features.
    ...(descriptor.filters && Object.keys(descriptor.filters).length > 0
      ? { filters: descriptor.filters }
      : {}),
    ...(descriptor.spatialDataColumn ? { spatialDataColumn: descriptor.spatialDataColumn } : {}),
  };
  const query = {
    ...common,
    sqlQuery: descriptor.data,
    ...(descriptor.queryParameters ? { queryParameters: descriptor.queryParameters } : {}),
  };
  const aggregation = {
    aggregationExp: descriptor.aggregationExp ?? 'sum(1) AS count',
    ...(descriptor.aggregationResLevel
      ? { aggregationResLevel: descriptor.aggregationResLevel }
      : {}),
  };
  switch (descriptor.type) {
    case 'table':
      return vectorTableSource({
        ...common,
        tableName: descriptor.data,
        ...(descriptor.columns ? { columns: descriptor.columns } : {}),
      });
    case 'query':
      return vectorQuerySource({
        ...query,
        ...(descriptor.columns ? { columns: descriptor.columns } : {}),
      });
    case 'tileset':
      // Left out until the app needs them: the emulator has no tilesets, and their widgets
      // need @carto/api-client's worker, which this build replaces (scripts/lib/bundlePlugins.ts).
      return Promise.reject(
        new Error('Tileset sources are not supported yet: use a table or a query.'),
      );
    case 'h3-table':
      return h3TableSource({ ...common, tableName: descriptor.data, ...aggregation });
    case 'h3-query':
      return h3QuerySource({ ...query, ...aggregation });
    case 'h3-tileset':
      return Promise.reject(new Error('H3 tilesets are not supported yet.'));
    case 'quadbin-table':
      return quadbinTableSource({ ...common, tableName: descriptor.data, ...aggregation });
    case 'quadbin-query':
      return quadbinQuerySource({ ...query, ...aggregation });
    case 'geojson':
      return Promise.reject(new Error('GeoJSON sources are drawn directly, not through CARTO.'));
  }
}
