import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser';
import { loginThroughPopup } from './support/login';
import { hoverForTooltip, mapPixels, type Pixel } from './support/pixels';

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  errors = collectPageErrors(page);
  await page.goto(inject('appUrl'));
  await loginThroughPopup(page);
  await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
  await page.locator('.maplibregl-canvas').waitFor();
  // The offline-basemap notice has saturated colours of its own: only drawn features count.
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  await dismiss.click({ timeout: 5_000 }).catch(() => undefined);
});

afterAll(async () => {
  await browser.close();
});

const pixels = (test: (p: Pixel, x: number, y: number) => boolean) => mapPixels(page, test);

/** Drawn features: the offline basemap has no saturated colours. */
const saturated = ([r, g, b]: Pixel) => Math.max(r, g, b) - Math.min(r, g, b) > 90;
const pinkish = ([r, g, b]: Pixel) => r > 200 && r - g > 25 && r - b > 10;
/** deck.gl's highlight of the hovered or selected feature ([255, 210, 0]). */
const highlighted = ([r, g, b]: Pixel) => r > 245 && g > 198 && g < 222 && b < 40;
/** The Isochrones view's stores. */
const teal = ([r, g, b]: Pixel) => r < 30 && Math.abs(g - 112) < 30 && Math.abs(b - 120) < 30;

describe('views in Chromium', () => {
  it('Stores: coloured points with a legend, and a tooltip on hover', async () => {
    await page.getByRole('tab', { name: 'Stores' }).click();
    expect(new URL(page.url()).pathname).toBe('/stores');
    await page
      .getByRole('list', { name: 'Legend of Retail stores' })
      .getByText('Supermarket')
      .waitFor();
    await expect
      .poll(async () => (await pixels(saturated)).count, { timeout: 30_000, interval: 500 })
      .toBeGreaterThan(500);
    await saveScreenshot(page, 'views-stores');
    // Hover the first drawn store: deck.gl shows its properties.
    const { first } = await pixels(saturated);
    if (!first) throw new Error('no store drawn');
    const tooltip = await hoverForTooltip(page, first, 'store_type');
    expect(tooltip).toContain('store_type');
    // The hovered store is drawn in the highlight colour.
    await expect
      .poll(async () => (await pixels(highlighted)).count, { timeout: 5_000 })
      .toBeGreaterThan(3);
    await saveScreenshot(page, 'views-stores-tooltip');
    // Clicking it selects it: its properties stay in the side panel, and it stays highlighted
    // when the pointer moves away.
    await page.mouse.down();
    await page.mouse.up();
    const selected = page.getByRole('region', { name: 'Selected feature' });
    await selected.waitFor();
    expect(await selected.textContent()).toContain('store_type');
    const box = await page.getByTestId('map').boundingBox();
    // Into northern Mexico: no US store under the pointer, so nothing is hovered.
    await page.mouse.move(
      (box?.x ?? 0) + (box?.width ?? 0) * 0.3,
      (box?.y ?? 0) + (box?.height ?? 0) * 0.88,
    );
    await expect
      .poll(async () => (await pixels(highlighted)).count, { timeout: 5_000 })
      .toBeGreaterThan(3);
    await saveScreenshot(page, 'views-stores-selected');
    await selected.getByRole('button', { name: 'Clear selection' }).click();
    await selected.waitFor({ state: 'detached' });
    await expect.poll(async () => (await pixels(highlighted)).count, { timeout: 5_000 }).toBe(0);
  });

  it('Isochrones: clicking the map, or a store, draws the reachable area', async () => {
    await page.getByRole('tab', { name: 'Isochrones' }).click();
    // The Stores view's layer is gone: views own their layers.
    await page.getByRole('switch', { name: 'Show Retail stores' }).waitFor({ state: 'detached' });
    await page.getByRole('combobox', { name: 'Travel mode' }).click();
    await page.getByRole('option', { name: 'Driving' }).click();
    await page.locator('.MuiPopover-root').waitFor({ state: 'detached' });
    await page.getByRole('combobox', { name: 'Minutes' }).click();
    await page.getByRole('option', { name: '30 min' }).click();
    // The menu's invisible backdrop fades out after the list closes and takes clicks until then.
    await page.locator('.MuiPopover-root').waitFor({ state: 'detached' });
    const isolineRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/v3/lds/isolines')) isolineRequests.push(request.url());
    });
    // A click on a store (drawn above everything else) names it as the origin.
    await expect
      .poll(async () => (await pixels(teal)).count, { timeout: 15_000, interval: 500 })
      .toBeGreaterThan(100);
    const { first } = await pixels(teal);
    if (!first) throw new Error('no store drawn');
    expect(await hoverForTooltip(page, first, 'store_type')).toContain('store_type');
    const before = (await pixels(pinkish)).count;
    await page.mouse.down();
    await page.mouse.up();
    const result = page.getByTestId('isochrone-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.textContent()).toMatch(/30 min driving from \w+ .+ #\d+/);
    // One answer, then quiet: re-renders must not ask again.
    await page.waitForTimeout(1000);
    const asked = isolineRequests.length;
    await page.waitForTimeout(1500);
    expect(isolineRequests.length).toBe(asked);
    expect(asked).toBeLessThanOrEqual(2);
    await expect
      .poll(async () => (await pixels(pinkish)).count, { timeout: 15_000, interval: 500 })
      .toBeGreaterThan(before + 20);
    // The area starts at the store, drawn at the centre of the map above the area (in the
    // highlight colour: the click selected it).
    const box = await page.getByTestId('map').boundingBox();
    if (!box) throw new Error('no map');
    const nearCentre = (p: Pixel, x: number, y: number) =>
      (teal(p) || highlighted(p)) &&
      Math.abs(x - box.width / 2) < 12 &&
      Math.abs(y - box.height / 2) < 12;
    await expect
      .poll(async () => (await pixels(nearCentre)).count, { timeout: 15_000, interval: 500 })
      .toBeGreaterThan(10);
    await saveScreenshot(page, 'views-isochrone-from-store');

    // A click on the map (stores hidden, so it cannot land on one): the origin is the point.
    await page.getByRole('switch', { name: 'Show Stores' }).click();
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.45);
    await expect
      .poll(async () => result.textContent(), { timeout: 15_000 })
      .toMatch(/30 min driving from -?\d+\.\d+, -?\d+\.\d+/);
    await expect
      .poll(async () => (await pixels(pinkish)).count, { timeout: 15_000, interval: 500 })
      .toBeGreaterThan(before + 20);
    await saveScreenshot(page, 'views-isochrone');
  });

  it('SQL: a query with a WHERE clause draws fewer points than the table; errors show inline', async () => {
    await page.getByRole('tab', { name: 'SQL' }).click();
    const editor = page.getByRole('textbox', { name: 'SQL query' });
    const run = async (sql: string) => {
      await editor.fill(sql);
      await page.getByRole('button', { name: 'Run on the map' }).click();
    };
    await run('SELECT name, population, geom FROM demo.populated_places');
    await expect
      .poll(async () => (await pixels(saturated)).count, { timeout: 30_000, interval: 500 })
      .toBeGreaterThan(2000);
    await page.waitForTimeout(1500);
    const all = (await pixels(saturated)).count;
    await run(
      'SELECT name, population, geom FROM demo.populated_places WHERE population > 1000000',
    );
    // The old points go and the new ones load: fewer points, but some (not the empty map
    // between the two).
    await expect
      .poll(
        async () => {
          const { count } = await pixels(saturated);
          return count > 50 && count < all * 0.5;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    await saveScreenshot(page, 'views-sql');

    await run('SELEC name FROM demo.populated_places');
    const alert = page.getByRole('alert').filter({ hasText: 'syntax error' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Line 1, column 1');
    expect(errors).toEqual([]);
  });

  it('SQL: a named source goes on the map by its name; its SQL never leaves the server', async () => {
    // The SQL view is open (the test before). The demo config's named source of capitals.
    const purple = ([r, g, b]: Pixel) => r > 100 && r < 160 && g < 90 && b > 110 && b < 175;
    const before = (await pixels(purple)).count;
    const queries: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith('/v3/maps/carto_dw/query'))
        queries.push(url.searchParams.get('q') ?? request.postData() ?? '');
    });
    await page.getByRole('button', { name: 'Named sources' }).click();
    const list = page.getByRole('list', { name: 'Named sources' });
    await list.getByText('world-capitals').waitFor({ timeout: 20_000 });
    await list.getByRole('button', { name: 'Add world-capitals to the map' }).click();
    await list.getByRole('button', { name: 'On map: world-capitals' }).waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => (await pixels(purple)).count, { timeout: 30_000, interval: 500 })
      .toBeGreaterThan(before + 300);
    await saveScreenshot(page, 'views-sql-named-source');
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      expect(q).toContain('world-capitals');
      expect(q).not.toMatch(/SELECT/i);
    }
    expect(errors).toEqual([]);
  });
});
