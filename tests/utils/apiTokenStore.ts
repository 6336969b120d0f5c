import { makeStore, preloadedStateFromConfig } from '../../src/store/store';
import { initialState } from '../../src/store/initialStateSlice';
import { createOAuthRuntime } from '../../src/features/oauth/oauthRuntime';
import { EMULATOR_URL } from '../mocks/emulator';
import { API_TOKEN } from './emulatorHarness';

/**
 * A real store in API-token mode, as `VITE_CARTO_CLIENT_ID=none` with
 * `VITE_CARTO_API_ACCESS_TOKEN` makes it: no login, the token (the test emulator's API access
 * token, which reads `demo.populated_places` only) used as is.
 */
export function makeApiTokenStore(apiAccessToken = API_TOKEN) {
  return makeStore(
    preloadedStateFromConfig({
      ...initialState,
      apiBaseUrl: EMULATOR_URL,
      apiAccessToken,
      oauth: { ...initialState.oauth, clientId: '' },
    }),
    { oauthRuntime: createOAuthRuntime({ locks: null }) },
  );
}
