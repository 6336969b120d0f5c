import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import { Database } from '../../../emulator/data/database';
import {
  APP,
  authorizeUrl,
  CALLBACK,
  ISSUER,
  makeTestEmulator,
  pkce,
  TestBrowser,
} from '../../utils/emulatorHarness';

let database: Database;
let emulator: Emulator;

beforeAll(async () => {
  database = await Database.create({ sample: false });
});

beforeEach(async () => {
  ({ emulator } = await makeTestEmulator(undefined, { data: database }));
});

const request = (path: string, init: RequestInit = {}) =>
  emulator.fetch(new Request(`${ISSUER}${path}`, init));

const DATA_ENDPOINTS = [
  '/userinfo',
  '/api/v4/me',
  '/api/v4/datasets',
  '/v3/connections',
  '/v3/connections/carto_dw/resources',
  '/v3/maps/carto_dw/table?name=demo.retail_stores',
  '/v3/maps/carto_dw/table/0123/tilejson',
  '/v3/maps/carto_dw/table/0123/tiles/0/0/0',
  '/v3/sql/carto_dw/query?q=SELECT%201',
  '/v3/sql/carto_dw/model/formula?type=table&source=demo.retail_stores',
  '/v3/lds/isolines?origin=40.4,-3.7&range=600',
  '/v3/lds/geocoding/geocode?address=Madrid',
];

describe('bearer authentication on every data endpoint', () => {
  it('no token: 401, the same JSON body and a Bearer challenge', async () => {
    for (const path of DATA_ENDPOINTS) {
      const response = await request(path);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('WWW-Authenticate'), path).toBe(
        'Bearer realm="carto-emulator", error="invalid_token"',
      );
      expect(await response.json(), path).toEqual({
        error: 'Unauthorized: no Bearer token',
        status: 401,
      });
    }
  });

  it('a token in the URL does not count; a bad one is named as such', async () => {
    const inUrl = await request('/v3/connections?access_token=legacy-public-token');
    expect(inUrl.status).toBe(401);
    const bad = await request('/v3/connections', { headers: { Authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'Unauthorized: unknown token', status: 401 });
  });

  it('a registered app can read the 401 (CORS headers on errors too)', async () => {
    const response = await request('/v3/connections', { headers: { Origin: APP } });
    expect(response.status).toBe(401);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(APP);
    expect(response.headers.get('Vary')).toContain('Origin');
  });

  it('unknown paths stay 404 JSON, with or without a token', async () => {
    const response = await request('/v3/maps');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'Not found: GET /v3/maps', status: 404 });
  });
});

describe('OAuth endpoints keep RFC 6749 error bodies', () => {
  const form = (path: string, body: string, headers: Record<string, string> = {}) =>
    request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });

  it('{error, error_description} only, never cached, never CARTO’s shape', async () => {
    for (const [path, body, status, error] of [
      ['/oauth/token', 'grant_type=password', 400, 'unsupported_grant_type'],
      ['/oauth/token', 'grant_type=authorization_code&code=x', 400, 'invalid_grant'],
      ['/oauth/token', 'grant_type=a&grant_type=b', 400, 'invalid_request'],
      ['/oauth/token', `grant_type=x&pad=${'a'.repeat(20_000)}`, 413, 'invalid_request'],
      ['/oauth/revoke', 'client_id=spa', 400, 'invalid_request'],
    ] as const) {
      const response = await form(path, body);
      expect(response.status, body).toBe(status);
      expect(response.headers.get('Cache-Control'), body).toBe('no-store');
      const json = (await response.json()) as Record<string, unknown>;
      expect(Object.keys(json).sort(), body).toEqual(['error', 'error_description']);
      expect(json.error, body).toBe(error);
    }
  });

  it('a failed client authentication asks for Basic credentials', async () => {
    const response = await form(
      '/oauth/token',
      'grant_type=client_credentials&client_id=m2m-client&client_secret=wrong',
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Basic realm="carto-emulator"');
    expect(await response.json()).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
    });
  });
});

describe('CORS', () => {
  const preflight = (origin: string, path = '/v3/sql/carto_dw/query') =>
    request(path, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization,cache-control',
      },
    });

  it('a registered origin may send the client’s headers and read the exposed ones', async () => {
    const response = await preflight(APP);
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(APP);
    const allowed = (response.headers.get('Access-Control-Allow-Headers') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase());
    expect(allowed).toEqual(
      expect.arrayContaining([
        'authorization',
        'content-type',
        'accept',
        'cache-control',
        'x-requested-with',
      ]),
    );
    expect(response.headers.get('Access-Control-Allow-Methods')).toContain('POST');
    expect(response.headers.get('Vary')).toContain('Origin');
    const actual = await request('/.well-known/jwks.json', { headers: { Origin: APP } });
    expect(actual.headers.get('Access-Control-Expose-Headers')).toContain('Cache-Control');
  });

  it('an unregistered origin or Origin: null gets 403 and no Allow-Origin', async () => {
    for (const origin of ['https://evil.example.org', 'null']) {
      const response = await preflight(origin);
      expect(response.status).toBe(403);
      expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
      expect(response.headers.get('Access-Control-Allow-Headers')).toBeNull();
      expect(response.headers.get('Vary')).toContain('Origin');
      expect(await response.json()).toEqual({ error: 'Origin not allowed', status: 403 });
    }
  });

  it('never on the HTML pages', async () => {
    for (const path of ['/authorize', '/v2/logout', '/authorize/login']) {
      const response = await preflight(APP, path);
      expect(response.headers.get('Access-Control-Allow-Origin'), path).toBeNull();
    }
    const logout = await request('/v2/logout', { headers: { Origin: APP } });
    expect(logout.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('HTML pages', () => {
  const loginPage = () => {
    const browser = new TestBrowser(emulator);
    const response = browser.open(
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
    return { browser, response };
  };

  it('style only by a fresh per-request nonce, the one in the page', async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { browser, response } = loginPage();
      const csp = (await response).headers.get('Content-Security-Policy') ?? '';
      const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1] ?? '';
      expect(nonce.length).toBeGreaterThanOrEqual(16);
      expect(browser.lastHtml).toContain(`<style nonce="${nonce}">`);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("base-uri 'none'");
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('an error page allows form posts to itself only', async () => {
    const response = await request('/authorize?client_id=nope');
    expect(response.status).toBe(400);
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("form-action 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('the logout page has the same protections', async () => {
    const response = await request('/v2/logout');
    expect(response.status).toBe(200);
    expect(response.headers.get('X-Frame-Options')).toBe('DENY');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
  });

  it('keeps the opener: the login popup reports back to the app that opened it', async () => {
    const { response } = loginPage();
    expect((await response).headers.get('Cross-Origin-Opener-Policy')).toBeNull();
  });
});
