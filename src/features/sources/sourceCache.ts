/**
 * Sources as the map holds them, apart from @carto/api-client (cartoSources.ts), which loads
 * only when a source is instantiated.
 */
import type { TilejsonResult } from '@carto/api-client';
import type { CartoCredentials } from '../../../protocol/oauthTypes';
import type { FilteredSource, SourceDescriptor } from './sourcesSlice';

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

/** Turns a descriptor and the credentials to use into a source's TileJSON. */
export type SourceLoader = (
  descriptor: FilteredSource,
  credentials: CartoCredentials,
) => Promise<TilejsonResult>;

/**
 * Sources by descriptor (not by token): a renewed token updates the resolved TileJSONs in place,
 * so deck.gl keeps its tiles and only new tile requests carry the new token. The app loads
 * through its data layer (src/api/cartoApi.ts), which calls `toCartoSource`.
 */
export class SourceCache {
  private readonly entries = new Map<
    string,
    { promise: Promise<TilejsonResult>; tilejson?: TilejsonResult }
  >();

  constructor(private readonly load: SourceLoader) {}

  private static key(descriptor: FilteredSource, credentials: CartoCredentials | null): string {
    return JSON.stringify([
      { ...descriptor, credentials: undefined },
      credentials?.apiBaseUrl ?? null,
    ]);
  }

  get(descriptor: FilteredSource, current: CartoCredentials | null): Promise<TilejsonResult> {
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

  /**
   * When the credentials go (logout, or an ended session): nothing loaded with them is kept;
   * the sources are loaded again with the next login's.
   */
  clear(): void {
    this.entries.clear();
  }

  /** After a renewal: resolved sources that use the logged-in user's token get the new one. */
  updateToken(previous: string, next: string): void {
    for (const entry of this.entries.values()) {
      if (entry.tilejson?.accessToken === previous) entry.tilejson.accessToken = next;
    }
  }
}
