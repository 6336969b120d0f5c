import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page, Request } from 'playwright-core';
import { PNG } from 'pngjs';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser';
import { loginThroughPopup } from './support/login';
import { mapPixels, type Pixel } from './support/pixels';

let browser: Browser;
let page: Page;
let errors: string[];

/** Logs `target` in through the emulator's popup and clears the map of the basemap notice. */
async function logIn(target: Page) {
  await loginThroughPopup(target);
  await target.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
  await target.locator('.maplibregl-canvas').waitFor({ timeout: 30_000 });
  // The offline-basemap notice has saturated colours of its own: only drawn features count.
  const dismiss = target.getByRole('button', { name: 'Dismiss' });
  await dismiss.click({ timeout: 5_000 }).catch(() => undefined);
}

beforeAll(async () => {
  browser = await launchChromium();
  // A context of its own (not browser.newPage's): the filtered link opens in a second page of it.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  errors = collectPageErrors(page);
  await page.goto(inject('appUrl'));
  await logIn(page);
});

afterAll(async () => {
  await browser.close();
});

/** The Stores view's widgets (src/views/stores/StoresWidgets.tsx), by title. */
const WIDGETS = [
  'Stores',
  'Revenue',
  'Store type',
  'Revenue per store',
  'Stores opened',
  'Store size (m²)',
  'Size and revenue',
  'Stores in view',
];

const panelOf = (target: Page) => target.getByRole('region', { name: 'Store widgets' });
const widgetOf = (target: Page, title: string) =>
  panelOf(target).getByRole('region', { name: title, exact: true });

/** "19,847" → 19847 (the widgets format numbers in the browser's locale, en-US here). */
const parseCount = (text: string | null) => Number((text ?? '').replace(/[^\d.]/g, ''));

/** The number the "Stores" formula shows. */
const storesNumber = async (target: Page = page) =>
  parseCount(await widgetOf(target, 'Stores').locator('.MuiTypography-h5').textContent());

/** The "Store type" widget's bar for `name`, and the count it shows ("Pharmacy: 2,939"). */
const categoryBar = (target: Page, name: string) =>
  widgetOf(target, 'Store type').getByRole('button', { name: new RegExp(`^${name}: `) });
const categoryCount = async (target: Page, name: string) =>
  parseCount((await categoryBar(target, name).getAttribute('aria-label'))?.split(': ')[1] ?? '');

/** The histogram's caption ("19,847 features from $… to …. Click a bar to filter."). */
const histogramCaption = async (target: Page = page) =>
  (await widgetOf(target, 'Revenue per store').locator('p.MuiTypography-caption').textContent()) ??
  '';
/** The table's total ("1–5 of 19,847" → 19847). */
const tableTotal = async (target: Page = page) => {
  const text = await widgetOf(target, 'Stores in view')
    .locator('.MuiTablePagination-displayedRows')
    .textContent();
  return parseCount(/of\s+(.+)$/.exec(text ?? '')?.[1] ?? '');
};

/**
 * Whether every widget has an answer and none is loading: all eight are on the page, none is
 * `aria-busy`, none shows its first-load skeleton, none failed.
 */
async function allSettled(target: Page) {
  return panelOf(target).evaluate((panel, titles) => {
    const sections = [...panel.querySelectorAll('section[aria-label]')];
    const byTitle = new Map(sections.map((s) => [s.getAttribute('aria-label'), s]));
    return titles.every((title) => {
      const section = byTitle.get(title);
      if (section?.getAttribute('aria-busy') !== 'false') return false;
      return (
        section.querySelector(`[aria-label="Loading ${title}"]`) === null &&
        section.querySelector('[role="alert"]') === null
      );
    });
  }, WIDGETS);
}

/** Waits until every widget is settled, twice in a row half a second apart. */
async function widgetsSettled(target: Page = page, timeout = 45_000) {
  let before = false;
  await expect
    .poll(
      async () => {
        const now = await allSettled(target);
        const still = before && now;
        before = now;
        return still;
      },
      { timeout, interval: 500 },
    )
    .toBe(true);
}

/** The store types' colours (src/data/sources.ts, CARTOColors Bold) at their 230/255 alpha. */
const TYPE_COLOURS: Record<string, readonly [number, number, number]> = {
  Supermarket: [127, 60, 141],
  Convenience: [17, 165, 121],
  Pharmacy: [57, 105, 172],
  Hardware: [242, 183, 1],
  Electronics: [231, 63, 116],
  Clothing: [128, 186, 90],
};
/** The offline basemap's land, under most stores. */
const LAND = [242, 239, 233] as const;
const ALPHA = 230 / 255;
const DRAWN = Object.fromEntries(
  Object.entries(TYPE_COLOURS).map(([type, rgb]) => [
    type,
    rgb.map((c, i) => Math.round(ALPHA * c + (1 - ALPHA) * (LAND[i] ?? 0))) as Pixel,
  ]),
);

/** The store type a pixel is drawn in (within 30 of its colour over land), if any. */
function storeType([r, g, b]: Pixel): string | null {
  let best: string | null = null;
  let bestDistance = 30;
  for (const [type, [cr, cg, cb]] of Object.entries(DRAWN)) {
    const d = Math.hypot(r - cr, g - cg, b - cb);
    if (d < bestDistance) {
      best = type;
      bestDistance = d;
    }
  }
  return best;
}

/** How many pixels of the map are drawn in each store type's colour. */
async function storePixels(target: Page = page) {
  const counts: Record<string, number> = Object.fromEntries(
    Object.keys(TYPE_COLOURS).map((type) => [type, 0]),
  );
  await mapPixels(target, (p) => {
    const type = storeType(p);
    if (type) counts[type] = (counts[type] ?? 0) + 1;
    return type !== null;
  });
  const others = Object.entries(counts)
    .filter(([type]) => type !== 'Pharmacy')
    .reduce((sum, [, n]) => sum + n, 0);
  return { pharmacy: counts.Pharmacy ?? 0, others, counts };
}

/** The widget filters the map link carries (`filters=`: base64url JSON by source id). */
function linkFilters(url: string): Record<string, Record<string, unknown>> | null {
  const value = new URLSearchParams(new URL(url).hash.slice(1)).get('filters');
  if (!value) return null;
  const json = Buffer.from(value, 'base64url').toString('utf8');
  return JSON.parse(json) as Record<string, Record<string, unknown>>;
}

async function mapBox(target: Page = page) {
  const box = await target.getByTestId('map').boundingBox();
  if (!box) throw new Error('the map is not on screen');
  return box;
}

/** The share of pixels that differ (by more than 24 on a channel) between two map shots. */
function changedShare(a: Buffer, b: Buffer) {
  const x = PNG.sync.read(a);
  const y = PNG.sync.read(b);
  if (x.width !== y.width || x.height !== y.height) return 1;
  let changed = 0;
  for (let i = 0; i < x.data.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      if (Math.abs((x.data[i + c] ?? 0) - (y.data[i + c] ?? 0)) > 24) {
        changed++;
        break;
      }
    }
  }
  return changed / (x.width * x.height);
}

/** A widget request as its model and everything it asks (URL and body). */
const describeRequest = (request: Request) => {
  const url = new URL(request.url());
  const model = /\/model\/(\w+)/.exec(url.pathname)?.[1] ?? '?';
  return {
    model,
    key: `${request.method()} ${url.pathname}${url.search} ${request.postData() ?? ''}`,
  };
};

/** What a link shows: the view (the readout and the link's `map=`) and the figures. */
async function figures(target: Page, link: string) {
  const mapParam = (url: string) => new URLSearchParams(new URL(url).hash.slice(1)).get('map');
  return {
    view: await target.getByTestId('view-state').textContent(),
    map: mapParam(target.url()),
    linkMap: mapParam(link),
    stores: await storesNumber(target),
    revenue: await widgetOf(target, 'Revenue').locator('.MuiTypography-h5').textContent(),
  };
}
type Figures = Awaited<ReturnType<typeof figures>>;
/** The filtered link's figures where it was copied, in a second tab and after a reload. */
const linked: { before?: Figures; reopened?: Figures; reloaded?: Figures } = {};

describe('Stores widgets in Chromium', () => {
  it('clicking a category filters the map’s points and the other widgets, and the link', async () => {
    await page.getByRole('tab', { name: 'Stores' }).click();
    await widgetsSettled();
    // The stores drawn in every type's colour.
    let before = await storePixels();
    await expect
      .poll(
        async () => {
          before = await storePixels();
          return before.others > 2_000 && before.pharmacy > 300;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    await saveScreenshot(page, 'widgets-stores');
    const total = await storesNumber();
    const pharmacies = await categoryCount(page, 'Pharmacy');
    const caption = await histogramCaption();
    const rows = await tableTotal();
    console.log(
      `[widgets] before: ${total} stores (${pharmacies} pharmacies); map pixels ${JSON.stringify(before.counts)}; histogram "${caption}"; table of ${rows}`,
    );
    expect(pharmacies).toBeGreaterThan(100);
    expect(total).toBeGreaterThan(pharmacies * 2);
    expect(rows).toBe(total);
    expect(linkFilters(page.url())).toBeNull();

    const bar = categoryBar(page, 'Pharmacy');
    expect(await bar.getAttribute('aria-pressed')).toBe('false');
    await bar.click();
    expect(await bar.getAttribute('aria-pressed')).toBe('true');
    await panelOf(page).getByRole('status').filter({ hasText: '1 filter on the stores' }).waitFor();
    // The other widgets answer over the pharmacies only (this one keeps every category).
    await expect.poll(() => storesNumber(), { timeout: 45_000, interval: 500 }).toBe(pharmacies);
    await widgetsSettled();
    expect(await storesNumber()).toBe(pharmacies);
    expect(await categoryCount(page, 'Pharmacy')).toBe(pharmacies);
    expect(await tableTotal()).toBe(pharmacies);
    const filteredCaption = await histogramCaption();
    expect(filteredCaption).not.toBe(caption);
    expect(parseCount(/^([\d,]+) features/.exec(filteredCaption)?.[1] ?? '')).toBe(pharmacies);
    // The map: the other types' points go once the filtered tiles are in; pharmacies stay.
    let after = before;
    await expect
      .poll(
        async () => {
          after = await storePixels();
          return after.others < before.others * 0.05 && after.pharmacy > before.pharmacy * 0.5;
        },
        { timeout: 45_000, interval: 500 },
      )
      .toBe(true);
    console.log(
      `[widgets] after Pharmacy: map pixels ${JSON.stringify(after.counts)}; histogram "${filteredCaption}"`,
    );
    await saveScreenshot(page, 'widgets-stores-pharmacy');
    // The link says so (written 300 ms after the change).
    await expect
      .poll(() => linkFilters(page.url())?.stores?.store_type ?? null, { timeout: 10_000 })
      .toEqual({ in: { values: ['Pharmacy'], owner: 'stores-type' } });
    expect(page.url()).toContain('filters=');
    expect(errors).toEqual([]);
  }, 120_000);

  it('a pan asks each widget once, after the mouse comes up and the map settles', async () => {
    await widgetsSettled();
    const total = await storesNumber();
    const link = page.url();
    const requests: { model: string; key: string; at: number }[] = [];
    const onRequest = (request: Request) => {
      if (request.url().includes('/model/'))
        requests.push({ ...describeRequest(request), at: Date.now() });
    };
    page.on('request', onRequest);
    // A slow drag east: small steps, then a pause with the button still down (longer than the
    // link's 300 ms debounce and the map's old 250 ms one), then more steps.
    const box = await mapBox();
    const x = Math.round(box.x + box.width / 2);
    const y = Math.round(box.y + box.height / 2);
    await page.mouse.move(x, y);
    const still = await page.getByTestId('map').screenshot();
    await page.mouse.down();
    for (let step = 1; step <= 4; step++) await page.mouse.move(x + 40 * step, y + 10 * step);
    // The observation window itself: the map has moved and the button is still down.
    await page.waitForTimeout(1_000);
    const busyInPause = !(await allSettled(page));
    // The map follows the pointer while the button is down: what is drawn has moved.
    const moved = changedShare(still, await page.getByTestId('map').screenshot());
    const duringPause = requests.length;
    for (let step = 5; step <= 8; step++) await page.mouse.move(x + 40 * step, y + 10 * step);
    await page.waitForTimeout(500);
    const beforeUp = [...requests];
    const busyBeforeUp = !(await allSettled(page));
    const linkBeforeUp = page.url();
    const up = Date.now();
    await page.mouse.up();
    // The east coast's stores leave the view: fewer stores, once the widgets have answered.
    await expect.poll(() => storesNumber(), { timeout: 45_000, interval: 500 }).not.toBe(total);
    await widgetsSettled();
    // Then quiet: no late or repeated request.
    const settledAt = requests.length;
    await page.waitForTimeout(1_500);
    page.off('request', onRequest);
    const after = await storesNumber();
    const byModel: Record<string, number> = {};
    for (const { model } of requests) byModel[model] = (byModel[model] ?? 0) + 1;
    const keys = requests.map((r) => r.key);
    const duplicates = keys.filter((key, index) => keys.indexOf(key) !== index);
    console.log(
      `[widgets] pan: ${total} → ${after} stores; ${(moved * 100).toFixed(1)}% of the map redrawn in the pause; ${duringPause} requests in the pause, ${beforeUp.length} before mouse-up, ${requests.length} after (first ${requests[0] ? requests[0].at - up : '?'} ms after mouse-up): ${JSON.stringify(byModel)}`,
    );
    await saveScreenshot(page, 'widgets-stores-panned');
    expect(moved).toBeGreaterThan(0.05);
    expect(duringPause).toBe(0);
    expect(beforeUp).toEqual([]);
    expect(busyInPause).toBe(false);
    expect(busyBeforeUp).toBe(false);
    // The link follows the view when the map settles too, not while it is dragged.
    expect(linkBeforeUp).toBe(link);
    expect(duplicates).toEqual([]);
    expect(requests.length).toBe(settledAt);
    // One request per widget: two formulas, the category, the histogram's counts (its bins
    // span the whole range, which a pan does not change), the time series, the range slider's
    // range, the scatterplot and the table.
    expect(byModel).toEqual({
      formula: 2,
      category: 1,
      range: 1,
      histogram: 1,
      timeseries: 1,
      scatterplot: 1,
      table: 1,
    });
    expect(after).toBeLessThan(total);
    expect(after).toBeGreaterThan(0);
    expect(await categoryCount(page, 'Pharmacy')).toBe(after);
    expect(await tableTotal()).toBe(after);
    await expect.poll(() => page.url(), { timeout: 10_000 }).not.toBe(link);
    expect(errors).toEqual([]);
  }, 120_000);

  it('a filtered link opens filtered: the same filters, in a second tab and after a reload', async () => {
    const pharmacy = categoryBar(page, 'Pharmacy');
    if ((await pharmacy.getAttribute('aria-pressed')) !== 'true') await pharmacy.click();
    await widgetsSettled();
    const pharmacies = await storesNumber();
    // Raise the lower end of the store size by a tenth of its range (one keyboard commit).
    const from = widgetOf(page, 'Store size (m²)').getByRole('slider', {
      name: 'Store size (m²): from',
    });
    const low = Number(await from.getAttribute('aria-valuenow'));
    await from.focus();
    await from.press('PageUp');
    await panelOf(page)
      .getByRole('status')
      .filter({ hasText: '2 filters on the stores' })
      .waitFor();
    await expect
      .poll(() => storesNumber(), { timeout: 45_000, interval: 500 })
      .toBeLessThan(pharmacies);
    await widgetsSettled();
    const raised = Number(await from.getAttribute('aria-valuenow'));
    expect(raised).toBeGreaterThan(low);
    await expect
      .poll(() => Object.keys(linkFilters(page.url())?.stores ?? {}).sort(), { timeout: 10_000 })
      .toEqual(['size_m2', 'store_type']);
    const link = page.url();
    linked.before = await figures(page, link);
    console.log(
      `[widgets] the link: ${pharmacies} pharmacies, ${JSON.stringify(linked.before)}; ${JSON.stringify(linkFilters(link))}`,
    );
    await saveScreenshot(page, 'widgets-stores-filtered');

    /** `target` has the link's filters, and its widgets agree with each other. */
    const expectFiltered = async (target: Page) => {
      await target.getByRole('tab', { name: 'Stores', selected: true }).waitFor();
      await panelOf(target)
        .getByRole('status')
        .filter({ hasText: '2 filters on the stores' })
        .waitFor({ timeout: 30_000 });
      await widgetsSettled(target);
      expect(await categoryBar(target, 'Pharmacy').getAttribute('aria-pressed')).toBe('true');
      expect(await categoryBar(target, 'Supermarket').getAttribute('aria-pressed')).toBe('false');
      const slider = widgetOf(target, 'Store size (m²)').getByRole('slider', {
        name: 'Store size (m²): from',
      });
      expect(Number(await slider.getAttribute('aria-valuenow'))).toBe(raised);
      expect(linkFilters(target.url())).toEqual(linkFilters(link));
      // Both filters apply: the Pharmacy bar (the size filter applied, its own not), the count
      // and the table say the same number.
      const stores = await storesNumber(target);
      expect(stores).toBeGreaterThan(0);
      expect(await categoryCount(target, 'Pharmacy')).toBe(stores);
      expect(await tableTotal(target)).toBe(stores);
      return figures(target, link);
    };

    // A second tab of the same browser: it has the session from the first (the app's tabs
    // share it), and the link's filters.
    const reopened = await page.context().newPage();
    const reopenedErrors = collectPageErrors(reopened);
    try {
      await reopened.goto(link);
      await reopened
        .getByRole('button', { name: 'Account: Demo User' })
        .waitFor({ timeout: 20_000 });
      linked.reopened = await expectFiltered(reopened);
      console.log(`[widgets] reopened in a second tab: ${JSON.stringify(linked.reopened)}`);
      await saveScreenshot(reopened, 'widgets-stores-reopened');
      expect(reopenedErrors).toEqual([]);
    } finally {
      await reopened.close();
    }

    // The only tab, reloaded: the app keeps its tokens in memory, so it is logged out until
    // the user logs in again; the link's filters wait for that.
    await page.reload();
    await page.getByRole('button', { name: 'Login with CARTO' }).first().waitFor();
    expect(linkFilters(page.url())).toEqual(linkFilters(link));
    await logIn(page);
    linked.reloaded = await expectFiltered(page);
    console.log(`[widgets] reloaded and logged in again: ${JSON.stringify(linked.reloaded)}`);
    await saveScreenshot(page, 'widgets-stores-reloaded');
    expect(errors).toEqual([]);
  }, 120_000);

  // The Stores view fits the map to the US when it opens, but not over a link's own view.
  // The link rounds the centre to about a pixel at its zoom, so stores at the very edge of the
  // view may differ by a few; the view itself is the link's.
  it('a filtered link opens where it was copied: the same view and figures', () => {
    const { before } = linked;
    expect(before).toBeDefined();
    for (const after of [linked.reopened, linked.reloaded]) {
      expect(after?.map).toBe(before?.map);
      expect(after?.linkMap).toBe(before?.linkMap);
      expect(after?.revenue).toBe(before?.revenue);
      expect(Math.abs((after?.stores ?? 0) - (before?.stores ?? 0))).toBeLessThanOrEqual(
        Math.ceil((before?.stores ?? 0) * 0.01),
      );
    }
  });
});
