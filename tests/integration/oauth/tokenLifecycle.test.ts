import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createCartoFetch } from '../../../src/api/cartoFetch';
import { logout, renewSession, startLogin } from '../../../src/features/oauth/oauthThunks';
import { startOAuthSession, storageKey } from '../../../src/features/oauth/oauthEffects';
import { selectOAuthCredentials } from '../../../src/features/oauth/oauthSlice';
import { broadcastSessionChannel } from '../../../src/features/oauth/oauthRuntime';
import { EMULATOR_URL, resetTestEmulator } from '../../mocks/emulator';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
import { testClock } from '../../utils/emulatorHarness';
import { inProcessLocks } from '../../utils/inProcessLocks';
import type { AppStore } from '../../../src/store/store';

beforeEach(async () => {
  await resetTestEmulator();
  localStorage.clear();
  sessionStorage.clear();
});

const token = (store: AppStore) => store.getState().oauth.session?.accessToken ?? '';
const userinfo = (accessToken: string) =>
  fetch(`${EMULATOR_URL}/userinfo`, { headers: { Authorization: `Bearer ${accessToken}` } });

let channelCounter = 0;
const uniqueChannel = () => `test-session-${++channelCounter}-${Date.now()}`;

describe('expiry and renewal', () => {
  it('a token valid for months is not treated as expiring (timers max out at ~24.8 days)', async () => {
    const { store } = makeOAuthTestStore();
    store.dispatch({
      type: 'oauth/loginSucceeded',
      payload: {
        accessToken: 'long',
        expiresAt: Date.now() + 90 * 86_400_000,
        grantedScopes: [],
        user: null,
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(store.getState().oauth.status).toBe('authenticated');
  });

  it('renews 60 s before expiry with the refresh token, without a popup', async () => {
    await resetTestEmulator({ config: { accessTokenTtlSeconds: 61 } });
    const { store, popups } = makeOAuthTestStore();
    await store.dispatch(startLogin());
    const first = token(store);
    expect(store.getState().oauth.session?.expiresAt).toBeLessThan(Date.now() + 62_000);
    await vi.waitFor(() => expect(token(store)).not.toBe(first), { timeout: 4000 });
    expect(popups).toHaveLength(1);
    expect(store.getState().oauth.status).toBe('authenticated');
    expect((await userinfo(token(store))).status).toBe(200);
  });

  it('without a refresh token, expiry shows the session-expired prompt and keeps the user', async () => {
    await resetTestEmulator({ config: { accessTokenTtlSeconds: 61 } });
    const { store } = makeOAuthTestStore({ oauth: { scopes: ['read:current_user'] } });
    await store.dispatch(startLogin());
    await vi.waitFor(() => expect(store.getState().oauth.status).toBe('expired'), {
      timeout: 4000,
    });
    expect(store.getState().oauth.session?.user?.name).toBe('Demo User');
    expect(selectOAuthCredentials(store.getState())).toBeNull();
  });

  it.each([
    ['ahead', 5 * 60_000],
    ['behind', -5 * 60_000],
  ])('a server clock 5 minutes %s does not break login or refresh', async (_name, skew) => {
    await resetTestEmulator({ clock: testClock(Date.now() + skew) });
    const { store } = makeOAuthTestStore();
    expect(await store.dispatch(startLogin())).toBe(true);
    const expiresAt = store.getState().oauth.session?.expiresAt ?? 0;
    // Expiry comes from expires_in on our own clock, whatever the server's clock says.
    expect(Math.abs(expiresAt - (Date.now() + 300_000))).toBeLessThan(5000);
    expect(await store.dispatch(renewSession())).toBe(true);
  });

  it('refresh rotates the token; concurrent renewals in one tab share one request', async () => {
    const { store, runtime } = makeOAuthTestStore();
    await store.dispatch(startLogin());
    const firstRefresh = runtime.vault.refreshToken;
    const results = await Promise.all([
      store.dispatch(renewSession()),
      store.dispatch(renewSession()),
    ]);
    expect(results).toEqual([true, true]);
    expect(runtime.vault.refreshToken).not.toBe(firstRefresh);
    expect(await store.dispatch(renewSession())).toBe(true);
    expect((await userinfo(token(store))).status).toBe(200);
  });
});

describe('a 401 from a CARTO call', () => {
  it('renews once and retries once', async () => {
    const { store } = makeOAuthTestStore();
    await store.dispatch(startLogin());
    const old = token(store);
    await fetch(`${EMULATOR_URL}/oauth/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: old, client_id: 'spa' }),
    });
    const cartoFetch = createCartoFetch(store);
    const response = await cartoFetch(`${EMULATOR_URL}/userinfo`);
    expect(response.status).toBe(200);
    expect(token(store)).not.toBe(old);
    expect(store.getState().oauth.status).toBe('authenticated');
  });

  it('then prompts to log in again when renewal is impossible, keeping the data', async () => {
    const { store, runtime } = makeOAuthTestStore();
    await store.dispatch(startLogin());
    store.dispatch({
      type: 'sources/sourceAdded',
      payload: { id: 's', type: 'table', connection: 'c', data: 't' },
    });
    await fetch(`${EMULATOR_URL}/oauth/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: runtime.vault.refreshToken ?? '', client_id: 'spa' }),
    });
    const response = await createCartoFetch(store)(`${EMULATOR_URL}/userinfo`);
    expect(response.status).toBe(401);
    expect(store.getState().oauth.status).toBe('expired');
    expect(store.getState().sources.ids).toEqual(['s']);
  });
});

describe('several tabs', () => {
  it('logout in one tab logs out the others', async () => {
    const name = uniqueChannel();
    const a = makeOAuthTestStore({ runtime: { channel: broadcastSessionChannel(name) } });
    const b = makeOAuthTestStore({ runtime: { channel: broadcastSessionChannel(name) } });
    startOAuthSession(a.store, a.runtime);
    startOAuthSession(b.store, b.runtime);
    await a.store.dispatch(startLogin());
    await vi.waitFor(() => expect(b.store.getState().oauth.status).toBe('authenticated'));
    await a.store.dispatch(logout());
    await vi.waitFor(() => expect(b.store.getState().oauth.session).toBeNull());
    expect(b.runtime.vault.refreshToken).toBeNull();
    expect(a.runtime.navigate).toHaveBeenCalledWith(
      `${EMULATOR_URL}/v2/logout?client_id=spa&returnTo=${encodeURIComponent('http://localhost:5173/')}`,
    );
  });

  it('five tabs refreshing at once never log the user out', async () => {
    const name = uniqueChannel();
    const locks = inProcessLocks();
    const tabs = Array.from({ length: 5 }, () =>
      makeOAuthTestStore({ runtime: { channel: broadcastSessionChannel(name), locks } }),
    );
    for (const tab of tabs) startOAuthSession(tab.store, tab.runtime);
    await tabs[0]!.store.dispatch(startLogin());
    for (const tab of tabs) {
      await vi.waitFor(() => expect(tab.store.getState().oauth.status).toBe('authenticated'));
    }
    const results = await Promise.all(tabs.map((tab) => tab.store.dispatch(renewSession())));
    expect(results).toEqual([true, true, true, true, true]);
    await vi.waitFor(() => {
      const tokens = new Set(tabs.map((tab) => token(tab.store)));
      expect(tokens.size).toBe(1);
    });
    for (const tab of tabs) expect(tab.store.getState().oauth.status).toBe('authenticated');
    // The grant was never revoked by a reused refresh token: the latest ones still work.
    expect((await userinfo(token(tabs[3]!.store))).status).toBe(200);
    expect(await tabs[2]!.store.dispatch(renewSession())).toBe(true);
  });
});

describe('where tokens live', () => {
  it('memory mode: no token in localStorage, sessionStorage or cookies', async () => {
    const { store } = makeOAuthTestStore();
    await store.dispatch(startLogin());
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
    expect(document.cookie).toBe('');
    expect(JSON.stringify(store.getState())).not.toContain('refresh');
  });

  it('session persistence: survives a reload, expiry re-checked, cleared on logout', async () => {
    const first = makeOAuthTestStore({
      runtime: { storage: sessionStorage },
      oauth: { persist: 'session' },
    });
    await first.store.dispatch(startLogin());
    expect(sessionStorage.getItem(storageKey('spa'))).toContain(token(first.store));

    // "Reload": a new store and runtime reading the same sessionStorage.
    const reloaded = makeOAuthTestStore({
      runtime: { storage: sessionStorage },
      oauth: { persist: 'session' },
    });
    startOAuthSession(reloaded.store, reloaded.runtime);
    expect(reloaded.store.getState().oauth.status).toBe('authenticated');
    expect(token(reloaded.store)).toBe(token(first.store));

    // Stored but expired: it is renewed with the stored refresh token, not used as is.
    const stored = JSON.parse(sessionStorage.getItem(storageKey('spa')) ?? '{}') as {
      session: { expiresAt: number };
    };
    stored.session.expiresAt = Date.now() - 1000;
    sessionStorage.setItem(storageKey('spa'), JSON.stringify(stored));
    const later = makeOAuthTestStore({
      runtime: { storage: sessionStorage },
      oauth: { persist: 'session' },
    });
    startOAuthSession(later.store, later.runtime);
    expect(later.store.getState().oauth.status).toBe('expired');
    await vi.waitFor(() => expect(later.store.getState().oauth.status).toBe('authenticated'));
    expect(token(later.store)).not.toBe(token(first.store));

    await later.store.dispatch(logout());
    expect(sessionStorage.getItem(storageKey('spa'))).toBeNull();
  });
});

describe('legacy CARTO 2 implicit flow', () => {
  it('reads the token from the fragment, checks state, and loads the user from user_info_url', async () => {
    const { store, popups } = makeOAuthTestStore({
      oauth: { clientId: 'legacy', flow: 'implicit', scopes: ['user:profile', 'datasets:r:*'] },
    });
    expect(await store.dispatch(startLogin())).toBe(true);
    const url = new URL(popups[0]!.navigations[0]!);
    expect(url.pathname).toBe('/oauth2/authorize');
    expect(url.searchParams.get('response_type')).toBe('token');
    expect(popups[0]!.clearedUrl).toBe('/oauth-callback.html');
    expect(store.getState().oauth.session?.user).toMatchObject({ id: 'demo', name: 'Demo User' });
    expect((await userinfo(token(store))).status).toBe(200);
  });

  it('rejects a fragment with another state', async () => {
    const { store } = makeOAuthTestStore({
      oauth: { clientId: 'legacy', flow: 'implicit', scopes: ['datasets:r:*'] },
      popup: { tamper: (u) => new URL(u.href.replace(/state=[^&]+/, 'state=forged')) },
    });
    expect(await store.dispatch(startLogin())).toBe(false);
    expect(store.getState().oauth.error?.code).toBe('invalid_state');
  });
});
