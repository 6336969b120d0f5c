import { combineSlices, configureStore } from '@reduxjs/toolkit';
import { oauthSlice, oauthStateFromConfig } from '../features/oauth/oauthSlice';
import { sourcesSlice } from '../features/sources/sourcesSlice';
import { mapSlice, mapStateFromConfig } from '../features/map/mapSlice';
import { widgetsSlice } from '../features/widgets/widgetsSlice';
import { listenerMiddleware } from './listeners';
import type { AppConfig } from '../config/configTypes';

const rootReducer = combineSlices(oauthSlice, sourcesSlice, mapSlice, widgetsSlice);

export type RootState = ReturnType<typeof rootReducer>;

export function makeStore(preloadedState?: Partial<RootState>) {
  return configureStore({
    reducer: rootReducer,
    preloadedState,
    middleware: (getDefaultMiddleware) =>
      getDefaultMiddleware().prepend(listenerMiddleware.middleware),
  });
}

/** The state a store starts from for a validated configuration (defaults + `VITE_*`). */
export function preloadedStateFromConfig(config: AppConfig): Partial<RootState> {
  return { oauth: oauthStateFromConfig(config), map: mapStateFromConfig(config) };
}

export type AppStore = ReturnType<typeof makeStore>;
export type AppDispatch = AppStore['dispatch'];
