import { http, HttpResponse } from 'msw';
import type { Middleware, MiddlewareAPI } from '@reduxjs/toolkit';
import { screen, within } from '@testing-library/react';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { logout, startLogin } from '../../../src/features/oauth/oauthThunks';
import { startOAuthSession } from '../../../src/features/oauth/oauthEffects';
import { LoginError } from '../../../src/features/oauth/LoginError';
import { loggedOut, userDataCleared } from '../../../src/features/oauth/oauthSlice';
import {
  broadcastSessionChannel,
  createOAuthRuntime,
} from '../../../src/features/oauth/oauthRuntime';
import { dynamicMiddleware, type AppStore } from '../../../src/store/store';
import { server } from '../../mocks/server';
import { EMULATOR_URL, resetTestEmulator } from '../../mocks/emulator';
import { addUserWork, makeOAuthTestStore } from '../../utils/oauthTestStore';
import { renderWithProviders } from '../../utils/renderWithProviders';

/** The action types each store saw, in order (one dynamic middleware serves every store). */
const seen: { api: MiddlewareAPI; type: string }[] = [];
const recorder: Middleware = (api) => (next) => (action) => {
  if (typeof action === 'object' && action !== null && 'type' in action) {
    seen.push({ api, type: String(action.type) });
  }
  return next(action);
};
/** Each store has its own state object, so the current state tells the stores apart. */
const actionsOf = (store: AppStore) =>
  seen.filter(({ api }) => api.getState() === store.getState()).map(({ type }) => type);

/** The real check the app makes (a no-cors fetch of the discovery document), through MSW. */
const realServerAnswers = createOAuthRuntime().serverAnswers;

/** Everything on `origin` fails as a refused connection would. */
const serverDown = (origin: string) =>
  server.use(http.all(`${origin}/*`, () => HttpResponse.error()));

beforeAll(() => {
  dynamicMiddleware.addMiddleware(recorder);
});

beforeEach(async () => {
  await resetTestEmulator();
  seen.length = 0;
});

describe('login while the authorization server is unreachable', () => {
  // Its own issuer: discovery is cached per issuer, and this one never answered.
  const DOWN = 'http://localhost:8698';

  it('closes the window before it shows a browser error page, says so plainly, loses nothing', async () => {
    const { store, popups } = makeOAuthTestStore({ oauth: { authorizationServer: DOWN } });
    addUserWork(store);
    const before = { sources: store.getState().sources, map: store.getState().map };
    serverDown(DOWN);
    expect(await store.dispatch(startLogin())).toBe(false);
    expect(popups[0]!.closed).toBe(true);
    expect(popups[0]!.navigations).toEqual([]);
    expect(store.getState().oauth.error).toEqual({
      code: 'network_error',
      message:
        'Could not reach CARTO’s login at http://localhost:8698. Check your connection and try again.',
    });
    expect(store.getState().sources).toBe(before.sources);
    expect(store.getState().map).toBe(before.map);

    renderWithProviders(<LoginError />, { store });
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Could not reach CARTO’s login at http://localhost:8698.');
    // Not a developer problem: no callback URL to register.
    expect(alert).not.toHaveTextContent('callback');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeEnabled();
  });
});

describe('logout while the authorization server is unreachable', () => {
  it('logs out here, stays on the app, and offers to end the CARTO session again', async () => {
    const { store, runtime } = makeOAuthTestStore({
      runtime: { serverAnswers: realServerAnswers },
    });
    expect(await store.dispatch(startLogin())).toBe(true);
    serverDown(EMULATOR_URL);
    await store.dispatch(logout());

    expect(runtime.navigate).not.toHaveBeenCalled();
    expect(store.getState().oauth.session).toBeNull();
    expect(runtime.vault.refreshToken).toBeNull();
    expect(store.getState().oauth.serverLogout).toEqual({
      server: EMULATOR_URL,
      returnTo: 'http://localhost:5173/',
    });
    const { user } = renderWithProviders(<LoginError />, { store });
    const notice = screen.getByRole('alert');
    expect(notice).toHaveTextContent(
      'You are logged out of this app, but your CARTO session could not be ended: CARTO’s login at http://localhost:8600 did not answer.',
    );

    // Back online: the retry ends the server session.
    server.resetHandlers();
    await user.click(within(notice).getByRole('button', { name: 'Try again' }));
    await vi.waitFor(() =>
      expect(runtime.navigate).toHaveBeenCalledWith(
        `${EMULATOR_URL}/v2/logout?client_id=spa&returnTo=${encodeURIComponent('http://localhost:5173/')}`,
      ),
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('with the server up, the tab goes to its logout URL', async () => {
    const { store, runtime } = makeOAuthTestStore({
      runtime: { serverAnswers: realServerAnswers },
    });
    await store.dispatch(startLogin());
    await store.dispatch(logout());
    expect(runtime.navigate).toHaveBeenCalledTimes(1);
    expect(store.getState().oauth.serverLogout).toBeNull();
  });
});

describe('logout drops what belongs to the user, in every tab', () => {
  it('both the tab that logs out and the other tabs dispatch userDataCleared after loggedOut', async () => {
    const name = `test-user-data-${Date.now()}`;
    const a = makeOAuthTestStore({ runtime: { channel: broadcastSessionChannel(name) } });
    const b = makeOAuthTestStore({ runtime: { channel: broadcastSessionChannel(name) } });
    startOAuthSession(a.store, a.runtime);
    startOAuthSession(b.store, b.runtime);
    await a.store.dispatch(startLogin());
    await vi.waitFor(() => expect(b.store.getState().oauth.status).toBe('authenticated'));

    await a.store.dispatch(logout());
    await vi.waitFor(() => expect(actionsOf(b.store)).toContain(userDataCleared.type));
    for (const store of [a.store, b.store]) {
      const types = actionsOf(store);
      expect(types.filter((t) => t === userDataCleared.type)).toHaveLength(1);
      expect(types.indexOf(userDataCleared.type)).toBe(types.indexOf(loggedOut.type) + 1);
    }
  });
});
