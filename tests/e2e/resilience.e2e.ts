import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, saveScreenshot } from './support/browser';
import { loginThroughPopup } from './support/login';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
});

describe('failures stay where they happen (Chromium)', () => {
  it('a view whose chunk is gone after a deploy offers a reload; the map and login stay', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // As after a new deploy: the old build's chunk for the SQL view no longer exists.
    await page.route(/\/assets\/SqlView-[^/]+\.js$/, (route) => route.fulfill({ status: 404 }));
    await page.goto(inject('appUrl'));
    await loginThroughPopup(page);
    await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
    await page.getByRole('tab', { name: 'SQL' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The SQL view stopped working' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('a newer version of the app is available');
    await alert.getByRole('button', { name: 'Reload the app' }).waitFor();
    // Everything else still works: the map, the login, the other views.
    await page.locator('.maplibregl-canvas').waitFor();
    await page.getByRole('tab', { name: 'Datasets' }).click();
    await page.getByRole('list', { name: 'Datasets' }).waitFor();
    await page.getByRole('button', { name: 'Account: Demo User' }).waitFor();
    await saveScreenshot(page, 'resilience-missing-chunk');
    await page.getByRole('tab', { name: 'SQL' }).click();
    await saveScreenshot(page, 'resilience-missing-chunk-alert');
    await page.close();
  });

  it('without WebGL the map says so, and the side panel keeps working', async () => {
    const noWebGL = await launchChromium({ webgl: false });
    try {
      const page = await noWebGL.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(inject('appUrl'));
      const message = page.getByTestId('map-unavailable');
      await message.waitFor({ timeout: 20_000 });
      expect(await message.textContent()).toContain('The map cannot be drawn in this browser');
      await loginThroughPopup(page);
      await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
      await page.getByRole('list', { name: 'Datasets' }).waitFor();
      await page.getByRole('button', { name: 'Add retail_stores to the map' }).click();
      await page.getByRole('list', { name: 'Legend of retail_stores' }).waitFor();
      await saveScreenshot(page, 'resilience-no-webgl');
      // The widgets answer for the view in the store (they wait for a map size, which the
      // message's box gives), not a skeleton forever.
      await page.getByRole('tab', { name: 'Stores' }).click();
      const stores = page
        .getByRole('region', { name: 'Store widgets' })
        .getByRole('region', { name: 'Stores', exact: true });
      await expect
        .poll(
          () =>
            stores
              .locator('.MuiTypography-h5')
              .textContent()
              .catch(() => null),
          {
            timeout: 30_000,
          },
        )
        .toMatch(/^\d[\d,]*$/);
      expect(await stores.getAttribute('aria-busy')).toBe('false');
    } finally {
      await noWebGL.close();
    }
  });
});
