import { beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import {
  API_TOKEN,
  APP,
  authorizeUrl,
  bearer,
  CALLBACK,
  exchangeCode,
  ISSUER,
  location,
  loginWithCode,
  makeTestEmulator,
  TestBrowser,
  ISSUER_ID,
} from '../../utils/emulatorHarness';

let emulator: Emulator;

beforeEach(async () => {
  ({ emulator } = await makeTestEmulator());
});

const get = (path: string, headers: Record<string, string> = {}) =>
  emulator.fetch(new Request(`${ISSUER}${path}`, { headers }));

describe('discovery', () => {
  it('advertises the endpoints, S256 only and the iss response parameter', async () => {
    const response = await get('/.well-known/openid-configuration');
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: ISSUER_ID,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/oauth/token`,
      revocation_endpoint: `${ISSUER}/oauth/revoke`,
      userinfo_endpoint: `${ISSUER}/userinfo`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(doc.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
    );
    expect(doc.scopes_supported).toEqual(
      expect.arrayContaining(['read:current_user', 'offline_access', 'datasets:metadata']),
    );
    const rfc8414 = (await (await get('/.well-known/oauth-authorization-server')).json()) as {
      issuer: string;
    };
    expect(rfc8414.issuer).toBe(ISSUER_ID);
  });

  it('publishes one RS256 signing key', async () => {
    const { keys } = (await (await get('/.well-known/jwks.json')).json()) as {
      keys: Record<string, string>[];
    };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(keys[0]?.d).toBeUndefined();
  });
});

describe('CORS', () => {
  const preflight = (path: string, origin: string) =>
    emulator.fetch(
      new Request(`${ISSUER}${path}`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      }),
    );

  it('allows registered origins (exact and wildcard) on API, token, metadata and JWKS', async () => {
    for (const path of [
      '/oauth/token',
      '/.well-known/openid-configuration',
      '/.well-known/jwks.json',
      '/userinfo',
      '/api/v4/me',
    ]) {
      const response = await preflight(path, APP);
      expect(response.status).toBe(204);
      expect(response.headers.get('Access-Control-Allow-Origin')).toBe(APP);
    }
    const wildcard = await get('/.well-known/jwks.json', { Origin: 'https://team.example.com' });
    expect(wildcard.headers.get('Access-Control-Allow-Origin')).toBe('https://team.example.com');
    expect(wildcard.headers.get('Vary')).toContain('Origin');
  });

  it('never for other origins, Origin: null, or deeper subdomains', async () => {
    for (const origin of [
      'https://evil.example.org',
      'null',
      'https://a.b.example.com',
      'http://localhost:5174',
    ]) {
      const pre = await preflight('/oauth/token', origin);
      expect(pre.status).toBe(403);
      expect(pre.headers.get('Access-Control-Allow-Origin')).toBeNull();
      const simple = await get('/.well-known/jwks.json', { Origin: origin });
      expect(simple.status).toBe(200);
      expect(simple.headers.get('Access-Control-Allow-Origin')).toBeNull();
    }
  });

  it('never on the authorization endpoint', async () => {
    const response = await get(
      `/authorize?client_id=spa&redirect_uri=${encodeURIComponent(CALLBACK)}&response_type=code`,
      { Origin: APP },
    );
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('legacy CARTO 2 implicit flow', () => {
  it('returns the token in the fragment for legacy clients, with user_info_url', async () => {
    const browser = new TestBrowser(emulator);
    await browser.open(
      authorizeUrl(
        {
          client_id: 'legacy',
          response_type: 'token',
          redirect_uri: CALLBACK,
          scope: 'user:profile datasets:r:*',
          state: 'abc',
        },
        '/oauth2/authorize',
      ),
    );
    await browser.login();
    const back = location(await browser.consent('allow'));
    expect(back.search).toBe('');
    const fragment = new URLSearchParams(back.hash.slice(1));
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('expires_in')).toBe('300');
    expect(fragment.get('state')).toBe('abc');
    expect(fragment.get('user_info_url')).toBe(`${ISSUER}/api/v4/me`);

    const me = await bearer(emulator, '/api/v4/me', fragment.get('access_token') ?? '');
    expect(await me.json()).toEqual({
      username: 'demo',
      name: 'Demo User',
      avatar_url: 'https://example.com/avatar.png',
      organization: 'org_demo',
      api_endpoints: {
        sql: `${ISSUER}/v3/sql`,
        maps: `${ISSUER}/v3/maps`,
        import: `${ISSUER}/v3/imports`,
        auth: ISSUER,
      },
    });
  });

  it('profile fields need user:profile', async () => {
    const browser = new TestBrowser(emulator);
    await browser.open(
      authorizeUrl({
        client_id: 'legacy',
        response_type: 'token',
        redirect_uri: CALLBACK,
        scope: 'datasets:r:*',
        state: 's',
      }),
    );
    await browser.login();
    const fragment = new URLSearchParams(location(await browser.consent('allow')).hash.slice(1));
    const me = (await (
      await bearer(emulator, '/api/v4/me', fragment.get('access_token') ?? '')
    ).json()) as Record<string, unknown>;
    expect(me.username).toBe('demo');
    expect(me.name).toBeUndefined();
  });

  it('refuses offline with response_type=token, in the fragment', async () => {
    const response = await emulator.fetch(
      new Request(
        authorizeUrl({
          client_id: 'legacy',
          response_type: 'token',
          redirect_uri: CALLBACK,
          scope: 'offline',
          state: 's',
        }),
      ),
    );
    const fragment = new URLSearchParams(location(response).hash.slice(1));
    expect(fragment.get('error')).toBe('invalid_scope');
    expect(fragment.get('state')).toBe('s');
  });
});

describe('userinfo and API tokens', () => {
  it('returns the user behind an access token', async () => {
    const { code, verifier } = await loginWithCode(emulator);
    const tokens = (await (await exchangeCode(emulator, code, verifier)).json()) as {
      access_token: string;
    };
    const info = (await (
      await bearer(emulator, '/userinfo', tokens.access_token)
    ).json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      sub: 'auth0|demo',
      name: 'Demo User',
      email: 'demo@example.com',
      org_id: 'org_demo',
    });
  });

  it('401 without a token, with a bad one, or with a token in the URL only', async () => {
    expect((await get('/userinfo')).status).toBe(401);
    expect((await bearer(emulator, '/userinfo', 'a.b.c')).status).toBe(401);
    expect((await get('/userinfo', { Authorization: 'Basic abc' })).status).toBe(401);
    expect((await get(`/userinfo?access_token=${API_TOKEN}`)).status).toBe(401);
  });

  it('legacy API access tokens authenticate', async () => {
    const me = await bearer(emulator, '/api/v4/me', API_TOKEN);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { username: string }).username).toBe('demo');
  });
});

describe('logout', () => {
  it('ends the session and returns to an Allowed Logout URL', async () => {
    const { browser } = await loginWithCode(emulator);
    const response = await browser.open(
      `/v2/logout?client_id=spa&returnTo=${encodeURIComponent(`${APP}/`)}`,
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe(`${APP}/`);
    await browser.open(
      authorizeUrl({
        client_id: 'spa',
        response_type: 'code',
        redirect_uri: CALLBACK,
        scope: '',
        state: 's',
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
      }),
    );
    expect(browser.lastHtml).toContain('name="password"');
  });

  it('refuses a returnTo that is not an Allowed Logout URL', async () => {
    const browser = new TestBrowser(emulator);
    const response = await browser.open(
      `/v2/logout?client_id=spa&returnTo=${encodeURIComponent('https://evil.example.org/')}`,
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
    expect(browser.lastHtml).toContain('is not an Allowed Logout URL');
  });
});

describe('robustness', () => {
  it('bad input gets a 4xx JSON error and the server keeps serving', async () => {
    const answers = await Promise.all([
      get('/no/such/path'),
      get(`/authorize?${'x='.repeat(5000)}`),
      emulator.fetch(
        new Request(`${ISSUER}/oauth/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: '%%%',
        }),
      ),
      emulator.fetch(new Request(`${ISSUER}/oauth/revoke`, { method: 'POST', body: 'token' })),
      get('/userinfo', { Authorization: `Bearer ${'a'.repeat(10_000)}` }),
      emulator.fetch(
        new Request(`${ISSUER}/authorize/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{',
        }),
      ),
    ]);
    for (const response of answers) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    expect(((await answers[0].json()) as { error: string }).error).toContain('Not found');
    expect((await get('/.well-known/openid-configuration')).status).toBe(200);
  });
});
