import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser';
import { colourShares, hexToRgb } from './support/pixels';
import { OFFLINE_COLORS } from '../../scripts/offlineBasemapStyle';

const offline = { land: hexToRgb(OFFLINE_COLORS.land), water: hexToRgb(OFFLINE_COLORS.water) };
const DARK = '#101418';

let browser: Browser;
let page: Page;
let pageErrors: string[];

async function mapShares(colours: Record<string, readonly [number, number, number]>) {
  const canvas = page.locator('.maplibregl-canvas');
  return colourShares(await canvas.screenshot(), colours);
}

async function waitForShares(
  colours: Record<string, readonly [number, number, number]>,
  done: (shares: Record<string, number>) => boolean,
  timeoutMs = 30000,
) {
  const deadline = Date.now() + timeoutMs;
  let shares: Record<string, number> = {};
  while (Date.now() < deadline) {
    shares = await mapShares(colours);
    if (done(shares)) return shares;
    await page.waitForTimeout(300);
  }
  throw new Error(`map never showed the expected colours: ${JSON.stringify(shares)}`);
}

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  pageErrors = collectPageErrors(page);
  await page.goto(inject('appUrl'));
});

afterAll(async () => {
  await browser.close();
});

describe('app shell in Chromium', () => {
  it('draws the offline basemap when CARTO’s CDN is unreachable, and says so', async () => {
    await page.getByRole('heading', { name: 'CARTO Login Starter' }).waitFor();
    await page.locator('.maplibregl-canvas').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: 'Showing the offline basemap' })
      .waitFor({ timeout: 20000 });

    const shares = await waitForShares(
      offline,
      (s) => (s.land ?? 0) > 0.05 && (s.water ?? 0) > 0.2,
    );
    await saveScreenshot(page, 'shell-offline-basemap');
    // Land and sea are both drawn, in their own colours.
    expect(shares.land).toBeGreaterThan(0.05);
    expect(shares.water).toBeGreaterThan(0.2);
    expect(pageErrors).toEqual([]);
  });

  it('the store’s view follows panning', async () => {
    const readout = page.getByTestId('view-state');
    const before = Number(await readout.getAttribute('data-longitude'));
    const box = await page.locator('.maplibregl-canvas').boundingBox();
    if (!box) throw new Error('map canvas has no box');
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let step = 1; step <= 10; step++) await page.mouse.move(x + step * 30, y + step * 5);
    await page.mouse.up();

    await expect
      .poll(async () => Number(await readout.getAttribute('data-longitude')), { timeout: 5000 })
      .toBeLessThan(before - 10);
    expect(await readout.textContent()).toMatch(/° [NS], [\d.]+° [EW] · zoom/);
  });

  it('the basemap selector switches styles', async () => {
    // Stand in for CARTO's CDN (unreachable here) with a one-colour style.
    await page.route('https://basemaps.cartocdn.com/**', (route) =>
      route.fulfill({
        json: {
          version: 8,
          name: 'Dark Matter (test)',
          sources: {},
          layers: [{ id: 'bg', type: 'background', paint: { 'background-color': DARK } }],
        },
      }),
    );
    await page.getByRole('combobox', { name: 'Basemap' }).click();
    await page.getByRole('option', { name: 'Dark Matter' }).click();
    const shares = await waitForShares({ dark: hexToRgb(DARK) }, (s) => (s.dark ?? 0) > 0.9);
    expect(shares.dark).toBeGreaterThan(0.9);
    await saveScreenshot(page, 'shell-dark-basemap');

    await page.getByRole('combobox', { name: 'Basemap' }).click();
    await page.getByRole('option', { name: 'Offline (Natural Earth)' }).click();
    await waitForShares(offline, (s) => (s.land ?? 0) > 0.05 && (s.water ?? 0) > 0.2);
  });
});
