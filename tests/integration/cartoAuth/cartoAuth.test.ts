import { createServer } from 'node:http';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { http, HttpResponse, passthrough } from 'msw';
import { CartoAuth } from '../../../carto-auth/cartoAuth';
import { main } from '../../../carto-auth/cli';
import { countRequests, server } from '../../mocks/server';
import { EMULATOR_URL, resetTestEmulator, testEmulator } from '../../mocks/emulator';
import { M2M, TestBrowser, USER } from '../../utils/emulatorHarness';

const LOOPBACK = /^http:\/\/localhost:18765\//;
let dir: string;

async function credentialsFile(contents: unknown, name = 'credentials.json') {
  const path = join(dir, name);
  await writeFile(path, typeof contents === 'string' ? contents : JSON.stringify(contents));
  return path;
}

const good = () => ({
  api_base_url: EMULATOR_URL,
  client_id: M2M.clientId,
  client_secret: M2M.clientSecret,
});

const countTokenRequests = () => countRequests(`${EMULATOR_URL}/oauth/token`);

beforeEach(async () => {
  await resetTestEmulator();
  server.events.removeAllListeners();
  dir = await mkdtemp(join(tmpdir(), 'carto-auth-'));
  // The loopback callback server is real: let the test's "browser" reach it.
  server.use(http.all(LOOPBACK, () => passthrough()));
});

/** Plays the browser: logs in and consents on the emulator, then follows the redirect. */
async function playBrowser(
  url: string,
  {
    decision = 'allow',
    tamper = (u: URL) => u,
  }: { decision?: 'allow' | 'deny'; tamper?: (u: URL) => URL } = {},
) {
  const { emulator } = await testEmulator();
  const browser = new TestBrowser(emulator, EMULATOR_URL);
  await browser.open(url);
  await browser.login(USER.email, USER.password);
  const back = await browser.consent(decision);
  const location = tamper(new URL(back.headers.get('Location') ?? ''));
  return fetch(location);
}

describe('carto-auth m2m', () => {
  it('gets a token and caches it (carto-auth format, mode 0600)', async () => {
    const cacheFile = join(dir, 'cache', 'token_m2m.json');
    const auth = await CartoAuth.fromM2M(await credentialsFile(good()), { cacheFile });
    const credentials = await auth.getCredentials();
    expect(credentials.apiBaseUrl).toBe(EMULATOR_URL);
    expect(credentials.accessToken.split('.')).toHaveLength(3);
    const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as Record<string, unknown>;
    expect(cached).toEqual({
      api_base_url: EMULATOR_URL,
      access_token: credentials.accessToken,
      expiration: auth.expiration,
    });
    expect((await stat(cacheFile)).mode & 0o777).toBe(0o600);
  });

  it('reuses a complete cached token that is not about to expire', async () => {
    const cacheFile = join(dir, 'token.json');
    const first = await CartoAuth.fromM2M(await credentialsFile(good()), { cacheFile });
    const calls = countTokenRequests();
    const second = await CartoAuth.fromM2M(await credentialsFile(good()), { cacheFile });
    expect(await second.getAccessToken()).toBe(await first.getAccessToken());
    expect(calls.count).toBe(0);
  });

  it('does not reuse a token expiring within 60 s, or one for another API', async () => {
    const cacheFile = join(dir, 'token.json');
    const now = Math.floor(Date.now() / 1000);
    await writeFile(
      cacheFile,
      JSON.stringify({ api_base_url: EMULATOR_URL, access_token: 'old', expiration: now + 30 }),
    );
    expect(
      await (
        await CartoAuth.fromM2M(await credentialsFile(good()), { cacheFile })
      ).getAccessToken(),
    ).not.toBe('old');
    await writeFile(
      cacheFile,
      JSON.stringify({
        api_base_url: 'https://other.example.com',
        access_token: 'other',
        expiration: now + 9999,
      }),
    );
    expect(
      await (
        await CartoAuth.fromM2M(await credentialsFile(good()), { cacheFile })
      ).getAccessToken(),
    ).not.toBe('other');
  });

  it('ignores a corrupt or incomplete cache with a warning, never a crash', async () => {
    const cacheFile = join(dir, 'token.json');
    const warn = vi.fn();
    await writeFile(cacheFile, '{not json');
    await CartoAuth.fromM2M(await credentialsFile(good()), { cacheFile, warn });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('corrupt token cache'));
    await writeFile(cacheFile, JSON.stringify({ access_token: 'x' }));
    await CartoAuth.fromM2M(await credentialsFile(good()), { cacheFile, warn });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('incomplete token cache'));
  });

  it('a wrong secret is invalid_client', async () => {
    await expect(
      CartoAuth.fromM2M(await credentialsFile({ ...good(), client_secret: 'wrong' }), {
        cacheFile: false,
      }),
    ).rejects.toThrow(/invalid_client/);
  });

  it('a network failure says which server could not be reached', async () => {
    server.use(http.all(/^http:\/\/localhost:8999\//, () => HttpResponse.error()));
    await expect(
      CartoAuth.fromM2M(
        await credentialsFile({ ...good(), api_base_url: 'http://localhost:8999' }),
        { cacheFile: false },
      ),
    ).rejects.toThrow('could not reach http://localhost:8999');
  });

  it('the CLI prints the token or JSON; bad files and keys are exit code 2 with one clear line', async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) };
    expect(await main(['m2m', await credentialsFile(good()), '--json', '--no-cache'], io)).toBe(0);
    expect(Object.keys(JSON.parse(lines[0] ?? '{}') as object)).toEqual([
      'api_base_url',
      'access_token',
      'expiration',
    ]);

    expect(await main(['m2m', join(dir, 'missing.json')], io)).toBe(2);
    expect(errors.at(-2)).toMatch(
      /^carto-auth: cannot read the credentials file .*missing\.json: ENOENT$/,
    );
    expect(
      await main(
        ['m2m', await credentialsFile({ api_base_url: EMULATOR_URL, client_id: 'x' })],
        io,
      ),
    ).toBe(2);
    expect(errors.at(-2)).toContain('is missing "client_secret"');
    expect(await main(['m2m', await credentialsFile('{oops')], io)).toBe(2);
    expect(errors.at(-2)).toContain('is not valid JSON');
    expect(
      await main(
        ['m2m', await credentialsFile({ ...good(), client_secret: 'nope' }), '--no-cache'],
        io,
      ),
    ).toBe(1);
    expect(errors.at(-1)).toContain('invalid_client');
    expect(await main(['nope'], io)).toBe(2);
  });
});

/** The test config's loopback client, headless (the test plays the browser). */
const LOOPBACK_CLIENT = {
  clientId: 'cli',
  apiBaseUrl: EMULATOR_URL,
  port: 18765,
  openBrowser: false,
} as const;

describe('carto-auth oauth (loopback, PKCE)', () => {
  it('logs in through the one-shot loopback server and caches the token', async () => {
    const cacheFile = join(dir, 'token_oauth.json');
    let landing: Response | undefined;
    const auth = await CartoAuth.fromOAuth({
      ...LOOPBACK_CLIENT,
      cacheFile,
      onAuthorizationUrl: (url) => {
        expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
        expect(new URL(url).searchParams.get('redirect_uri')).toBe(
          'http://localhost:18765/callback/',
        );
        void playBrowser(url).then((r) => (landing = r));
      },
    });
    const token = await auth.getAccessToken();
    const me = await fetch(`${EMULATOR_URL}/userinfo`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(((await me.json()) as { email: string }).email).toBe(USER.email);
    await vi.waitFor(() => expect(landing?.status).toBe(200));
    expect(await landing?.text()).toContain('Logged in');
    expect(JSON.parse(await readFile(cacheFile, 'utf8'))).toMatchObject({
      api_base_url: EMULATOR_URL,
      access_token: token,
    });
    // The server is gone: it answered once.
    await expect(fetch('http://localhost:18765/callback/')).rejects.toThrow();
  });

  it('rejects a state mismatch on the loopback, with no token request', async () => {
    const calls = countTokenRequests();
    let landing: Response | undefined;
    await expect(
      CartoAuth.fromOAuth({
        ...LOOPBACK_CLIENT,
        cacheFile: false,
        onAuthorizationUrl: (url) => {
          void playBrowser(url, { tamper: (u) => (u.searchParams.set('state', 'forged'), u) }).then(
            (r) => (landing = r),
          );
        },
      }),
    ).rejects.toThrow(/could not be trusted/);
    expect(calls.count).toBe(0);
    await vi.waitFor(() => expect(landing?.status).toBe(400));
  });

  it('a denied login is a clear error', async () => {
    await expect(
      CartoAuth.fromOAuth({
        ...LOOPBACK_CLIENT,
        cacheFile: false,
        onAuthorizationUrl: (url) => void playBrowser(url, { decision: 'deny' }),
      }),
    ).rejects.toThrow(/did not allow access.*\(access_denied/);
  });

  it('a port in use is a clear error', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(18766, 'localhost', resolve));
    try {
      await expect(
        CartoAuth.fromOAuth({
          ...LOOPBACK_CLIENT,
          port: 18766,
          cacheFile: false,
        }),
      ).rejects.toThrow('port 18766 is in use');
    } finally {
      blocker.close();
    }
  });
});
