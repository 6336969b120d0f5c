import { beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import {
  authorizeUrl,
  CALLBACK,
  location,
  loginWithCode,
  makeTestEmulator,
  OTHER_USER,
  pkce,
  TestBrowser,
  USER,
  type TestClock,
  ISSUER_ID,
} from '../../utils/emulatorHarness';

let emulator: Emulator;
let clock: TestClock;
let browser: TestBrowser;

beforeEach(async () => {
  ({ emulator, clock } = await makeTestEmulator());
  browser = new TestBrowser(emulator);
});

const { challenge } = pkce();
const codeParams = (extra: Record<string, string | undefined> = {}) => ({
  client_id: 'spa',
  response_type: 'code',
  redirect_uri: CALLBACK,
  scope: 'read:current_user datasets:r:*',
  state: 'st-1',
  code_challenge: challenge,
  code_challenge_method: 'S256',
  ...extra,
});

describe('GET /authorize: requests that must never redirect', () => {
  it('unknown client -> error page, no redirect', async () => {
    const response = await browser.open(authorizeUrl(codeParams({ client_id: 'nope' })));
    expect(response.status).toBe(400);
    expect(response.headers.get('Location')).toBeNull();
    expect(browser.lastHtml).toContain('There is no OAuth client with client_id &quot;nope&quot;');
  });

  it('unregistered or missing redirect URI -> error page naming it, no redirect', async () => {
    for (const redirect of [
      'https://evil.example.com/cb',
      `${CALLBACK}?x=1`,
      'http://127.0.0.1:5173/oauth-callback.html',
      'https://a.b.example.com/callback',
    ]) {
      const response = await browser.open(authorizeUrl(codeParams({ redirect_uri: redirect })));
      expect(response.status).toBe(400);
      expect(response.headers.get('Location')).toBeNull();
      expect(browser.lastHtml).toContain('is not in the Allowed Callback URLs');
    }
    const missing = await browser.open(authorizeUrl(codeParams({ redirect_uri: undefined })));
    expect(missing.status).toBe(400);
    expect(browser.lastHtml).toContain('no redirect_uri');
  });
});

describe('GET /authorize: errors go back to a valid redirect URI', () => {
  const cases: [string, string, Record<string, string | undefined>][] = [
    [
      'missing PKCE',
      'invalid_request',
      { code_challenge: undefined, code_challenge_method: undefined },
    ],
    ['plain PKCE', 'invalid_request', { code_challenge_method: 'plain' }],
    ['missing method', 'invalid_request', { code_challenge_method: undefined }],
    ['malformed challenge', 'invalid_request', { code_challenge: 'short' }],
    ['unknown scope', 'invalid_scope', { scope: 'read:current_user read:everything' }],
    ['bad response_type', 'unsupported_response_type', { response_type: 'id_token' }],
    ['implicit for a non-legacy client', 'unauthorized_client', { response_type: 'token' }],
    ['wrong audience', 'invalid_request', { audience: 'someone-else' }],
    ['unknown organization', 'invalid_request', { organization: 'org_nope' }],
  ];
  it.each(cases)('%s -> %s with state and iss', async (_name, error, extra) => {
    const response = await browser.open(authorizeUrl(codeParams(extra)));
    expect(response.status).toBe(302);
    const back = location(response);
    const params =
      extra.response_type === 'token' ? new URLSearchParams(back.hash.slice(1)) : back.searchParams;
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(params.get('error')).toBe(error);
    expect(params.get('error_description')).toBeTruthy();
    expect(params.get('state')).toBe('st-1');
    expect(params.get('iss')).toBe(ISSUER_ID);
  });
});

describe('login page', () => {
  it('cannot be framed, is not cached, and keeps its own styles only', async () => {
    const response = await browser.open(authorizeUrl(codeParams()));
    expect(response.status).toBe(200);
    expect(response.headers.get('X-Frame-Options')).toBe('DENY');
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self' http://localhost:5173");
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(browser.lastHtml).toContain('name="csrf"');
    expect(browser.lastHtml).toContain('to continue to <strong>Test SPA</strong>');
  });

  it('wrong password -> 401 and the form again; unknown email looks the same', async () => {
    await browser.open(authorizeUrl(codeParams()));
    const wrong = await browser.login(USER.email, 'wrong');
    expect(wrong.status).toBe(401);
    expect(browser.lastHtml).toContain('Wrong email or password.');
    const unknown = await browser.login('nobody@example.com', 'wrong');
    expect(unknown.status).toBe(401);
    expect(browser.lastHtml).toContain('Wrong email or password.');
  });

  it('repeated failures slow down: locked after 5, for longer each time', async () => {
    await browser.open(authorizeUrl(codeParams()));
    for (let i = 0; i < 5; i++) await browser.login(USER.email, `wrong-${i}`);
    const locked = await browser.login(USER.email, USER.password);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('Retry-After')).toBe('30');
    expect(browser.lastHtml).toContain('Too many failed attempts. Try again in 30 seconds.');

    clock.advance(31_000);
    expect((await browser.login(USER.email, 'wrong-again')).status).toBe(401);
    const longer = await browser.login(USER.email, USER.password);
    expect(longer.headers.get('Retry-After')).toBe('60');

    clock.advance(61_000);
    expect((await browser.login()).status).toBe(200);
  });

  it('refuses a form without the CSRF token or from another browser', async () => {
    await browser.open(authorizeUrl(codeParams()));
    const fields = browser.formFields();
    const forged = await browser.submit('/authorize/login', [
      ['request', fields[0]![1]],
      ['csrf', 'forged'],
      ['email', USER.email],
      ['password', USER.password],
    ]);
    expect(forged.status).toBe(400);
    expect(browser.lastHtml).toContain('This login form is no longer valid');

    // Same form fields, but posted by a browser without the binding cookie (cross-site POST).
    const attacker = new TestBrowser(emulator);
    const crossSite = await attacker.submit('/authorize/login', [
      ...fields,
      ['email', USER.email],
      ['password', USER.password],
    ]);
    expect(crossSite.status).toBe(400);
  });

  it('a user of another organization is refused when the request names an organization', async () => {
    await browser.open(authorizeUrl(codeParams({ organization: 'org_acme' })));
    expect(browser.lastHtml).toContain('Organization: <strong>Acme</strong>');
    expect(browser.lastHtml).toContain('single sign-on is emulated');
    expect((await browser.login()).status).toBe(403);
    expect((await browser.login(OTHER_USER.email, OTHER_USER.password)).status).toBe(200);
  });
});

describe('consent', () => {
  it('lists each scope in plain words with a checkbox', async () => {
    await browser.open(authorizeUrl(codeParams()));
    await browser.login();
    expect(browser.lastHtml).toContain('Allow access?');
    expect(browser.lastHtml).toContain('See your user profile (name, email, organization)');
    expect(browser.lastHtml).toContain('Read all your datasets');
    expect(browser.lastHtml.match(/type="checkbox"/g)).toHaveLength(2);
  });

  it('Allow -> redirect with code, state and iss', async () => {
    const { callback } = await loginWithCode(emulator, { browser });
    expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK);
    expect(callback.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(callback.searchParams.get('state')).toBe('state-123');
    expect(callback.searchParams.get('iss')).toBe(ISSUER_ID);
  });

  it('Deny -> access_denied with state and iss', async () => {
    await browser.open(authorizeUrl(codeParams()));
    await browser.login();
    const back = location(await browser.consent('deny'));
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-1');
    expect(back.searchParams.get('iss')).toBe(ISSUER_ID);
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('a consent form cannot be replayed', async () => {
    await browser.open(authorizeUrl(codeParams()));
    await browser.login();
    const html = browser.lastHtml;
    await browser.consent('allow');
    browser.lastHtml = html;
    expect((await browser.consent('allow')).status).toBe(400);
  });
});

describe('sessions and prompt', () => {
  it('a remembered session skips the login page (HttpOnly, SameSite=Lax cookie)', async () => {
    await browser.open(authorizeUrl(codeParams()));
    const login = await browser.login();
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('emu_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    await browser.consent('allow');

    await browser.open(authorizeUrl(codeParams()));
    expect(browser.lastHtml).toContain('Allow access?');
    expect(browser.lastHtml).not.toContain('name="password"');
  });

  it('prompt=login asks for the password even with a session', async () => {
    await loginWithCode(emulator, { browser });
    await browser.open(authorizeUrl(codeParams({ prompt: 'login' })));
    expect(browser.lastHtml).toContain('name="password"');
  });

  it('prompt=none: login_required without a session, consent_required for new scopes, a code otherwise', async () => {
    const none = await browser.open(authorizeUrl(codeParams({ prompt: 'none' })));
    expect(location(none).searchParams.get('error')).toBe('login_required');

    await loginWithCode(emulator, { browser, scope: 'read:current_user' });
    const more = await browser.open(
      authorizeUrl(codeParams({ prompt: 'none', scope: 'read:maps' })),
    );
    expect(location(more).searchParams.get('error')).toBe('consent_required');

    const silent = await browser.open(
      authorizeUrl(codeParams({ prompt: 'none', scope: 'read:current_user' })),
    );
    expect(location(silent).searchParams.get('code')).toBeTruthy();
    expect(location(silent).searchParams.get('iss')).toBe(ISSUER_ID);
  });

  it('an authorization request expires after 10 minutes', async () => {
    await browser.open(authorizeUrl(codeParams()));
    clock.advance(10 * 60_000 + 1);
    expect((await browser.login()).status).toBe(400);
  });
});

describe('wildcard and Application Login URL clients', () => {
  it('accepts a callback that matches a registered wildcard', async () => {
    const response = await browser.open(
      authorizeUrl(codeParams({ redirect_uri: 'https://preview-pr7-app.example.com/callback' })),
    );
    expect(response.status).toBe(200);
  });

  it('an Application Login URL is the client’s callback URL', async () => {
    const ok = await browser.open(
      authorizeUrl(
        codeParams({ client_id: 'simple', redirect_uri: 'https://simple.example.org/app' }),
      ),
    );
    expect(ok.status).toBe(200);
    const other = await browser.open(
      authorizeUrl(
        codeParams({ client_id: 'simple', redirect_uri: 'https://simple.example.org/other' }),
      ),
    );
    expect(other.status).toBe(400);
  });
});
