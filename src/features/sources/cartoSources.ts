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
import type { SourceDescriptor } from './sourcesSlice';

/**
 * The one place where credentials meet sources: a descriptor's own credentials win, otherwise
 * the logged-in user's are injected. Null when there are none (not logged in).
 */
export function credentialsFor(
  descriptor: SourceDescriptor,
  current: CartoCredentials | null,
): CartoCredentials | null {
  return descriptor.credentials ?? current;
}

/** Whether a source is fetched from CARTO (and so needs credentials). */
export const isRemoteSource = (descriptor: SourceDescriptor) => descriptor.type !== 'geojson';

export class MissingCredentialsError extends Error {
  constructor(sourceId: string) {
    super(`Log in with CARTO to load "${sourceId}".`);
    this.name = 'MissingCredentialsError';
  }
}

/** Turns a descriptor into a @carto/api-client source (a promise of its TileJSON). */
export function toCartoSource(
  descriptor: SourceDescriptor,
  current: CartoCredentials | null,
): Promise<TilejsonResult> {
  const credentials = credentialsFor(descriptor, current);
  if (!credentials) return Promise.reject(new MissingCredentialsError(descriptor.id));
  const common = {
    accessToken: credentials.accessToken,
    apiBaseUrl: credentials.apiBaseUrl,
    connectionName: descriptor.connection,
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

/** Turns a descriptor and the credentials to use into a source's TileJSON. */
export type SourceLoader = (
  descriptor: SourceDescriptor,
  credentials: CartoCredentials,
) => Promise<TilejsonResult>;

/**
 * Sources by descriptor (not by token): a renewed token updates the resolved TileJSONs in place,
 * so deck.gl keeps its tiles and only new tile requests carry the new token. The app loads
 * through its data layer (src/api/cartoApi.ts); the default loader calls CARTO directly.
 */
export class SourceCache {
  private readonly entries = new Map<
    string,
    { promise: Promise<TilejsonResult>; tilejson?: TilejsonResult }
  >();

  constructor(private readonly load: SourceLoader = toCartoSource) {}

  private static key(descriptor: SourceDescriptor, credentials: CartoCredentials | null): string {
    return JSON.stringify([
      { ...descriptor, credentials: undefined },
      credentials?.apiBaseUrl ?? null,
    ]);
  }

  get(descriptor: SourceDescriptor, current: CartoCredentials | null): Promise<TilejsonResult> {
    const credentials = credentialsFor(descriptor, current);
    const key = SourceCache.key(descriptor, credentials);
    const cached = this.entries.get(key);
    if (cached) return cached.promise;
    const entry: { promise: Promise<TilejsonResult>; tilejson?: TilejsonResult } = {
      promise: credentials
        ? this.load(descriptor, credentials)
        : Promise.reject(new MissingCredentialsError(descriptor.id)),
    };
    entry.promise.then(
      (tilejson) => {
        entry.tilejson = tilejson;
      },
      () => this.entries.delete(key),
    );
    this.entries.set(key, entry);
    return entry.promise;
  }

  /** After a renewal: resolved sources that use the logged-in user's token get the new one. */
  updateToken(previous: string, next: string): void {
    for (const entry of this.entries.values()) {
      if (entry.tilejson?.accessToken === previous) entry.tilejson.accessToken = next;
    }
  }
}
