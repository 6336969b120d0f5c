import { describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../../emulator/createEmulator';
import {
  authorizeUrl,
  CALLBACK,
  ISSUER,
  location,
  pkce,
  TestBrowser,
  testConfig,
} from '../../utils/emulatorHarness';

const COOP = 'Cross-Origin-Opener-Policy';

const emulatorWith = async (coop?: boolean): Promise<Emulator> =>
  createEmulator(await testConfig(), {
    issuer: ISSUER,
    data: false,
    ...(coop === undefined ? {} : { coop }),
  });

/** Every page and redirect of one login, in order: login page, consent page, back to the app. */
async function loginResponses(emulator: Emulator): Promise<Record<string, Response>> {
  const browser = new TestBrowser(emulator);
  const loginPage = await browser.open(
    authorizeUrl({
      client_id: 'spa',
      response_type: 'code',
      redirect_uri: CALLBACK,
      scope: 'read:connections',
      state: 's',
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    }),
  );
  const consentPage = await browser.login();
  const redirect = await browser.consent('allow');
  return { loginPage, consentPage, redirect };
}

describe('--coop: the HTML pages carry Cross-Origin-Opener-Policy: same-origin', () => {
  it('is off by default: the login popup keeps its opener', async () => {
    const responses = await loginResponses(await emulatorWith());
    for (const [name, response] of Object.entries(responses)) {
      expect(response.headers.get(COOP), name).toBeNull();
    }
  });

  it('on: the login page, the consent page and the redirect back to the app', async () => {
    const responses = await loginResponses(await emulatorWith(true));
    expect(responses.loginPage?.status).toBe(200);
    expect(responses.consentPage?.status).toBe(200);
    expect(responses.redirect?.status).toBe(302);
    expect(location(responses.redirect ?? new Response()).searchParams.get('code')).toBeTruthy();
    for (const [name, response] of Object.entries(responses)) {
      expect(response.headers.get(COOP), name).toBe('same-origin');
      // The other protections stay as they are.
      expect(response.headers.get('X-Frame-Options'), name).toBe('DENY');
      expect(response.headers.get('Cache-Control'), name).toBe('no-store');
    }
  });

  it('on: error pages and the logout page too, but not the JSON endpoints', async () => {
    const emulator = await emulatorWith(true);
    const request = (path: string) => emulator.fetch(new Request(`${ISSUER}${path}`));
    const error = await request('/authorize?client_id=nope');
    expect(error.status).toBe(400);
    expect(error.headers.get(COOP)).toBe('same-origin');
    expect((await request('/v2/logout')).headers.get(COOP)).toBe('same-origin');
    // Fetched by the app, never navigated to: nothing to isolate.
    for (const path of ['/.well-known/openid-configuration', '/.well-known/jwks.json']) {
      const response = await request(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get(COOP), path).toBeNull();
    }
    expect(emulator.context.pages.coop).toBe(true);
  });
});
