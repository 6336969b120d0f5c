import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Response } from 'playwright-core';
import { DEMO_LOGIN } from '../../emulator/config/demoLogin';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser';
import { restartEmulator } from './support/emulator';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  // As `npm run emulator -- --coop`: the login pages carry COOP same-origin.
  await restartEmulator(inject('emulatorUrl'), { coop: true });
});

afterAll(async () => {
  await restartEmulator(inject('emulatorUrl'));
  await browser.close();
});

describe('login when the authorization server sends Cross-Origin-Opener-Policy (Chromium)', () => {
  it('the popup loses its opener, and the login still completes by BroadcastChannel', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    // Every page the login window loads from the emulator, with the COOP it was served with.
    const emulatorOrigin = new URL(inject('emulatorUrl')).origin;
    const pages: Promise<{ page: string; status: number; coop: string | null }>[] = [];
    context.on('response', (response: Response) => {
      const request = response.request();
      const url = new URL(response.url());
      if (!request.isNavigationRequest() || url.origin !== emulatorOrigin) return;
      pages.push(
        response.allHeaders().then((headers) => ({
          page: `${request.method()} ${url.pathname}`,
          status: response.status(),
          coop: headers['cross-origin-opener-policy'] ?? null,
        })),
      );
    });

    await page.goto(inject('appUrl'));
    await page.locator('.maplibregl-canvas').waitFor({ timeout: 30_000 });
    const viewReadout = await page.getByTestId('view-state').textContent();
    expect(viewReadout).toMatch(/zoom/);

    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Login with CARTO' }).first().click(),
    ]);
    await popup.locator('#password').waitFor({ timeout: 20_000 });
    // COOP took effect: the login page is cut off from the app that opened it.
    expect(await popup.evaluate(() => window.opener === null)).toBe(true);
    await popup.fill('#email', DEMO_LOGIN.email);
    await popup.fill('#password', DEMO_LOGIN.password);
    await popup.click('button[type=submit]');
    await popup.getByRole('heading', { name: 'Allow access?' }).waitFor();
    expect(await popup.evaluate(() => window.opener === null)).toBe(true);
    await popup.getByRole('button', { name: 'Allow' }).click();

    // Headless Chromium gives every window the focus, so the app cannot tell the cut-off window
    // from a closed one and may say it was closed; the answer by BroadcastChannel still counts.
    await page
      .getByRole('button', { name: 'Account: Demo User' })
      .waitFor({ timeout: 20_000 })
      .catch(async (error: unknown) => {
        console.log(
          `[coop] not logged in; alerts: ${JSON.stringify(await page.getByRole('alert').allTextContents())}`,
        );
        throw error;
      });
    // The window closes itself, as without COOP.
    await expect.poll(() => popup.isClosed(), { timeout: 5_000 }).toBe(true);
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);

    const served = await Promise.all(pages);
    console.log(`[coop] emulator pages in the login window: ${JSON.stringify(served)}`);
    // The login page, the consent page (the login form's answer) and the redirect back.
    expect(served.map((p) => p.page)).toEqual([
      'GET /authorize',
      'POST /authorize/login',
      'POST /authorize/consent',
    ]);
    expect(served.map((p) => p.status)).toEqual([200, 200, 302]);
    for (const p of served) expect(p.coop, p.page).toBe('same-origin');

    // The map kept its view through the login, and the token works (the user's datasets list,
    // and one of them on the map).
    expect(await page.getByTestId('view-state').textContent()).toBe(viewReadout);
    await page.locator('.maplibregl-canvas').waitFor();
    await page.getByRole('list', { name: 'Datasets' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Add retail_stores to the map' }).click();
    await page.getByRole('list', { name: 'Legend of retail_stores' }).waitFor({ timeout: 20_000 });
    await saveScreenshot(page, 'coop-logged-in');
    expect(errors).toEqual([]);
    await context.close();
  });
});
