/**
 * Five tabs renewing at once in Chromium (issue 14): the production build in five pages of one
 * browser profile, which share what real tabs share (BroadcastChannel, Web Locks, each page in
 * a renderer of its own), against the emulator with refresh-token rotation and reuse detection.
 * The pages share one clock, Playwright's (it is the browser context's), installed at the real
 * time and flowing with it: every round moves it, in one jump, 1 s past the renewal point (the
 * demo token lives 1 h; renewal is 60 s before; the pages' clocks differ by a few hundred ms),
 * so the five renewal timers fire at the same moment. After each round: one refresh request reached the token endpoint,
 * the newest access token is accepted by the emulator (a reused refresh token would have
 * revoked the whole login) and no page shows the session-expired prompt or the login button.
 * No WebGL (the map is not needed), to keep five pages light.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium } from './support/browser';
import { loginThroughPopup } from './support/login';

const TABS = 5;
const ROUNDS = 100;
/** From a token's issue to its renewal: the demo config's 1 h, less the 60 s leeway. */
const TO_RENEWAL_MS = (3600 - 60) * 1000;
/** How far past the renewal point each round's jump lands. */
const PAST_RENEWAL_MS = 1_000;

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium({ webgl: false });
});

afterAll(async () => {
  await browser.close();
});

const loggedOut = (page: Page) =>
  page
    .getByText(/Your CARTO session expired/)
    .or(page.getByRole('button', { name: 'Login with CARTO' }))
    .count();

describe('five tabs renewing at once in Chromium', () => {
  it(`${ROUNDS} rounds: one refresh per round, no tab logged out`, async () => {
    const emulatorUrl = inject('emulatorUrl');
    const context = await browser.newContext();
    const refreshes: string[] = [];
    let newest = '';
    /** When (real time) the newest token came: the clock went on from there. */
    let issuedAt = 0;
    context.on('request', (request) => {
      if (!request.url().endsWith('/oauth/token') || request.method() !== 'POST') return;
      const grant = new URLSearchParams(request.postData() ?? '').get('grant_type');
      if (grant === 'refresh_token') refreshes.push(request.url());
    });
    context.on('response', (response) => {
      if (!response.url().endsWith('/oauth/token') || response.request().method() !== 'POST')
        return;
      void response
        .json()
        .then((body: { access_token?: string }) => {
          if (!body.access_token) return;
          newest = body.access_token;
          issuedAt = Date.now();
        })
        .catch(() => undefined);
    });
    // Counts, in each page, the renewals that reached the cross-tab lock (the app's code is
    // untouched: the page's own navigator.locks, wrapped before the app loads).
    await context.addInitScript(() => {
      const locks = navigator.locks;
      const request = locks.request.bind(locks) as (...args: unknown[]) => Promise<unknown>;
      const counter = window as unknown as { refreshLockRequests: number };
      counter.refreshLockRequests = 0;
      locks.request = (...args: unknown[]) => {
        if (String(args[0]).startsWith('carto-oauth-refresh:')) counter.refreshLockRequests++;
        return request(...args);
      };
    });
    await context.clock.install();
    const pages: Page[] = [];
    const errors: string[] = [];
    for (let i = 0; i < TABS; i++) {
      const page = await context.newPage();
      errors.push(...collectPageErrors(page));
      await page.goto(inject('appUrl'));
      pages.push(page);
    }
    await loginThroughPopup(pages[0]!);
    // The other tabs get the session over the BroadcastChannel.
    for (const page of pages) {
      await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
    }

    const started = Date.now();
    let rejected = 0;
    let logouts = 0;
    let roundsWithMore = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const before = refreshes.length;
      const previous = newest;
      const jump = TO_RENEWAL_MS - (Date.now() - issuedAt) + PAST_RENEWAL_MS;
      await context.clock.fastForward(jump);
      await expect
        .poll(() => refreshes.length, { timeout: 10_000, interval: 20 })
        .toBeGreaterThan(before);
      await expect.poll(() => newest, { timeout: 10_000, interval: 20 }).not.toBe(previous);
      // Time for the other tabs to hear of it and finish their own renewal.
      await new Promise((resolve) => setTimeout(resolve, 150));
      if (refreshes.length - before > 1) roundsWithMore++;
      const counts = await Promise.all(pages.map(loggedOut));
      logouts += counts.filter((n) => n > 0).length;
      const userinfo = await fetch(`${emulatorUrl}/userinfo`, {
        headers: { Authorization: `Bearer ${newest}` },
      });
      if (userinfo.status !== 200) rejected++;
      expect(logouts, `logged-out tabs after round ${round}`).toBe(0);
      expect(rejected, `rejected tokens after round ${round}`).toBe(0);
    }
    const renewals = await Promise.all(
      pages.map((page) =>
        page.evaluate(
          () => (window as unknown as { refreshLockRequests: number }).refreshLockRequests,
        ),
      ),
    );
    const figures = {
      rounds: ROUNDS,
      tabs: TABS,
      renewals: renewals.reduce((a, b) => a + b, 0),
      tokenRequests: refreshes.length,
      roundsWithMoreThanOneRequest: roundsWithMore,
      logouts,
      rejectedTokens: rejected,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    console.log(`[measure] five tabs in Chromium: ${JSON.stringify(figures)}`);
    expect(figures.tokenRequests).toBe(ROUNDS);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
