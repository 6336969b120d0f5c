import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { brand } from '../../src/brand';
import { OFFLINE_DARK_COLORS } from '../../scripts/offlineBasemapStyle';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser';
import { loginThroughPopup } from './support/login';
import { axeAudit } from './support/axe';
import { colourShares, hexToRgb } from './support/pixels';

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  // The system asks for dark (as a phone at night would); axe opens pages in the context.
  context = await browser.newContext({
    colorScheme: 'dark',
    viewport: { width: 1280, height: 720 },
  });
  page = await context.newPage();
});

afterAll(async () => {
  await browser.close();
});

const rgb = (hex: string) => `rgb(${hexToRgb(hex).join(', ')})`;
const background = (target: Locator) =>
  target.evaluate((el) => getComputedStyle(el).backgroundColor);

/** axe's serious and critical violations on a page (WCAG 2.1 AA, colour contrast included). */
async function seriousViolations(on: Page, screen: string): Promise<string[]> {
  const { found, serious } = await axeAudit(on, screen);
  for (const f of found) console.log(`[axe dark] ${screen} | ${f.impact} | ${f.rule} | ${f.nodes}`);
  return serious;
}

async function addDataset() {
  await page.getByRole('button', { name: 'Add populated_places to the map' }).click();
  await page.getByRole('switch', { name: 'Show populated_places' }).waitFor({ timeout: 20_000 });
  // Let the points and the basemap draw.
  await page.waitForTimeout(3000);
}

describe('light and dark mode in Chromium', () => {
  it('follows the system’s dark setting: the app, its basemap and the emulator’s pages', async () => {
    const errors = collectPageErrors(page);
    await page.goto(inject('appUrl'));
    await page.getByRole('heading', { name: 'CARTO Login Starter' }).waitFor();
    expect(await background(page.locator('body'))).toBe(rgb(brand.dark.background));
    expect(await background(page.locator('header'))).toBe(rgb(brand.dark.header));
    const toggle = page.getByRole('button', { name: 'Dark mode' });
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('true');
    const serious = await seriousViolations(page, 'first screen');

    // The emulator's login page: dark by prefers-color-scheme (CSS only).
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Login with CARTO' }).first().click(),
    ]);
    await popup.locator('#password').waitFor({ timeout: 20_000 });
    expect(await background(popup.locator('body'))).toBe('rgb(18, 21, 23)');
    await saveScreenshot(popup, 'theme-dark-emulator-login');
    serious.push(...(await seriousViolations(popup, 'emulator login page')));
    await popup.close();
    await loginThroughPopup(page);

    await page
      .getByRole('list', { name: 'Datasets' })
      .getByText('demo.populated_places')
      .waitFor({ timeout: 20_000 });
    // The side panel is MUI's paper in the dark palette.
    expect(await background(page.getByRole('complementary', { name: 'Side panel' }))).toBe(
      rgb(brand.dark.surface),
    );
    serious.push(...(await seriousViolations(page, 'datasets view')));
    await addDataset();
    // CARTO's CDN is unreachable here: the offline basemap stands in, in its dark colours.
    const shares = colourShares(await page.locator('.maplibregl-canvas').screenshot(), {
      water: hexToRgb(OFFLINE_DARK_COLORS.water),
      land: hexToRgb(OFFLINE_DARK_COLORS.land),
    });
    expect(shares.water).toBeGreaterThan(0.2);
    expect(shares.land).toBeGreaterThan(0.03);
    await saveScreenshot(page, 'theme-dark-dataset');
    // The widgets' charts (MUI X) take the dark palette: looked at by a person, not measured.
    await page.getByRole('tab', { name: 'Stores' }).click();
    await page.getByRole('status').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(4000);
    await saveScreenshot(page, 'theme-dark-stores');
    // The SQL editor's syntax colours are the brand's dark ones (CodeMirror's own are for white).
    await page.getByRole('tab', { name: 'SQL' }).click();
    await page.locator('.cm-editor').waitFor({ timeout: 20_000 });
    const keyword = page
      .locator('.cm-content span')
      .filter({ hasText: /^SELECT$/ })
      .first();
    await keyword.waitFor({ timeout: 10_000 });
    expect(await keyword.evaluate((el) => getComputedStyle(el).color)).toBe(
      rgb(brand.dark.codeKeyword),
    );
    serious.push(...(await seriousViolations(page, 'SQL view')));
    await saveScreenshot(page, 'theme-dark-sql');
    await page.getByRole('tab', { name: 'Datasets' }).click();
    expect(serious).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('the toggle switches to light, and the choice is kept over a reload', async () => {
    const toggle = page.getByRole('button', { name: 'Dark mode' });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    await expect
      .poll(() => background(page.getByRole('complementary', { name: 'Side panel' })))
      .toBe(rgb(brand.light.surface));

    await page.reload();
    await page.getByRole('heading', { name: 'CARTO Login Starter' }).waitFor();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
    expect(await background(page.locator('body'))).toBe(rgb(brand.light.background));
    expect(await background(page.locator('header'))).toBe(rgb(brand.light.header));
    await expect
      .poll(() => page.getByRole('button', { name: 'Dark mode' }).getAttribute('aria-pressed'))
      .toBe('false');

    // The layer comes back with the map's link; its data once logged in again.
    await loginThroughPopup(page);
    await page.getByRole('switch', { name: 'Show populated_places' }).waitFor({ timeout: 20_000 });
    await page.waitForTimeout(3000);
    await saveScreenshot(page, 'theme-light-dataset');
  });
});
