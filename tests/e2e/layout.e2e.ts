import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser';
import { loginThroughPopup } from './support/login';
import { measureLayout } from './support/layout';
import { mapPixels, type Pixel } from './support/pixels';

/** populated_places' orange (CARTOColors Vivid) over the basemap, as datasets.e2e.ts reads it. */
const orange = ([r, g, b]: Pixel) => r > 190 && g > 100 && g < 170 && b < 70;

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
});

const SIZES = [
  { width: 390, height: 844, phone: true },
  { width: 1280, height: 720, phone: false },
  { width: 1920, height: 1080, phone: false },
] as const;

/** WCAG 2.5.5's 44 px, on phones; a mouse needs less. */
const PHONE_TARGET = 44;

/** Logs in (through the header menu on a phone) and draws populated_places. */
async function loggedInWithDataset(page: Page, phone: boolean) {
  await page.goto(inject('appUrl'));
  if (phone) await page.getByRole('button', { name: 'App menu' }).click();
  await loginThroughPopup(page);
  await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
  if (phone) {
    await page.getByRole('button', { name: 'App menu' }).click();
    await page.getByRole('button', { name: 'Show panel' }).click();
  }
  await page
    .getByRole('button', { name: 'Add populated_places to the map' })
    .click({ timeout: 20_000 });
  await page.getByRole('switch', { name: 'Show populated_places' }).waitFor();
  await page
    .getByRole('progressbar', { name: 'Loading populated_places' })
    .waitFor({ state: 'detached', timeout: 30_000 });
  await expect
    .poll(async () => (await mapPixels(page, orange)).count, { timeout: 30_000, interval: 500 })
    .toBeGreaterThan(500);
}

describe('layout at every size: phones, laptops, large screens', () => {
  for (const { width, height, phone } of SIZES) {
    it(`${width}×${height}: no horizontal scroll, nothing off screen${phone ? ', 44 px targets' : ''}, panel open and closed`, async () => {
      const context = await browser.newContext({
        viewport: { width, height },
        ...(phone ? { hasTouch: true, isMobile: true } : {}),
      });
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await loggedInWithDataset(page, phone);
      const canvas = page.locator('.maplibregl-canvas');
      const size = `${width}x${height}`;
      if (phone) {
        // The header's menu, open: the account in it, within the screen, 44 px targets.
        await page.getByRole('button', { name: 'App menu' }).click();
        await page.getByRole('button', { name: 'Account: Demo User' }).waitFor();
        await saveScreenshot(page, `layout-${size}-header-menu`);
        const menu = await measureLayout(page, PHONE_TARGET);
        console.log(
          `[layout] ${size} header menu: horizontal scroll ${menu.horizontalScroll}, off screen ${menu.outside.length}, under ${PHONE_TARGET} px ${menu.small.length}`,
        );
        expect([menu.horizontalScroll, ...menu.outside, ...menu.small]).toEqual([false]);
        await page.getByRole('button', { name: 'App menu' }).click();
      }
      for (const state of ['open', 'closed'] as const) {
        if (state === 'closed') await page.getByRole('button', { name: 'Hide panel' }).click();
        await page
          .getByRole('button', { name: state === 'open' ? 'Hide panel' : 'Show panel' })
          .waitFor();
        // maplibre follows its container (a ResizeObserver): the canvas fills the map's box.
        await expect
          .poll(() =>
            page.evaluate(() => {
              const c = document.querySelector<HTMLCanvasElement>('.maplibregl-canvas');
              const box = document.querySelector('[data-testid="map"]');
              return c && box ? Math.abs(c.clientWidth - box.clientWidth) : -1;
            }),
          )
          .toBe(0);
        await canvas.waitFor();
        await saveScreenshot(page, `layout-${size}-panel-${state}`);
        const report = await measureLayout(page, phone ? PHONE_TARGET : 0);
        console.log(
          `[layout] ${size} panel ${state}: horizontal scroll ${report.horizontalScroll}, off screen ${report.outside.length}, controls ${report.targets}, under ${phone ? PHONE_TARGET : 0} px ${report.small.length}`,
        );
        for (const line of [...report.outside, ...report.small]) console.log(`[layout]   ${line}`);
        expect(report.horizontalScroll).toBe(false);
        expect(report.outside).toEqual([]);
        expect(report.small).toEqual([]);
      }
      if (phone) {
        // Touch: a tap on a point shows its details, in the sheet, which opens for them.
        // (Offline, the basemap notice covers the north: dismissed by a tap too.)
        const dismiss = page.getByRole('button', { name: 'Dismiss' });
        if (await dismiss.isVisible()) await dismiss.tap();
        const { first } = await mapPixels(page, orange);
        if (!first) throw new Error('no point drawn');
        await page.touchscreen.tap(first.x + 2, first.y + 2);
        await page.getByRole('region', { name: 'Selected feature' }).waitFor();
        await page.getByRole('button', { name: 'Hide panel' }).waitFor();
        await saveScreenshot(page, `layout-${size}-tapped-feature`);
      }
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
