import { build } from 'esbuild';
import { readFile, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page, Request } from 'playwright-core';
import { launchChromium } from './support/browser';
import { DEMO_LOGIN } from '../../emulator/config/demoLogin';
import { DEMO_CONFIG_PATH } from '../../emulator/config/loadEmulatorConfig';
import { startEmulatorServer, type EmulatorServer } from '../../emulator/server';
import type { LabConfig, LabFailure, LabResult, OidcLab } from './support/oidcLibrariesPage';

/**
 * Contract tests with the real SPA libraries (issue 16): a minimal page using
 * `@auth0/auth0-spa-js` and `oidc-client-ts` (tests/e2e/support/oidcLibrariesPage.ts), served
 * by Playwright on an origin the demo config registers, logs in against the shared emulator
 * with `demo-spa-client`, and reads a table with the access token. docs/auth-libraries.md
 * lists the settings these tests prove.
 */

const SCRIPT_PATH = '/__oidc-lab.js';

let browser: Browser;
let emulator: EmulatorServer;
let script: string;
/** The lab page's origin, registered for `demo-spa-client` as an app's would be. */
let appOrigin: string;
/** An origin with an Allowed Callback URL of the client but not an Allowed Web Origin. */
let foreignOrigin: string;
const servers: Server[] = [];

const emulatorUrl = () => emulator.emulator.issuer;
const callbackOf = (origin: string) => `${origin}/oauth-callback.html`;

function labConfig(overrides: Partial<LabConfig> = {}): LabConfig {
  return {
    authServer: emulatorUrl(),
    clientId: 'demo-spa-client',
    audience: 'carto-cloud-native-api',
    scope: 'openid profile email read:connections',
    callbackUrl: callbackOf(appOrigin),
    logoutUrl: `${appOrigin}/`,
    sql: { connection: 'carto_dw', query: 'SELECT count(*) AS n FROM demo.countries' },
    ...overrides,
  };
}

/** Serves the lab page (at every path: it is its own callback page) and its bundle. */
async function serveLab(config: () => LabConfig): Promise<string> {
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname === SCRIPT_PATH) {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
      return;
    }
    response
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      .end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OIDC lab</title>` +
          `<script>window.oidcLabConfig = ${JSON.stringify(config())};</script>` +
          `<script src="${SCRIPT_PATH}"></script></head><body></body></html>`,
      );
  });
  // On 127.0.0.1 and named localhost, as the emulator: the same site, so its session cookie
  // reaches the silent-login iframe.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://localhost:${(server.address() as AddressInfo).port}`;
}

/** The demo config, with the lab's origins registered for `demo-spa-client`. */
async function labEmulatorConfig(): Promise<string> {
  const config = JSON.parse(await readFile(DEMO_CONFIG_PATH, 'utf8')) as {
    spaClients: {
      clientId: string;
      allowedCallbackUrls: string[];
      allowedLogoutUrls: string[];
      allowedWebOrigins: string[];
      allowedOrigins: string[];
    }[];
  };
  const client = config.spaClients.find((c) => c.clientId === 'demo-spa-client');
  if (!client) throw new Error('demo-spa-client is not in the demo config');
  client.allowedCallbackUrls.push(callbackOf(appOrigin), callbackOf(foreignOrigin));
  client.allowedLogoutUrls.push(`${appOrigin}/`);
  client.allowedWebOrigins.push(appOrigin);
  client.allowedOrigins.push(appOrigin);
  const dir = await mkdtemp(join(tmpdir(), 'oidc-libraries-'));
  const path = join(dir, 'config.json');
  await writeFile(path, JSON.stringify(config));
  return path;
}

async function labContext(origin = appOrigin) {
  const context = await browser.newContext();
  const requests: Request[] = [];
  context.on('request', (request) => requests.push(request));
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  return { context, page, requests };
}

/** Calls `window.oidcLab[name](...args)` in the page. */
function lab<K extends keyof OidcLab>(
  page: Page,
  name: K,
  ...args: Parameters<OidcLab[K]>
): Promise<Awaited<ReturnType<OidcLab[K]>>> {
  return page.evaluate(
    ({ name, args }) => {
      const api = window.oidcLab;
      if (!api) throw new Error('The lab page did not load');
      return (api[name] as (...values: unknown[]) => Promise<unknown>)(...args);
    },
    { name, args },
  ) as Promise<Awaited<ReturnType<OidcLab[K]>>>;
}

/** A lab call that navigates away: its promise dies with the document, the URL tells. */
async function navigate<K extends keyof OidcLab>(
  page: Page,
  to: RegExp | string,
  name: K,
  ...args: Parameters<OidcLab[K]>
) {
  await Promise.all([page.waitForURL(to), lab(page, name, ...args).catch(() => undefined)]);
}

/** The emulator's login (unless its session is remembered) and consent, in `page`. */
async function logInAndAllow(page: Page) {
  const password = page.locator('#password');
  const consent = page.getByRole('heading', { name: 'Allow access?' });
  await password.or(consent).waitFor();
  if (await password.isVisible()) {
    await page.fill('#email', DEMO_LOGIN.email);
    await page.fill('#password', DEMO_LOGIN.password);
    await page.click('button[type=submit]');
  }
  await page.getByRole('button', { name: 'Allow' }).click();
}

/** Runs a lab call that opens a login popup, and logs in there. */
async function withLoginPopup<T>(page: Page, call: Promise<T>): Promise<T> {
  const popup = await page.waitForEvent('popup');
  await logInAndAllow(popup);
  return call;
}

function expectLoggedIn(result: LabResult | LabFailure): asserts result is LabResult {
  expect(result).toMatchObject({ email: DEMO_LOGIN.email, row: { n: 241 } });
  expect((result as LabResult).accessToken.split('.')).toHaveLength(3);
}

function authorizeRequests(requests: Request[]) {
  return requests
    .map((request) => new URL(request.url()))
    .filter((url) => url.pathname === '/authorize' && url.origin === emulatorUrl());
}

beforeAll(async () => {
  const bundle = await build({
    entryPoints: ['tests/e2e/support/oidcLibrariesPage.ts'],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  script = bundle.outputFiles[0]?.text ?? '';
  appOrigin = await serveLab(() => labConfig());
  foreignOrigin = await serveLab(() => labConfig({ callbackUrl: callbackOf(foreignOrigin) }));
  // Its own emulator (any free port), so the lab's origins can be registered as an app's.
  emulator = await startEmulatorServer({
    port: 0,
    configPath: await labEmulatorConfig(),
    demoLogin: DEMO_LOGIN,
  });
  browser = await launchChromium({ webgl: false });
});

afterAll(async () => {
  await browser.close();
  await emulator.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('@auth0/auth0-spa-js against the emulator', () => {
  it('loginWithRedirect, handleRedirectCallback, refresh tokens, the hidden iframe, logout', async () => {
    const { context, page, requests } = await labContext();
    await navigate(page, /\/authorize\?/, 'auth0LoginWithRedirect', { useRefreshTokens: true });
    await logInAndAllow(page);
    await page.waitForURL(`${callbackOf(appOrigin)}?**`);
    const login = await lab(page, 'auth0HandleRedirectCallback', { useRefreshTokens: true });
    expectLoggedIn(login);

    const tokenRequests = () =>
      requests.filter((r) => r.url() === `${emulatorUrl()}/oauth/token` && r.method() === 'POST');
    const refreshed = await lab(page, 'auth0GetTokenSilently');
    expectLoggedIn(refreshed);
    expect(refreshed.accessToken).not.toBe(login.accessToken);
    expect(
      tokenRequests().map((r) => (r.postDataJSON() as { grant_type: string }).grant_type),
    ).toEqual(['authorization_code', 'refresh_token']);

    const framed = await lab(page, 'auth0SilentWithIframe');
    expectLoggedIn(framed);
    const silent = authorizeRequests(requests).at(-1);
    expect(silent?.searchParams.get('response_mode')).toBe('web_message');
    expect(silent?.searchParams.get('prompt')).toBe('none');

    await navigate(page, `${appOrigin}/`, 'auth0Logout');
    const afterLogout = await lab(page, 'auth0SilentWithIframe', { timeoutSeconds: 10 });
    expect(afterLogout).toMatchObject({ failed: true, error: 'login_required' });
    await context.close();
  });

  it('loginWithPopup', async () => {
    const { context, page } = await labContext();
    const result = await withLoginPopup(
      page,
      lab(page, 'auth0LoginWithPopup', { useRefreshTokens: false }),
    );
    expectLoggedIn(result);
    await context.close();
  });
});

describe('oidc-client-ts against the emulator', () => {
  it('signinRedirect, signinRedirectCallback, signinSilent, signoutRedirect', async () => {
    const { context, page } = await labContext();
    await navigate(page, /\/authorize\?/, 'oidcSigninRedirect', 'n-redirect');
    await logInAndAllow(page);
    await page.waitForURL(`${callbackOf(appOrigin)}?**`);
    expectLoggedIn(await lab(page, 'oidcSigninRedirectCallback'));

    const silent = await lab(page, 'oidcSigninSilent');
    expectLoggedIn(silent);

    await navigate(page, `${appOrigin}/?**`, 'oidcSignoutRedirect', 'bye');
    expect(await lab(page, 'oidcSignoutRedirectCallback')).toEqual({
      state: 'bye',
    });
    const afterLogout = await lab(page, 'oidcSigninSilent');
    expect(afterLogout).toMatchObject({ failed: true, error: 'login_required' });
    await context.close();
  });

  it('signinPopup', async () => {
    const { context, page } = await labContext();
    const result = await withLoginPopup(page, lab(page, 'oidcSigninPopup', 'n-popup'));
    expectLoggedIn(result);
    await context.close();
  });
});

describe('what the libraries refuse', () => {
  it('an ID token whose nonce is not the one the library sent', async () => {
    const { context, page } = await labContext();
    // The emulator echoes the nonce it was sent: a different one there stands for a forged or
    // replayed ID token.
    await context.route(`${emulatorUrl()}/authorize?**`, (route) => {
      const url = new URL(route.request().url());
      if (url.searchParams.has('nonce')) url.searchParams.set('nonce', 'not-the-libraries-nonce');
      return route.continue({ url: url.href });
    });
    const auth0 = await withLoginPopup(
      page,
      lab(page, 'auth0LoginWithPopup', { useRefreshTokens: false }),
    );
    expect(auth0).toMatchObject({ failed: true });
    expect((auth0 as LabFailure).message).toMatch(/nonce/i);
    const oidc = await withLoginPopup(page, lab(page, 'oidcSigninPopup', 'n-expected'));
    expect(oidc).toMatchObject({ failed: true });
    expect((oidc as LabFailure).message).toMatch(/nonce/i);
    await context.close();
  });

  it('prompt=none without a session: login_required', async () => {
    const { context, page } = await labContext();
    expect(await lab(page, 'auth0SilentWithIframe')).toMatchObject({
      failed: true,
      error: 'login_required',
    });
    expect(await lab(page, 'oidcSigninSilent')).toMatchObject({
      failed: true,
      error: 'login_required',
    });
    await context.close();
  });

  it('web_message: no answer on a web origin the client does not allow', async () => {
    // Logged in, so the emulator would answer with a code if it answered at all.
    const { context, page } = await labContext();
    expectLoggedIn(
      await withLoginPopup(page, lab(page, 'auth0LoginWithPopup', { useRefreshTokens: false })),
    );

    const stranger = await context.newPage();
    await stranger.goto(`${foreignOrigin}/`);
    await stranger.evaluate(() => {
      const seen: unknown[] = [];
      Object.assign(window, { seen });
      window.addEventListener('message', (event) => seen.push(event.data));
    });
    // Its own callback URL is registered, its origin is not an Allowed Web Origin: refused.
    const refused = stranger.waitForResponse((response) =>
      response.url().startsWith(`${emulatorUrl()}/authorize?`),
    );
    expect(await lab(stranger, 'auth0SilentWithIframe', { timeoutSeconds: 2 })).toMatchObject({
      failed: true,
      error: 'timeout',
    });
    expect((await refused).status()).toBe(400);

    // With the app's callback URL, the answer is posted to the app's origin: not to this page.
    const posted = stranger.waitForResponse((response) =>
      response.url().startsWith(`${emulatorUrl()}/authorize?`),
    );
    await stranger.evaluate((callbackUrl) => {
      if (window.oidcLabConfig) window.oidcLabConfig.callbackUrl = callbackUrl;
    }, callbackOf(appOrigin));
    expect(await lab(stranger, 'auth0SilentWithIframe', { timeoutSeconds: 2 })).toMatchObject({
      failed: true,
      error: 'timeout',
    });
    expect((await posted).status()).toBe(200);
    expect(await stranger.evaluate(() => (window as unknown as { seen: unknown[] }).seen)).toEqual(
      [],
    );
    await context.close();
  });
});
