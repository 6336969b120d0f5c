import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { calculatePKCECodeChallenge } from 'oauth4webapi';
import { startLogin, loginWithPopup } from '../../../src/features/oauth/oauthThunks';
import { selectOAuthCredentials } from '../../../src/features/oauth/oauthSlice';
import { OAuthFlowError } from '../../../protocol/oauthErrors';
import { startAuthorization } from '../../../protocol/oauthClient';
import { countRequests, server } from '../../mocks/server';
import { EMULATOR_URL, resetTestEmulator } from '../../mocks/emulator';
import { addUserWork, makeOAuthTestStore, TEST_SCOPES } from '../../utils/oauthTestStore';
import { FakePopup } from '../../utils/fakePopup';

const countTokenRequests = () => countRequests(`${EMULATOR_URL}/oauth/token`);

beforeEach(async () => {
  await resetTestEmulator();
  server.events.removeAllListeners();
});

describe('PKCE login in a popup', () => {
  it('opens the window synchronously, exchanges the code and holds the credentials', async () => {
    const { store, popups } = makeOAuthTestStore();
    const done = store.dispatch(startLogin());
    // Synchronously, in the same call as the click: the window exists and status is pending.
    expect(popups).toHaveLength(1);
    expect(store.getState().oauth.status).toBe('pending');
    expect(await done).toBe(true);

    const { session } = store.getState().oauth;
    expect(session?.user).toMatchObject({
      name: 'Demo User',
      email: 'demo@example.com',
      organization: 'Demo Org',
    });
    expect(session?.grantedScopes).toEqual(TEST_SCOPES);
    expect(session?.expiresAt).toBeGreaterThan(Date.now() + 290_000);
    const credentials = selectOAuthCredentials(store.getState());
    expect(credentials?.apiBaseUrl).toBe(EMULATOR_URL);
    const me = await fetch(`${EMULATOR_URL}/userinfo`, {
      headers: { Authorization: `Bearer ${credentials?.accessToken ?? ''}` },
    });
    expect(me.status).toBe(200);
  });

  it('sends an S256 challenge and a state of at least 128 bits; the verifier follows RFC 7636', async () => {
    const { store, popups } = makeOAuthTestStore();
    await store.dispatch(startLogin());
    const url = new URL(popups[0]!.navigations[0]!);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost:5173/oauth-callback.html');
    expect(url.searchParams.get('audience')).toBe('carto-cloud-native-api');
    expect((url.searchParams.get('state') ?? '').length).toBeGreaterThanOrEqual(22);

    const pending = await startAuthorization(
      {
        clientId: 'spa',
        authorizationServer: EMULATOR_URL,
        audience: '',
        organization: '',
        scopes: [],
        flow: 'pkce',
      },
      { redirectUri: 'http://localhost:5173/oauth-callback.html' },
    );
    expect(pending.verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    const another = await startAuthorization(
      {
        clientId: 'spa',
        authorizationServer: EMULATOR_URL,
        audience: '',
        organization: 'org_acme',
        scopes: [],
        flow: 'pkce',
      },
      { redirectUri: 'http://localhost:5173/oauth-callback.html' },
    );
    expect(another.state).not.toBe(pending.state);
    expect(another.verifier).not.toBe(pending.verifier);
    expect(new URL(another.url).searchParams.get('organization')).toBe('org_acme');
  });

  it('reproduces the RFC 7636 Appendix B vector', async () => {
    expect(await calculatePKCECodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('the callback page clears the code from its URL', async () => {
    const { store, popups } = makeOAuthTestStore();
    await store.dispatch(startLogin());
    expect(popups[0]!.clearedUrl).toBe('/oauth-callback.html');
  });

  it('the token only ever travels in the Authorization header', async () => {
    const urls: string[] = [];
    server.events.on('request:start', ({ request }) => urls.push(request.url));
    const { store } = makeOAuthTestStore();
    await store.dispatch(startLogin());
    const token = store.getState().oauth.session?.accessToken ?? 'missing';
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.some((u) => u.includes(token) || u.includes('access_token='))).toBe(false);
  });
});

/**
 * Starts a login whose window never answers, and posts a callback carrying the right state
 * from `origin` and the window `source` picks while it waits.
 */
async function forgeCallbackDuringLogin(
  origin: string,
  source: (loginWindow: FakePopup | undefined) => unknown,
) {
  const calls = countTokenRequests();
  const { store, popups } = makeOAuthTestStore({
    popup: { script: { kind: 'stall' } },
    runtime: { waitOptions: { timeoutMs: 400 } },
  });
  const done = store.dispatch(startLogin());
  await vi.waitFor(() => expect(popups[0]?.navigations).toHaveLength(1));
  const state = new URL(popups[0]!.navigations[0]!).searchParams.get('state');
  window.dispatchEvent(
    new MessageEvent('message', {
      origin,
      source: source(popups[0]) as Window,
      data: {
        type: 'carto-oauth-callback',
        url: `http://localhost:5173/oauth-callback.html?code=x&state=${state}`,
      },
    }),
  );
  return { store, calls, done };
}

describe('rejected answers never reach the token endpoint', () => {
  it('a message from another origin is ignored', async () => {
    const { store, calls, done } = await forgeCallbackDuringLogin(
      'https://evil.example.com',
      (loginWindow) => loginWindow,
    );
    expect(await done).toBe(false);
    expect(store.getState().oauth.error?.code).toBe('timeout');
    expect(calls.count).toBe(0);
  });

  it('a message from a window other than the login window is ignored', async () => {
    const { calls, done } = await forgeCallbackDuringLogin(
      window.location.origin,
      () => new FakePopup(),
    );
    expect(await done).toBe(false);
    expect(calls.count).toBe(0);
  });

  it.each([
    ['a wrong state', (u: URL) => (u.searchParams.set('state', 'forged-state-value'), u)],
    ['a missing state', (u: URL) => (u.searchParams.delete('state'), u)],
  ])('%s is rejected as invalid_state', async (_name, tamper) => {
    const calls = countTokenRequests();
    const { store } = makeOAuthTestStore({ popup: { tamper } });
    expect(await store.dispatch(startLogin())).toBe(false);
    expect(store.getState().oauth.error?.code).toBe('invalid_state');
    expect(calls.count).toBe(0);
  });

  it('a missing iss is rejected (the server advertises it, RFC 9207)', async () => {
    const calls = countTokenRequests();
    const { store } = makeOAuthTestStore({
      popup: { tamper: (u) => (u.searchParams.delete('iss'), u) },
    });
    expect(await store.dispatch(startLogin())).toBe(false);
    expect(store.getState().oauth.error?.code).toBe('invalid_state');
    expect(calls.count).toBe(0);
  });

  it('a wrong iss on an error answer is rejected too', async () => {
    const { store } = makeOAuthTestStore({
      popup: {
        script: { kind: 'deny' },
        tamper: (u) => (u.searchParams.set('iss', 'https://evil.example.com'), u),
      },
    });
    await store.dispatch(startLogin());
    expect(store.getState().oauth.error?.code).toBe('invalid_state');
  });

  it('a replayed or duplicated answer is used once', async () => {
    const calls = countTokenRequests();
    let first: URL | undefined;
    const { store, popups } = makeOAuthTestStore({ popup: { onCallback: (u) => (first = u) } });
    expect(await store.dispatch(startLogin())).toBe(true);
    expect(calls.count).toBe(1);
    popups[0]!.runCallbackPage(first!, window);
    popups[0]!.runCallbackPage(first!, window);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.count).toBe(1);
    expect(store.getState().oauth.status).toBe('authenticated');
  });
});

describe('failures: clear, typed, retryable, nothing lost', () => {
  it('denied consent -> access_denied; a retry works', async () => {
    const { store, runtime } = makeOAuthTestStore({ popup: { script: { kind: 'deny' } } });
    expect(await store.dispatch(startLogin())).toBe(false);
    expect(store.getState().oauth.error).toMatchObject({ code: 'access_denied' });
    expect(store.getState().oauth.error?.message).toContain('did not allow access');

    runtime.openPopup = () => new FakePopup({ script: { kind: 'allow' } }).asWindow();
    expect(await store.dispatch(startLogin())).toBe(true);
    expect(store.getState().oauth.error).toBeNull();
  });

  it('a blocked popup fails at once, leaves no listener or timer, and says what to do', async () => {
    const added = vi.spyOn(window, 'addEventListener');
    const { store } = makeOAuthTestStore({
      runtime: {
        openPopup: () => {
          throw new OAuthFlowError(
            'popup_blocked',
            'Your browser blocked the login window. Allow pop-ups for this site.',
          );
        },
      },
    });
    const result = store.dispatch(startLogin());
    expect(store.getState().oauth.error?.code).toBe('popup_blocked');
    expect(await result).toBe(false);
    expect(added).not.toHaveBeenCalledWith('message', expect.anything());
  });

  it('a closed popup is reported within 1.5 s; a new login afterwards works', async () => {
    const { store, runtime } = makeOAuthTestStore({
      popup: { script: { kind: 'close', afterMs: 150 } },
    });
    const started = Date.now();
    expect(await store.dispatch(startLogin())).toBe(false);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(store.getState().oauth.error).toEqual({
      code: 'popup_closed',
      message:
        'The login window was closed before the login finished. Log in again when you are ready.',
    });

    runtime.openPopup = () => new FakePopup().asWindow();
    expect(await store.dispatch(startLogin())).toBe(true);
  });

  it('COOP: the opener is cut off, the answer comes by BroadcastChannel, never "closed"', async () => {
    const { store } = makeOAuthTestStore({
      popup: { script: { kind: 'coop', delayMs: 600 } },
      // The login window is still in front of the user: the app does not have the focus.
      runtime: { waitOptions: { openerHasFocus: () => false } },
    });
    expect(await store.dispatch(startLogin())).toBe(true);
    expect(store.getState().oauth.error).toBeNull();
  });

  it('COOP while the app has the focus: reported closed, then its late answer still logs in', async () => {
    // As in a browser that gives every window the focus (headless Chromium), or a user who went
    // back to the app while logging in: the cut-off window reads as closed, the app has focus.
    const { store } = makeOAuthTestStore({
      popup: { script: { kind: 'coop', delayMs: 600 } },
      runtime: { waitOptions: { openerHasFocus: () => true } },
    });
    expect(await store.dispatch(startLogin())).toBe(false);
    expect(store.getState().oauth.error?.code).toBe('popup_closed');
    await vi.waitFor(() => expect(store.getState().oauth.status).toBe('authenticated'), {
      timeout: 5_000,
    });
    expect(store.getState().oauth.error).toBeNull();
    expect(selectOAuthCredentials(store.getState())).not.toBeNull();
  });

  it('a late answer is dropped once a new login started', async () => {
    const { store, runtime } = makeOAuthTestStore({
      popup: { script: { kind: 'coop', delayMs: 800 } },
      runtime: { waitOptions: { openerHasFocus: () => true } },
    });
    expect(await store.dispatch(startLogin())).toBe(false);
    // The user tries again at once, in a window that stays on the login page.
    runtime.openPopup = () =>
      new FakePopup({ script: { kind: 'stopAt', page: 'login' } }).asWindow();
    void store.dispatch(startLogin());
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(store.getState().oauth.session).toBeNull();
    expect(store.getState().oauth.status).toBe('pending');
  });

  it('no answer -> timeout; the window is closed; a new login works', async () => {
    const { store, popups, runtime } = makeOAuthTestStore({
      popup: { script: { kind: 'stall' } },
      runtime: { waitOptions: { timeoutMs: 300 } },
    });
    expect(await store.dispatch(startLogin())).toBe(false);
    expect(store.getState().oauth.error?.code).toBe('timeout');
    expect(popups[0]!.closed).toBe(true);
    runtime.openPopup = () => new FakePopup().asWindow();
    runtime.waitOptions = { timeoutMs: 10_000 };
    expect(await store.dispatch(startLogin())).toBe(true);
  });

  it('invalid_scope and server errors are typed', async () => {
    const { store } = makeOAuthTestStore({ oauth: { scopes: ['read:everything'] } });
    await store.dispatch(startLogin());
    expect(store.getState().oauth.error?.code).toBe('invalid_scope');

    server.use(
      http.post(`${EMULATOR_URL}/oauth/token`, () =>
        HttpResponse.json({ error: 'server_error' }, { status: 500 }),
      ),
    );
    const second = makeOAuthTestStore();
    await second.store.dispatch(startLogin());
    expect(second.store.getState().oauth.error?.code).toBe('server_error');
  });

  it('a network failure is a network_error', async () => {
    server.use(http.post(`${EMULATOR_URL}/oauth/token`, () => HttpResponse.error()));
    const { store } = makeOAuthTestStore();
    await store.dispatch(startLogin());
    expect(store.getState().oauth.error?.code).toBe('network_error');
  });

  it('a failed re-login keeps the session, sources, layers and view', async () => {
    const { store, runtime } = makeOAuthTestStore();
    await store.dispatch(startLogin());
    addUserWork(store);
    const before = store.getState();
    runtime.openPopup = () => new FakePopup({ script: { kind: 'deny' } }).asWindow();
    await store.dispatch(startLogin());
    const after = store.getState();
    expect(after.oauth.session).toEqual(before.oauth.session);
    expect(after.sources).toBe(before.sources);
    expect(after.map).toBe(before.map);
    expect(selectOAuthCredentials(after)?.accessToken).toBe(before.oauth.session?.accessToken);
  });

  it('a popup the flow is handed directly is closed on failure', async () => {
    const { store } = makeOAuthTestStore({ oauth: { authorizationServer: 'http://localhost:1' } });
    const popup = new FakePopup({ script: { kind: 'stall' } });
    server.use(http.get('http://localhost:1/*', () => HttpResponse.error()));
    expect(await store.dispatch(loginWithPopup(popup.asWindow()))).toBe(false);
    expect(popup.closed).toBe(true);
    expect(store.getState().oauth.error).toEqual({
      code: 'network_error',
      message:
        'Could not reach CARTO’s login at http://localhost:1. Check your connection and try again.',
    });
  });
});
