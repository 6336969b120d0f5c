import { createListenerMiddleware, type TypedStartListening } from '@reduxjs/toolkit';
import type { AppDispatch, RootState, ThunkExtra } from './store';
import { registerOAuthListeners } from '../features/oauth/oauthEffects';

export type AppStartListening = TypedStartListening<RootState, AppDispatch, ThunkExtra>;

/**
 * Effects (storage, timers, cross-tab sync, token renewal) live in listeners, never in
 * reducers. One middleware per store, so stores (tabs, in tests) never cancel each other.
 */
export function createAppListenerMiddleware(extra: ThunkExtra) {
  const middleware = createListenerMiddleware({ extra });
  const startAppListening = middleware.startListening as AppStartListening;
  registerOAuthListeners(startAppListening);
  return middleware;
}
