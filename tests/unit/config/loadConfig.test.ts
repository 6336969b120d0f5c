import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/loadConfig';
import { initialState } from '../../../src/store/initialStateSlice';

describe('loadConfig', () => {
  it('accepts the defaults of initialStateSlice.ts', () => {
    const result = loadConfig(initialState, {});
    expect(result).toEqual({ ok: true, config: initialState });
  });

  it('lets VITE_* variables override the defaults', () => {
    const before = structuredClone(initialState);
    const result = loadConfig(initialState, {
      VITE_CARTO_CLIENT_ID: 'abc123',
      VITE_CARTO_SCOPES: 'read:current_user  datasets:r:stores,offline_access',
      VITE_CARTO_AUTH_SERVER: 'https://auth.carto.com',
      VITE_CARTO_API_BASE_URL: 'https://gcp-us-east1.api.carto.com',
      VITE_CARTO_FORCE_LOGIN: 'true',
      VITE_CARTO_PERSIST: 'session',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.oauth).toMatchObject({
      clientId: 'abc123',
      scopes: ['read:current_user', 'datasets:r:stores', 'offline_access'],
      authorizationServer: 'https://auth.carto.com',
      forceOAuthLogin: true,
      persist: 'session',
    });
    expect(result.config.apiBaseUrl).toBe('https://gcp-us-east1.api.carto.com');
    // The defaults object is never mutated.
    expect(initialState).toEqual(before);
  });

  it('lists every bad variable with what is wrong and how to fix it', () => {
    const result = loadConfig(initialState, {
      VITE_CARTO_AUTH_SERVER: 'auth.carto.com',
      VITE_CARTO_OAUTH_FLOW: 'password',
      VITE_CARTO_FORCE_LOGIN: 'yes please',
      VITE_CARTO_API_BASE_URL: 'ftp://example.com',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const settings = result.problems.map((p) => p.setting).sort();
    expect(settings).toEqual([
      'VITE_CARTO_API_BASE_URL',
      'VITE_CARTO_AUTH_SERVER',
      'VITE_CARTO_FORCE_LOGIN',
      'VITE_CARTO_OAUTH_FLOW',
    ]);
    for (const problem of result.problems) {
      expect(problem.message).not.toBe('');
      expect(problem.fix).not.toBe('');
    }
    expect(result.problems.find((p) => p.setting === 'VITE_CARTO_OAUTH_FLOW')?.message).toContain(
      '"password"',
    );
  });

  it('names the initialStateSlice.ts field when the bad value is a default', () => {
    const broken = { ...initialState, apiBaseUrl: 'not a url' };
    const result = loadConfig(broken, {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.setting).toBe('initialStateSlice.ts → apiBaseUrl');
  });

  it('keeps the default when a variable is empty or blank', () => {
    const empty = loadConfig(initialState, {
      VITE_APP_NAME: '',
      VITE_CARTO_CLIENT_ID: '   ',
      VITE_CARTO_SCOPES: '',
      VITE_CARTO_AUTH_SERVER: '',
      VITE_CARTO_OAUTH_FLOW: ' ',
      VITE_CARTO_FORCE_LOGIN: '',
      VITE_CARTO_API_BASE_URL: '\t',
    });
    expect(empty).toEqual({ ok: true, config: initialState });
  });

  it('reads a variable the way the schema types its field', () => {
    const result = loadConfig(initialState, {
      VITE_APP_NAME: '  My map  ',
      VITE_CARTO_FORCE_LOGIN: ' TRUE ',
      VITE_CARTO_SCOPES: ' read:current_user ',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.appName).toBe('My map');
    expect(result.config.oauth.forceOAuthLogin).toBe(true);
    expect(result.config.oauth.scopes).toEqual(['read:current_user']);

    const off = loadConfig(
      { ...initialState, oauth: { ...initialState.oauth, forceOAuthLogin: true } },
      {
        VITE_CARTO_FORCE_LOGIN: '0',
      },
    );
    expect(off.ok && off.config.oauth.forceOAuthLogin).toBe(false);
  });

  it('names the bad scope of a list', () => {
    const result = loadConfig(initialState, { VITE_CARTO_SCOPES: 'read:current_user bad<scope>' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.setting).toBe('VITE_CARTO_SCOPES');
    expect(result.problems[0]?.message).toContain('"bad<scope>"');
  });

  it('requires a client id or an API access token', () => {
    const noClient = { ...initialState, oauth: { ...initialState.oauth, clientId: '' } };
    const result = loadConfig(noClient, {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.setting).toBe('initialStateSlice.ts → oauth.clientId');

    // An empty variable keeps the default client id: "none" is how .env turns it off.
    const cleared = loadConfig(initialState, { VITE_CARTO_CLIENT_ID: 'none' });
    expect(cleared.ok).toBe(false);
    if (cleared.ok) return;
    expect(cleared.problems[0]?.setting).toBe('VITE_CARTO_CLIENT_ID');

    const apiKey = loadConfig(initialState, {
      VITE_CARTO_CLIENT_ID: 'none',
      VITE_CARTO_API_ACCESS_TOKEN: 'public-token',
    });
    expect(apiKey.ok).toBe(true);
    if (!apiKey.ok) return;
    expect(apiKey.config.oauth.clientId).toBe('');
    expect(apiKey.config.apiAccessToken).toBe('public-token');
  });

  it('refuses forceOAuthLogin without a client id, and "offline" with the implicit flow', () => {
    const forced = loadConfig(initialState, {
      VITE_CARTO_CLIENT_ID: 'none',
      VITE_CARTO_API_ACCESS_TOKEN: 'public-token',
      VITE_CARTO_FORCE_LOGIN: 'true',
    });
    expect(forced.ok).toBe(false);
    if (forced.ok) return;
    expect(forced.problems.map((p) => p.setting)).toEqual(['VITE_CARTO_FORCE_LOGIN']);

    const implicit = loadConfig(initialState, {
      VITE_CARTO_OAUTH_FLOW: 'implicit',
      VITE_CARTO_SCOPES: 'user:profile offline',
    });
    expect(implicit.ok).toBe(false);
    if (implicit.ok) return;
    expect(implicit.problems[0]?.message).toContain('offline');
  });
});
