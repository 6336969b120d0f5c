import { vi } from 'vitest';
import { makeStore, preloadedStateFromConfig, type AppStore } from '../../src/store/store';
import { sourceAdded } from '../../src/features/sources/sourcesSlice';
import { mapResized, viewStateChanged } from '../../src/features/map/mapSlice';
import { initialState } from '../../src/store/initialStateSlice';
import { createOAuthRuntime, type OAuthRuntime } from '../../src/features/oauth/oauthRuntime';
import type { AppConfig, OAuthConfig } from '../../src/config/configTypes';
import { EMULATOR_URL } from '../mocks/emulator';
import { FakePopup, type FakePopupOptions } from './fakePopup';
import { startLogin } from '../../src/features/oauth/oauthThunks';

export const TEST_SCOPES = ['read:current_user', 'datasets:r:*', 'offline_access'];

/** A real store configured for the test emulator's `spa` client, with a fake login window. */
export function makeOAuthTestStore(
  options: {
    popup?: FakePopupOptions;
    runtime?: Partial<OAuthRuntime>;
    oauth?: Partial<OAuthConfig>;
  } = {},
) {
  const popups: FakePopup[] = [];
  const runtime = createOAuthRuntime({
    openPopup: () => {
      const popup = new FakePopup(options.popup);
      popups.push(popup);
      return popup.asWindow();
    },
    navigate: vi.fn(),
    locks: null,
    serverAnswers: vi.fn(() => Promise.resolve(true)),
    ...options.runtime,
    waitOptions: {
      pollMs: 20,
      closedGraceMs: 200,
      timeoutMs: 10_000,
      // jsdom's document never has the focus: say the app has it, as it does once a window
      // the user closed hands it back (tests of a COOP cut say otherwise).
      openerHasFocus: () => true,
      ...options.runtime?.waitOptions,
    },
  });
  const config: AppConfig = {
    ...initialState,
    apiBaseUrl: EMULATOR_URL,
    oauth: {
      ...initialState.oauth,
      clientId: 'spa',
      authorizationServer: EMULATOR_URL,
      scopes: TEST_SCOPES,
      ...options.oauth,
    },
  };
  const store = makeStore(preloadedStateFromConfig(config), { oauthRuntime: runtime });
  return { store, runtime, popups };
}

/**
 * A store logged in through the emulator whose access token has just been revoked: the next
 * CARTO call gets a 401 and must renew with the refresh token.
 */
export async function storeWithRevokedToken(scopes: string[]) {
  const { store } = makeOAuthTestStore({ oauth: { scopes } });
  await store.dispatch(startLogin());
  const revoked = store.getState().oauth.session?.accessToken ?? '';
  await fetch(`${EMULATOR_URL}/oauth/revoke`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: revoked, client_id: 'spa' }),
  });
  return { store, revoked };
}

/** Puts some of the user's work in the store (a source and a moved view), to check it stays. */
export function addUserWork(store: AppStore) {
  store.dispatch(sourceAdded({ id: 's', type: 'table', connection: 'c', data: 't' }));
  store.dispatch(viewStateChanged({ longitude: 2, latitude: 41, zoom: 9, pitch: 0, bearing: 0 }));
}

/**
 * What the app's map does once drawn next to the panel: it reports its size, so widgets know
 * what is in view (they wait for it). For tests that render a view without the map.
 */
export function mapDrawn(store: AppStore, size = { width: 800, height: 600 }) {
  store.dispatch(mapResized(size));
}
