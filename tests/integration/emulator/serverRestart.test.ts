import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, passthrough } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import { startEmulatorServer, type EmulatorServer } from '../../../emulator/server';
import { CALLBACK, location, pkce, TestBrowser, testConfig } from '../../utils/emulatorHarness';
import { server as msw } from '../../mocks/server';

/** These servers are real: let requests reach them over the network. */
const reachable = (url: string) => msw.use(http.all(`${url}/*`, () => passthrough()));

let dir: string;
let server: EmulatorServer;
let configPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-restart-'));
  configPath = join(dir, 'config.json');
  await writeFile(configPath, JSON.stringify(await testConfig()));
  server = await startEmulatorServer({ port: 0, configPath, faults: true });
}, 60_000);

beforeEach(() => {
  reachable(server.url);
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Always the emulator serving now, in process (the browser below follows restarts). */
const live = (): Emulator => ({
  ...server.emulator,
  fetch: (request) => server.emulator.fetch(request),
});

function authorizeUrl(challenge: string) {
  const url = new URL('/authorize', server.url);
  for (const [key, value] of Object.entries({
    client_id: 'spa',
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'read:current_user offline_access',
    state: 'state-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }))
    url.searchParams.set(key, value);
  return url.toString();
}

/** Logs `browser` in (or not, when its session is still known) and exchanges the code. */
async function logIn(browser: TestBrowser) {
  const { verifier, challenge } = pkce();
  const page = await browser.open(authorizeUrl(challenge));
  const askedForPassword = browser.lastHtml.includes('name="password"');
  if (askedForPassword) await browser.login();
  const code = location(await browser.consent('allow')).searchParams.get('code') ?? '';
  const tokens = (await (
    await token({
      grant_type: 'authorization_code',
      client_id: 'spa',
      code,
      code_verifier: verifier,
      redirect_uri: CALLBACK,
    })
  ).json()) as { access_token: string; refresh_token: string };
  return { page, askedForPassword, tokens };
}

/** Over the network, as the app calls it. */
const token = (fields: Record<string, string>) =>
  fetch(new URL('/oauth/token', server.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
const userinfo = (accessToken: string) =>
  fetch(new URL('/userinfo', server.url), { headers: { Authorization: `Bearer ${accessToken}` } });
const restart = (body?: string) =>
  fetch(new URL('/__restart', server.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body }),
  });
const keyIds = async () =>
  (
    (await (await fetch(new URL('/.well-known/jwks.json', server.url))).json()) as {
      keys: { kid: string }[];
    }
  ).keys.map((k) => k.kid);

describe('restarting the emulator (test controls: POST /__restart)', () => {
  it('forgets sessions, grants and signing keys, on the same port; logging in again works', async () => {
    const browser = new TestBrowser(live(), server.url);
    const first = await logIn(browser);
    expect(first.askedForPassword).toBe(true);
    expect((await userinfo(first.tokens.access_token)).status).toBe(200);
    const keysBefore = await keyIds();

    const restarted = await restart();
    expect(restarted.status).toBe(200);
    expect(await restarted.json()).toEqual({ restarted: true, coop: false });

    // Every token from before is refused: new keys, and the grant is gone.
    expect(await keyIds()).not.toEqual(keysBefore);
    const refused = await userinfo(first.tokens.access_token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('WWW-Authenticate')).toContain('invalid_token');
    const refresh = await token({
      grant_type: 'refresh_token',
      client_id: 'spa',
      refresh_token: first.tokens.refresh_token,
    });
    expect(refresh.status).toBe(400);
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');

    // The login session went too: the same browser is asked for its password again.
    const again = await logIn(browser);
    expect(again.askedForPassword).toBe(true);
    expect((await userinfo(again.tokens.access_token)).status).toBe(200);
  });

  it('may change the COOP switch for one run; a plain restart goes back to the start options', async () => {
    const loginPage = async () =>
      (await fetch(authorizeUrl(pkce().challenge))).headers.get('Cross-Origin-Opener-Policy');
    expect(await loginPage()).toBeNull();
    expect(await (await restart('{"coop":true}')).json()).toEqual({ restarted: true, coop: true });
    expect(await loginPage()).toBe('same-origin');
    expect(server.emulator.context.pages.coop).toBe(true);
    expect(await (await restart()).json()).toEqual({ restarted: true, coop: false });
    expect(await loginPage()).toBeNull();

    for (const bad of ['{"coop":"yes"}', '{"keys":1}', '[', '[]']) {
      const response = await restart(bad);
      expect(response.status, bad).toBe(400);
      expect(((await response.json()) as { error: string }).error, bad).toContain('restart');
    }
  });

  it('in process too: restart() serves a new emulator with the same data', async () => {
    const before = server.emulator;
    const after = await server.restart();
    expect(server.emulator).toBe(after);
    expect(after).not.toBe(before);
    expect(after.database).toBe(before.database);
    expect(after.issuer).toBe(before.issuer);
  });
});

describe('without the test controls', () => {
  it('there is no /__restart: 404, and nothing is forgotten', async () => {
    const plain = await startEmulatorServer({ port: 0, configPath });
    reachable(plain.url);
    try {
      const keysBefore = (
        (await (await fetch(new URL('/.well-known/jwks.json', plain.url))).json()) as {
          keys: { kid: string }[];
        }
      ).keys;
      const response = await fetch(new URL('/__restart', plain.url), { method: 'POST' });
      expect(response.status).toBe(404);
      const keysAfter = (
        (await (await fetch(new URL('/.well-known/jwks.json', plain.url))).json()) as {
          keys: { kid: string }[];
        }
      ).keys;
      expect(keysAfter).toEqual(keysBefore);
    } finally {
      await plain.close();
    }
  }, 60_000);
});
