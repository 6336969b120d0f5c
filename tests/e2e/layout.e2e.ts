import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser';
import { loginThroughPopup } from './support/login';
import { measureLayout } from './support/layout';
import { mapPixels, type Pixel } from './support/pixels';
import { axeAudit } from './support/axe';

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

/**
 * Two fingers on the touchscreen moving apart, from `from` px to `to` px between them around
 * `center` (Chrome's DevTools protocol: Playwright's touchscreen has one finger).
 */
async function pinch(page: Page, center: { x: number; y: number }, from: number, to: number) {
  const cdp = await page.context().newCDPSession(page);
  const fingers = (gap: number) => [
    { x: center.x - gap / 2, y: center.y, id: 0 },
    { x: center.x + gap / 2, y: center.y, id: 1 },
  ];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(from) });
  const steps = 10;
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove',
      touchPoints: fingers(from + ((to - from) * i) / steps),
    });
    await page.waitForTimeout(16);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
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
        // Escape folds it back, with the focus on its button.
        await page.getByRole('button', { name: 'Account: Demo User' }).focus();
        await page.keyboard.press('Escape');
        await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ state: 'hidden' });
        expect(
          await page.evaluate(() => document.activeElement?.getAttribute('aria-controls')),
        ).toBe('app-menu');
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
        if (phone && state === 'open') {
          // axe on the phone layout: the bottom sheet over the map, its tabs and list.
          const { found, serious } = await axeAudit(page, `${size} panel open`);
          for (const f of found)
            console.log(`[axe] ${size} panel open | ${f.impact} | ${f.rule} | ${f.nodes}`);
          expect(serious).toEqual([]);
        }
      }
      if (phone) {
        // Touch: two fingers spread apart zoom the map in (maplibre's touch zoom).
        const zoom = () =>
          page.evaluate(() => Number(/map=([\d.]+)\//.exec(window.location.hash)?.[1] ?? NaN));
        const before = await zoom();
        await pinch(page, { x: width / 2, y: height / 2 }, 40, 160);
        await expect.poll(zoom, { timeout: 10_000 }).toBeGreaterThan(before + 1);
        console.log(`[layout] ${size} pinch: zoom ${before} -> ${await zoom()}`);
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
