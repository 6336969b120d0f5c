import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser';
import { loginThroughPopup } from './support/login';
import { mapPixels, type Pixel } from './support/pixels';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
});

async function freshPage(
  url: string,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = collectPageErrors(page);
  await page.goto(url);
  return { context, page, errors };
}

describe('Login with CARTO in Chromium (app + emulator)', () => {
  it('logs in through the popup and shows the user in the header', async () => {
    const { context, page, errors } = await freshPage(inject('appUrl'));
    await page.getByRole('button', { name: 'Login with CARTO' }).waitFor();
    const started = Date.now();
    const popup = await loginThroughPopup(page);
    const account = page.getByRole('button', { name: 'Account: Demo User' });
    await account.waitFor({ timeout: 20_000 });
    const ms = Date.now() - started;
    console.log(`[measure] click to credentials (incl. typing in the popup): ${ms} ms`);
    await expect.poll(() => popup.isClosed(), { timeout: 5000 }).toBe(true);
    await saveScreenshot(page, 'login-logged-in');

    // Tokens stay in memory: nothing in storage or cookies of the app's origin.
    const stored = await page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      cookies: document.cookie,
    }));
    expect(stored).toEqual({ local: 0, session: 0, cookies: '' });

    await account.click();
    await page.getByRole('menu').getByText('Permissions granted').waitFor();
    await saveScreenshot(page, 'login-user-menu');
    // Logout ends the server session too: the page goes to /v2/logout and comes back.
    const back = page.waitForEvent('load');
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await back;
    await page.getByRole('button', { name: 'Login with CARTO' }).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('denied consent shows a clear error, and a retry works', async () => {
    const { context, page } = await freshPage(inject('appUrl'));
    await loginThroughPopup(page, { decision: 'Deny' });
    const alert = page.getByRole('alert').filter({ hasText: 'You did not allow access' });
    await alert.waitFor({ timeout: 10_000 });
    await saveScreenshot(page, 'login-denied');
    await loginThroughPopup(page, { loginButton: 'Try again' });
    await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
    await context.close();
  });

  it('forceOAuthLogin: a login screen first, the map code only after login, session kept on reload', async () => {
    const { context, page } = await freshPage(inject('forcedAppUrl'));
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.getByRole('heading', { name: 'CARTO Login Starter' }).waitFor();
    await page.getByRole('list', { name: 'Requested permissions' }).waitFor();
    await saveScreenshot(page, 'login-screen');
    expect(requested.filter((u) => /MapView|maplibre|Workspace/.test(u))).toEqual([]);

    await loginThroughPopup(page);
    await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
    await page.locator('.maplibregl-canvas').waitFor({ timeout: 20_000 });
    expect(requested.some((u) => u.includes('MapView'))).toBe(true);

    // persist: 'session' -> a reload keeps the login (no popup), and logout clears it.
    expect(await page.evaluate(() => sessionStorage.length)).toBe(1);
    await page.reload();
    await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Account: Demo User' }).click();
    // Logout ends the server session too: the page goes to /v2/logout and comes back.
    const back = page.waitForEvent('load');
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await back;
    await page.getByRole('button', { name: 'Login with CARTO' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await context.close();
  });

  it('a deep link to /stores: login to the first tiles drawn, and the tile requests it takes', async () => {
    const { context, page, errors } = await freshPage(new URL('/stores', inject('appUrl')).href);
    const tileRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/tiles/')) tileRequests.push(request.url());
    });
    await page.locator('.maplibregl-canvas').waitFor({ timeout: 20_000 });
    /** Drawn stores: the offline basemap has no saturated colours. */
    const saturated = ([r, g, b]: Pixel) => Math.max(r, g, b) - Math.min(r, g, b) > 90;
    // Before login: no store, only the map's own controls and notices.
    await page.waitForTimeout(500);
    const before = (await mapPixels(page, saturated)).count;
    expect(tileRequests).toEqual([]);
    const clicked = Date.now();
    await loginThroughPopup(page);
    await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
    const loggedIn = Date.now();
    await expect
      .poll(async () => (await mapPixels(page, saturated)).count, {
        timeout: 30_000,
        interval: 100,
      })
      .toBeGreaterThan(before + 500);
    const drawn = Date.now();
    console.log(
      `[measure] first store tiles drawn: ${drawn - loggedIn} ms after login, ${drawn - clicked} ms after the click (incl. typing in the popup)`,
    );
    // Every tile of the default view has been asked for once the map is idle.
    await page.waitForTimeout(1500);
    console.log(`[measure] tile requests for the default view: ${tileRequests.length}`);
    expect(tileRequests.length).toBeGreaterThan(0);
    expect(new Set(tileRequests).size).toBe(tileRequests.length);
    expect(errors).toEqual([]);
    await context.close();
  });
});
