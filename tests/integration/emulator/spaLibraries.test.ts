/**
 * What the SPA libraries check that the emulator once got wrong (found by the Chromium
 * contract tests, tests/e2e/oidcLibraries.e2e.ts).
 */
import { describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import * as oauth from 'oauth4webapi';
import {
  APP,
  exchangeCode,
  ISSUER,
  loginWithCode,
  makeTestEmulator,
  spaAuthorizeUrl,
  testClock,
  type TestBrowser,
  ISSUER_ID,
} from '../../utils/emulatorHarness';

type Emulator = Awaited<ReturnType<typeof makeTestEmulator>>['emulator'];

async function start(): Promise<Emulator> {
  return (await makeTestEmulator(testClock(Date.now()))).emulator;
}

describe('the issuer identifier', () => {
  it('is the issuer URL with a trailing slash everywhere, as Auth0 writes it (and Auth0’s SDK expects `${domain}/`)', async () => {
    const emulator = await start();
    const discoveryResponse = await emulator.fetch(
      new Request(`${ISSUER}/.well-known/openid-configuration`),
    );
    const discovery = (await discoveryResponse.clone().json()) as Record<string, string>;
    expect(discovery.issuer).toBe(ISSUER_ID);
    // Endpoints are still plain paths under the issuer URL.
    expect(discovery.authorization_endpoint).toBe(`${ISSUER}/authorize`);
    expect(discovery.token_endpoint).toBe(`${ISSUER}/oauth/token`);

    const { callback, code, verifier } = await loginWithCode(emulator, {
      scope: 'openid email read:current_user',
      nonce: 'n-1',
    });
    expect(callback.searchParams.get('iss')).toBe(ISSUER_ID);
    const body = (await (await exchangeCode(emulator, code, verifier)).json()) as {
      access_token: string;
      id_token: string;
    };
    expect(decodeJwt(body.id_token).iss).toBe(ISSUER_ID);
    expect(decodeJwt(body.access_token).iss).toBe(ISSUER_ID);
    // The access token still opens the emulator's APIs.
    const userinfo = await emulator.fetch(
      new Request(`${ISSUER}/userinfo`, {
        headers: { Authorization: `Bearer ${body.access_token}` },
      }),
    );
    expect(userinfo.status).toBe(200);

    // oauth4webapi (the app's library), configured with the URL without the slash, takes the
    // metadata and the callback's `iss`.
    const as = await oauth.processDiscoveryResponse(new URL(ISSUER), discoveryResponse);
    expect(() =>
      oauth.validateAuthResponse(as, { client_id: 'spa' }, callback, 'state-123'),
    ).not.toThrow();
  });
});

/** Logs in with `openid` and returns the ID token and the browser holding the session. */
async function loggedIn(emulator: Emulator) {
  const { code, verifier, browser } = await loginWithCode(emulator, {
    scope: 'openid email read:current_user',
  });
  const body = (await (await exchangeCode(emulator, code, verifier)).json()) as {
    id_token: string;
  };
  return { idToken: body.id_token, browser };
}

async function sessionEnded(browser: TestBrowser) {
  const silent = await browser.open(spaAuthorizeUrl({ prompt: 'none' }));
  return new URL(silent.headers.get('Location') ?? '').searchParams.get('error');
}

const logoutUrl = (params: Record<string, string>) =>
  `/v2/logout?${new URLSearchParams(params).toString()}`;

describe('OpenID Connect RP-initiated logout (oidc-client-ts’s signoutRedirect)', () => {
  it('takes id_token_hint and post_logout_redirect_uri, returns there with the state', async () => {
    const emulator = await start();
    const { idToken, browser } = await loggedIn(emulator);
    const response = await browser.open(
      logoutUrl({
        id_token_hint: idToken,
        post_logout_redirect_uri: `${APP}/`,
        state: 'st-9',
      }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(`${APP}/?state=st-9`);
    expect(await sessionEnded(browser)).toBe('login_required');
  });

  it('takes client_id instead of the hint', async () => {
    const emulator = await start();
    const { browser } = await loggedIn(emulator);
    const response = await browser.open(
      logoutUrl({ client_id: 'spa', post_logout_redirect_uri: `${APP}/` }),
    );
    expect(response.headers.get('Location')).toBe(`${APP}/`);
    expect(await sessionEnded(browser)).toBe('login_required');
  });

  it.each([
    [
      'an unregistered URL',
      { client_id: 'spa', post_logout_redirect_uri: 'https://evil.example/' },
    ],
    ['no client', { post_logout_redirect_uri: `${APP}/` }],
    [
      'a hint not signed by the emulator',
      { post_logout_redirect_uri: `${APP}/`, id_token_hint: 'x' },
    ],
  ])('refuses %s without ending the session', async (_, params) => {
    const emulator = await start();
    const { browser } = await loggedIn(emulator);
    const response = await browser.open(logoutUrl(params));
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
    expect(await sessionEnded(browser)).toBeNull();
  });

  it('refuses a hint issued to another client than client_id', async () => {
    const emulator = await start();
    const { idToken, browser } = await loggedIn(emulator);
    const response = await browser.open(
      logoutUrl({
        client_id: 'legacy',
        id_token_hint: idToken,
        post_logout_redirect_uri: `${APP}/`,
      }),
    );
    expect(response.status).toBe(400);
  });
});
