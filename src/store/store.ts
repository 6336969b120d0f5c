import {
  combineSlices,
  configureStore,
  createDynamicMiddleware,
  type ThunkAction,
  type UnknownAction,
} from '@reduxjs/toolkit';
import { oauthSlice, oauthStateFromConfig } from '../features/oauth/oauthSlice';
import { sourcesSlice } from '../features/sources/sourcesSlice';
import { mapSlice, mapStateFromConfig } from '../features/map/mapSlice';
import { widgetsSlice } from '../features/widgets/widgetsSlice';
import { createOAuthRuntime, type OAuthRuntime } from '../features/oauth/oauthRuntime';
import { createAppListenerMiddleware, type MapUrl } from './listeners';
import type { AppConfig } from '../config/configTypes';

/**
 * Slices that lazy chunks inject (`rootReducer.inject`): the workspace chunk adds the CARTO
 * data layer (src/api/cartoApi.ts), so the first screen does not carry RTK Query.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by module augmentation
export interface LazyLoadedSlices {}

export const rootReducer = combineSlices(
  oauthSlice,
  sourcesSlice,
  mapSlice,
  widgetsSlice,
).withLazyLoadedSlices<LazyLoadedSlices>();

/** Middleware that lazy chunks add (RTK Query's), applied to every store. */
export const dynamicMiddleware = createDynamicMiddleware();

export type RootState = ReturnType<typeof rootReducer>;

/** What thunks and listeners get besides dispatch and getState: the effects they may use. */
export interface ThunkExtra {
  oauth: OAuthRuntime;
  /** The address bar the map link is written to; null: not written (the default, for tests). */
  mapUrl: MapUrl | null;
}

export interface MakeStoreOptions {
  oauthRuntime?: OAuthRuntime;
  mapUrl?: MapUrl | null;
}

export function makeStore(preloadedState?: Partial<RootState>, options: MakeStoreOptions = {}) {
  const extra: ThunkExtra = {
    oauth: options.oauthRuntime ?? createOAuthRuntime(),
    mapUrl: options.mapUrl ?? null,
  };
  const listeners = createAppListenerMiddleware(extra);
  return configureStore({
    reducer: rootReducer,
    preloadedState,
    middleware: (getDefaultMiddleware) =>
      getDefaultMiddleware({ thunk: { extraArgument: extra } })
        .prepend(listeners.middleware)
        .concat(dynamicMiddleware.middleware),
  });
}

/** The state a store starts from for a validated configuration (defaults + `VITE_*`). */
export function preloadedStateFromConfig(config: AppConfig): Partial<RootState> {
  return { oauth: oauthStateFromConfig(config), map: mapStateFromConfig(config) };
}

/**
 * The state a store starts from for a configuration and the page's hash (a map link, see
 * src/features/map/mapUrl.ts): the link's view and basemap replace the configured ones, and its
 * layers and their sources are added. Invalid parts of the link are ignored with a warning.
 * Without a hash the link's code is not even loaded (it is a lazy chunk).
 */
export async function preloadedStateFromUrl(
  config: AppConfig,
  hash: string,
): Promise<Partial<RootState>> {
  const fromConfig = preloadedStateFromConfig(config);
  if (hash === '' || hash === '#') return fromConfig;
  try {
    const { stateFromLink } = await import('../features/map/mapUrl');
    return { ...fromConfig, ...(await stateFromLink(mapStateFromConfig(config), hash)) };
  } catch (error) {
    console.warn('The map link could not be read; the configured map is shown.', error);
    return fromConfig;
  }
}

export type AppStore = ReturnType<typeof makeStore>;
export type AppDispatch = AppStore['dispatch'];
export type AppThunk<R = void> = ThunkAction<R, RootState, ThunkExtra, UnknownAction>;
