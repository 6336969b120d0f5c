import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page, Response } from 'playwright-core';
import { DEMO_LOGIN } from '../../emulator/config/demoLogin';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser';
import { restartEmulator } from './support/emulator';
import { loginThroughPopup } from './support/login';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
});

const hashParam = (url: string, name: string) =>
  new URLSearchParams(new URL(url).hash.slice(1)).get(name);

const panelOf = (page: Page) => page.getByRole('region', { name: 'Store widgets' });
const widgetOf = (page: Page, title: string) =>
  panelOf(page).getByRole('region', { name: title, exact: true });
const parseCount = (text: string | null) => Number((text ?? '').replace(/[^\d.]/g, ''));
/** The number the "Stores" formula shows, or null while it shows none. */
const storesNumber = async (page: Page) => {
  const text = await widgetOf(page, 'Stores')
    .locator('.MuiTypography-h5')
    .textContent({ timeout: 1_000 })
    .catch(() => null);
  return text && /\d/.test(text) ? parseCount(text) : null;
};
const categoryBar = (page: Page, name: string) =>
  widgetOf(page, 'Store type').getByRole('button', { name: new RegExp(`^${name}: `) });
const categoryCount = async (page: Page, name: string) =>
  parseCount((await categoryBar(page, name).getAttribute('aria-label'))?.split(': ')[1] ?? '');

/** Drags the map by (dx, dy) from its middle, in small steps; once more if it did not move. */
async function dragMap(page: Page, dx: number, dy: number) {
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('the map is not on screen');
  const x = Math.round(box.x + box.width / 2);
  const y = Math.round(box.y + box.height / 2);
  const readout = () => page.getByTestId('view-state').textContent();
  const before = await readout();
  for (let attempt = 0; attempt < 2 && (await readout()) === before; attempt++) {
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let step = 1; step <= 8; step++) {
      await page.mouse.move(x + (dx * step) / 8, y + (dy * step) / 8);
      await page.waitForTimeout(30);
    }
    await page.mouse.up();
    await expect
      .poll(readout, { timeout: 3_000 })
      .not.toBe(before)
      .catch(() => undefined);
  }
  expect(await readout()).not.toBe(before);
}

describe('the emulator restarts under a logged-in user (Chromium, tokens in memory)', () => {
  it('the next API call ends the session cleanly; logging in again picks up where it was', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    // What the app asks of the authorization server and which API answers are refusals.
    const traffic = { tokenRequests: 0, unauthorized: 0, tiles: 0 };
    const emulatorOrigin = new URL(inject('emulatorUrl')).origin;
    page.on('response', (response: Response) => {
      const url = new URL(response.url());
      if (url.origin !== emulatorOrigin) return;
      if (url.pathname === '/oauth/token') traffic.tokenRequests++;
      if (response.status() === 401) traffic.unauthorized++;
      else if (url.pathname.includes('/tiles/') && response.ok()) traffic.tiles++;
    });

    await page.goto(inject('appUrl'));
    await loginThroughPopup(page);
    await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
    await page.getByRole('tab', { name: 'Stores' }).click();
    // A filter: only the pharmacies.
    await categoryBar(page, 'Pharmacy').waitFor({ timeout: 45_000 });
    await categoryBar(page, 'Pharmacy').click();
    await panelOf(page).getByRole('status').filter({ hasText: '1 filter on the stores' }).waitFor();
    const pharmacies = await categoryCount(page, 'Pharmacy');
    await expect.poll(() => storesNumber(page), { timeout: 45_000 }).toBe(pharmacies);
    await expect.poll(() => hashParam(page.url(), 'filters'), { timeout: 10_000 }).not.toBeNull();
    const filters = hashParam(page.url(), 'filters');
    const viewBefore = hashParam(page.url(), 'map');
    const loginTokenRequests = traffic.tokenRequests;

    // New signing keys, no sessions or grants: the app's access and refresh tokens are dead.
    await restartEmulator(inject('emulatorUrl'));

    // The next thing the user does that asks the API: a pan (new tiles, new widget answers).
    const banner = page.getByRole('status').filter({ hasText: 'Your CARTO session expired' });
    // On a loaded machine a pan can end before the map takes it (nothing asked, nothing
    // refused): the user pans again, as people do, up to three times.
    for (let attempt = 0; attempt < 3 && !(await banner.isVisible()); attempt++) {
      await dragMap(page, -200 + 40 * attempt, 60);
      await banner.waitFor({ timeout: 20_000 }).catch(() => undefined);
    }
    await banner.waitFor({ timeout: 5_000 });
    await saveScreenshot(page, 'emulator-restart-session-ended');
    // The view is the panned one (kept, not reset), and the filter is still there.
    await expect.poll(() => hashParam(page.url(), 'map'), { timeout: 10_000 }).not.toBe(viewBefore);
    const viewPanned = hashParam(page.url(), 'map');
    expect(hashParam(page.url(), 'filters')).toBe(filters);
    await panelOf(page).getByRole('status').filter({ hasText: '1 filter on the stores' }).waitFor();
    await page.locator('.maplibregl-canvas').waitFor();
    // One renewal attempt (refused), and then quiet: no loop of refusals and renewals.
    const renewals = traffic.tokenRequests - loginTokenRequests;
    const refusals = traffic.unauthorized;
    await page.waitForTimeout(3_000);
    console.log(
      `[restart] after the restart: ${renewals} token request(s), ${refusals} 401(s); 3 s later: ${traffic.tokenRequests - loginTokenRequests}, ${traffic.unauthorized}`,
    );
    expect(renewals).toBeGreaterThanOrEqual(1);
    expect(renewals).toBeLessThanOrEqual(2);
    expect(traffic.tokenRequests - loginTokenRequests).toBe(renewals);
    expect(traffic.unauthorized).toBe(refusals);
    // The user is still named (the session ended, the user did not log out); no error alert.
    await page.getByRole('button', { name: 'Account: Demo User' }).waitFor();
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);

    // Logging in again: the emulator forgot the login session, so it asks for the password.
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      banner.getByRole('button', { name: 'Log in again' }).click(),
    ]);
    await popup.locator('#password').waitFor({ timeout: 20_000 });
    await popup.fill('#email', DEMO_LOGIN.email);
    await popup.fill('#password', DEMO_LOGIN.password);
    await popup.click('button[type=submit]');
    await popup.getByRole('button', { name: 'Allow' }).click();
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    const loggedInAgain = { ...traffic };

    // Where it was: the same view and filter, and the widgets answer over the pharmacies in it.
    await expect
      .poll(
        async () => {
          const stores = await storesNumber(page);
          const bar = categoryBar(page, 'Pharmacy');
          return (
            stores !== null &&
            (await bar.count()) === 1 &&
            stores === (await categoryCount(page, 'Pharmacy'))
          );
        },
        { timeout: 45_000, interval: 500 },
      )
      .toBe(true);
    expect(await storesNumber(page)).toBeGreaterThan(0);
    expect(await categoryBar(page, 'Pharmacy').getAttribute('aria-pressed')).toBe('true');
    expect(hashParam(page.url(), 'map')).toBe(viewPanned);
    expect(hashParam(page.url(), 'filters')).toBe(filters);
    expect(await page.getByRole('alert').allTextContents()).toEqual([]);
    // The stores are drawn again: their source is instantiated again (the restarted platform
    // forgot the old one) and its tiles load with the new token, with no refusal; and nothing
    // keeps renewing (at most the new login's own code exchange is counted after it).
    await expect
      .poll(() => traffic.tiles - loggedInAgain.tiles, { timeout: 20_000 })
      .toBeGreaterThan(0);
    const settled = { ...traffic };
    await page.waitForTimeout(3_000);
    console.log(
      `[restart] after logging in again: ${traffic.tiles - loggedInAgain.tiles} tiles, ${traffic.unauthorized - loggedInAgain.unauthorized} 401(s), ${traffic.tokenRequests - loggedInAgain.tokenRequests} token request(s)`,
    );
    expect(traffic.unauthorized).toBe(loggedInAgain.unauthorized);
    expect(settled.tokenRequests - loggedInAgain.tokenRequests).toBeLessThanOrEqual(1);
    expect(traffic.tokenRequests).toBe(settled.tokenRequests);
    await saveScreenshot(page, 'emulator-restart-logged-in-again');
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
