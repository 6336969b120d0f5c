import { createListenerMiddleware, type TypedStartListening } from '@reduxjs/toolkit';
import type { AppDispatch, RootState, ThunkExtra } from './store';
import { registerOAuthListeners } from '../features/oauth/oauthEffects';

export type AppStartListening = TypedStartListening<RootState, AppDispatch, ThunkExtra>;

/**
 * Effects (storage, timers, cross-tab sync, token renewal, the map link in the URL) live in
 * listeners, never in reducers. One middleware per store, so stores (tabs, in tests) never
 * cancel each other.
 */
/** The address bar, as the map link listener sees it (an effect, so tests can observe it). */
export interface MapUrl {
  /** The current hash, with its `#` (or ''). */
  read(): string;
  /** Replaces the hash: no new history entry; path, query and the router's state stay. */
  write(hash: string): void;
}

export function windowMapUrl(win: Window = window): MapUrl {
  return {
    read: () => win.location.hash,
    write: (hash) => {
      const { pathname, search } = win.location;
      // react-router keeps its own data (key, index) in history.state: hand it back unchanged.
      win.history.replaceState(win.history.state, '', `${pathname}${search}${hash}`);
    },
  };
}

/** How long what the link describes must stay still before the link is written. */
export const MAP_URL_DEBOUNCE_MS = 300;

/**
 * Writes the map link (src/features/map/mapUrl.ts) to the address bar when what it says changed:
 * the view, the basemap, the layers, the sources, or the widgets' filters and panels
 * (src/features/widgets/widgetsUrl.ts), whichever action changed them (and a logout that clears
 * the user's layers). Debounced. A change that leaves
 * the link as it was (a logout with no layers, a view that rounds the same) writes nothing, so
 * a page opened without a hash keeps its URL until the map really changes.
 */
function registerMapUrlListener(startAppListening: AppStartListening) {
  // Per store: the state before the first change, then the last link written.
  let before: RootState | null = null;
  let last: string | null = null;
  startAppListening({
    predicate: (_action, current, previous) =>
      current.map.viewState !== previous.map.viewState ||
      current.map.basemap !== previous.map.basemap ||
      current.map.basemapNotice !== previous.map.basemapNotice ||
      current.map.layers !== previous.map.layers ||
      current.sources !== previous.sources ||
      current.widgets !== previous.widgets,
    effect: async (_action, api) => {
      const url = api.extra.mapUrl;
      if (!url) return;
      before ??= api.getOriginalState();
      api.cancelActiveListeners();
      await api.delay(MAP_URL_DEBOUNCE_MS);
      let link: (state: RootState) => string;
      try {
        const { linkEncoder } = await import('../features/map/mapUrl');
        link = await linkEncoder([before, api.getState()]);
      } catch {
        return; // the chunk could not be loaded (offline, a newer deploy): the next change retries
      }
      api.throwIfCancelled();
      last ??= link(before);
      const hash = link(api.getState());
      if (hash === last) return;
      last = hash;
      if (url.read() !== hash) url.write(hash);
    },
  });
}

export function createAppListenerMiddleware(extra: ThunkExtra) {
  const middleware = createListenerMiddleware({ extra });
  const startAppListening = middleware.startListening as AppStartListening;
  registerOAuthListeners(startAppListening);
  registerMapUrlListener(startAppListening);
  return middleware;
}
