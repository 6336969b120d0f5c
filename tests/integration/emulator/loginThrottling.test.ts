import { beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import {
  clientCredentials,
  loginWithCode,
  M2M,
  makeTestEmulator,
  spaAuthorizeUrl,
  TestBrowser,
  tokenRequest,
  USER,
  type TestClock,
} from '../../utils/emulatorHarness';

let emulator: Emulator;
let clock: TestClock;

beforeEach(async () => {
  ({ emulator, clock } = await makeTestEmulator());
});

const loginPageUrl = (extra: Record<string, string> = {}) =>
  spaAuthorizeUrl({ state: 'st', ...extra });

/** A browser on the login page (its own binding cookie and form). */
async function onLoginPage(): Promise<TestBrowser> {
  const browser = new TestBrowser(emulator);
  await browser.open(loginPageUrl({ prompt: 'login' }));
  expect(browser.lastHtml).toContain('name="password"');
  return browser;
}

/** A password check that ran answers 401 (wrong) or 200 (right); a refused one 429. */
const evaluated = (statuses: number[]) => statuses.filter((s) => s !== 429).length;

describe('login throttling under concurrency', () => {
  it('40 guesses at once on one form: at most 5 are evaluated, and the right one is refused', async () => {
    const browser = await onLoginPage();
    const guesses = Array.from({ length: 39 }, (_, i) => `wrong-${i}`);
    guesses.push(USER.password); // the attacker's 40th guess is the right one
    const responses = await Promise.all(guesses.map((p) => browser.login(USER.email, p)));
    const statuses = responses.map((r) => r.status);
    expect(evaluated(statuses)).toBeLessThanOrEqual(5);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses).not.toContain(200);
    expect(responses.at(-1)?.headers.get('Retry-After')).toMatch(/^\d+$/);
  });

  it('40 guesses at once from 40 fresh browsers: at most 20 are evaluated', async () => {
    const browsers = await Promise.all(Array.from({ length: 40 }, onLoginPage));
    const responses = await Promise.all(
      browsers.map((b, i) => b.login(USER.email, i === 39 ? USER.password : `wrong-${i}`)),
    );
    const statuses = responses.map((r) => r.status);
    expect(evaluated(statuses)).toBeLessThanOrEqual(20);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('third-party lockout', () => {
  it('a stranger hammering the account does not lock the real user out of their own browser', async () => {
    // The real user has logged in from this browser before (it is trusted for the account).
    const { browser: mine } = await loginWithCode(emulator);

    // A stranger: one browser, then many fresh ones (cookies dropped every time).
    const stranger = await onLoginPage();
    for (let i = 0; i < 8; i++) await stranger.login(USER.email, `guess-${i}`);
    expect((await stranger.login()).status).toBe(429);
    for (let i = 0; i < 30; i++) await (await onLoginPage()).login(USER.email, `spray-${i}`);
    // A browser never used for this account is locked out while the attack lasts...
    expect((await (await onLoginPage()).login()).status).toBe(429);

    // ...but the user's own browser is not.
    await mine.open(loginPageUrl({ prompt: 'login' }));
    const login = await mine.login();
    expect(login.status).toBe(200);
    expect(mine.lastHtml).toContain('Allow access?');
  });

  it('per-browser counters: one browser spraying many accounts is locked after 20 failures', async () => {
    const browser = await onLoginPage();
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) {
      statuses.push((await browser.login(`nobody-${i}@example.com`, 'x')).status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    // Another browser is not affected.
    expect((await (await onLoginPage()).login()).status).toBe(200);
  });

  it('the locks end: after the window a browser may try again', async () => {
    const browser = await onLoginPage();
    await Promise.all(Array.from({ length: 10 }, (_, i) => browser.login(USER.email, `w${i}`)));
    expect((await browser.login()).status).toBe(429);
    clock.advance(16 * 60_000);
    await browser.open(loginPageUrl({ prompt: 'login' })); // the old form expired meanwhile
    expect((await browser.login()).status).toBe(200);
  });
});

describe('client secrets on the token endpoint', () => {
  const credentials = (secret: string) =>
    tokenRequest(emulator, {
      grant_type: 'client_credentials',
      client_id: M2M.clientId,
      client_secret: secret,
    });

  it('40 wrong secrets at once: at most 5 are checked, then even the right one waits (429)', async () => {
    const secrets = Array.from({ length: 39 }, (_, i) => `wrong-secret-${i}`);
    secrets.push(M2M.clientSecret);
    const responses = await Promise.all(secrets.map(credentials));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401 || s === 200).length).toBeLessThanOrEqual(5);
    const last = responses.at(-1);
    expect(last?.status).toBe(429);
    expect(last?.headers.get('Retry-After')).toMatch(/^\d+$/);
    const body = (await last?.json()) as { error: string; error_description: string };
    expect(body.error).toBe('temporarily_unavailable');
    expect(body.error_description).toContain('Too many failed');

    clock.advance(16 * 60_000);
    expect((await credentials(M2M.clientSecret)).status).toBe(200);
  });

  it('another client is not affected by the lock', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => credentials(`w${i}`)));
    const other = await clientCredentials(emulator, 'm2m-lds');
    expect(other.status).toBe(200);
  });
});
