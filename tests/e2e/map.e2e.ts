import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser';
import { loginThroughPopup } from './support/login';
import { mapPixels, type Pixel } from './support/pixels';

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
  await page.locator('.maplibregl-canvas').waitFor({ timeout: 30_000 });
  // The offline-basemap notice sits over the map's corner: out of the way of the drags.
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  await dismiss.click({ timeout: 5_000 }).catch(() => undefined);
});

afterAll(async () => {
  await browser.close();
});

interface View {
  longitude: number;
  latitude: number;
  zoom: number;
}

/** The view the store holds, as the side panel's readout carries it (full precision). */
async function readView(): Promise<View> {
  // One round trip to a renderer busy drawing, not three.
  const [longitude, latitude, zoom] = await page
    .getByTestId('view-state')
    .evaluate((el) => [el.dataset.longitude, el.dataset.latitude, el.dataset.zoom].map(Number));
  return { longitude: longitude ?? NaN, latitude: latitude ?? NaN, zoom: zoom ?? NaN };
}

/** Degrees between two longitudes, the short way round (179° and −179° are 2° apart). */
const lngDelta = (a: number, b: number) => Math.abs(((((a - b + 180) % 360) + 360) % 360) - 180);

/** The largest difference between two views, in degrees (centre) or zoom levels. */
function viewDelta(a: View, b: View) {
  return {
    centre: Math.max(lngDelta(a.longitude, b.longitude), Math.abs(a.latitude - b.latitude)),
    zoom: Math.abs(a.zoom - b.zoom),
  };
}

const near = (a: View, b: View, centre: number, zoom = 1e-3) => {
  const d = viewDelta(a, b);
  return d.centre <= centre && d.zoom <= zoom;
};

/**
 * The view, once the debounced store write has landed and nothing moves any more: two reads a
 * second apart agree (the map writes the store 250 ms after it stops).
 */
async function settledView(): Promise<View> {
  const seen: { last: View | null } = { last: null };
  await expect
    .poll(
      async () => {
        const now = await readView();
        const still = seen.last !== null && near(now, seen.last, 1e-9, 1e-9);
        seen.last = now;
        return still;
      },
      { timeout: 30_000, interval: 1_000 },
    )
    .toBe(true);
  return seen.last ?? readView();
}

/**
 * Watches the readout for `ms`: how far it strayed from `expected` (degrees of centre, zoom
 * levels) and the view that strayed furthest. A view written late (the map's view-state
 * debounce is 250 ms) shows up within this window.
 */
async function strayFrom(expected: View, ms = 2_000) {
  let worst = { centre: 0, zoom: 0, view: expected };
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const view = await readView();
    const d = viewDelta(view, expected);
    if (d.centre > worst.centre || d.zoom > worst.zoom)
      worst = {
        centre: Math.max(d.centre, worst.centre),
        zoom: Math.max(d.zoom, worst.zoom),
        view,
      };
    // The observation window itself: sampling, not waiting for something to happen.
    await page.waitForTimeout(100);
  }
  return worst;
}

// Web Mercator, as maplibre draws it: 512 px tiles, x and y in [0, 1] across the world.
const TILE = 512;
const mercX = (lng: number) => (lng + 180) / 360;
const mercY = (lat: number) => {
  const s = Math.sin((lat * Math.PI) / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
};
const lngOfX = (x: number) => ((((x * 360) % 360) + 360) % 360) - 180;
const latOfY = (y: number) => (360 / Math.PI) * Math.atan(Math.exp((0.5 - y) * 2 * Math.PI)) - 90;

type BBox = [west: number, south: number, east: number, north: number];

/**
 * The view that frames `bounds` in a map of `width` × `height` CSS px with the app's padding
 * (40 px, less on small maps). West > east is a box across the antimeridian.
 */
function fittedView([west, south, east, north]: BBox, width: number, height: number): View {
  const padding = Math.min(40, width / 8, height / 8);
  const x0 = mercX(west);
  const x1 = mercX(west > east ? east + 360 : east);
  const y0 = mercY(Math.min(80, north));
  const y1 = mercY(Math.max(-80, south));
  const scale = Math.min(
    (width - 2 * padding) / (TILE * (x1 - x0)),
    (height - 2 * padding) / (TILE * (y1 - y0)),
  );
  return {
    longitude: lngOfX((x0 + x1) / 2),
    latitude: latOfY((y0 + y1) / 2),
    zoom: Math.log2(scale),
  };
}

/** Where the centre is after the map was dragged by (dx, dy) CSS px at `from`'s zoom. */
function panned(from: View, dx: number, dy: number): View {
  const world = TILE * 2 ** from.zoom;
  return {
    longitude: lngOfX(mercX(from.longitude) - dx / world),
    latitude: latOfY(mercY(from.latitude) - dy / world),
    zoom: from.zoom,
  };
}

/** Degrees per CSS px at `zoom` (along the equator; more than enough further north). */
const degreesPerPx = (zoom: number) => 360 / (TILE * 2 ** zoom);

async function mapBox() {
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('the map is not on screen');
  return box;
}

/** The map canvas's size in CSS px (what maplibre draws at). */
const canvasSize = () =>
  page
    .locator('.maplibregl-canvas')
    .evaluate((c: HTMLCanvasElement) => ({ width: c.clientWidth, height: c.clientHeight }));

/** Waits until the canvas has followed the map element to its new size. */
async function canvasFollowsMap() {
  await expect
    .poll(
      async () => {
        const box = await mapBox();
        const canvas = await canvasSize();
        return Math.abs(canvas.width - box.width) <= 1 && Math.abs(canvas.height - box.height) <= 1;
      },
      { timeout: 10_000, interval: 100 },
    )
    .toBe(true);
  return canvasSize();
}

/**
 * Drags the map by (dx, dy) from its middle in one mouse move and lets go at once. maplibre
 * adds inertia only from two or more recorded updates, so the pan ends exactly (dx, dy) px away
 * when the button comes up, while the view-state debounce (250 ms) is still running.
 */
async function dragMap(dx: number, dy: number) {
  const box = await mapBox();
  const x = Math.round(box.x + box.width / 2);
  const y = Math.round(box.y + box.height / 2);
  await page.mouse.move(x, y);
  await page.mouse.down();
  // One move: one recorded update, and maplibre needs two for inertia.
  await page.mouse.move(x + dx, y + dy);
  await page.mouse.up();
}

/**
 * Times, in the page, the next mouse-up, window resize and store write (the readout's first
 * change): which came first decides whether a resize met a pending view-state write.
 */
function watchOrder() {
  return page.evaluateHandle(() => {
    const order: { mouseUp?: number; resize?: number; storeWrite?: number } = {};
    const readout = document.querySelector('[data-testid="view-state"]');
    const once = { capture: true, once: true };
    addEventListener('pointerup', () => (order.mouseUp = performance.now()), once);
    addEventListener('resize', () => (order.resize = performance.now()), once);
    if (readout) {
      new MutationObserver((_, observer) => {
        order.storeWrite ??= performance.now();
        observer.disconnect();
      }).observe(readout, { attributes: true });
    }
    return order;
  });
}

/**
 * The first dataset layer's polygons: CARTOColors Vivid's orange at a third opacity over the
 * offline basemap (about rgb(239, 203, 153) on land). The basemap has nothing this warm.
 */
const statesFill = ([r, , b]: Pixel) => r > 200 && r - b > 60;

/**
 * The emulator's us_states (us-atlas states-10m): the 50 states, DC and the territories. Its
 * bounds cross the antimeridian (RFC 7946 §5.2): west is Guam (144.6° E), east the Virgin
 * Islands (64.6° W), south American Samoa (14.4° S), north Alaska (71.4° N).
 */
const US_STATES: BBox = [144.62, -14.37, -64.58, 71.35];
/** retail_stores: points near US cities with ≥ 10k people, Honolulu to Maine and Alaska. */
const RETAIL_STORES: BBox = [-158.28, 19.49, -68.63, 64.97];

describe('map view in Chromium', () => {
  it('"Add" zooms to us_states’ real extent, across the antimeridian, at the map’s real size', async () => {
    await page.getByRole('tab', { name: 'Datasets' }).click();
    const list = page.getByRole('list', { name: 'Datasets' });
    await list.getByText('demo.us_states').waitFor({ timeout: 20_000 });
    const start = await settledView();
    // The map's own size (the window less the side panel): the window's would zoom 0.1 more.
    const box = await mapBox();
    const expected = fittedView(US_STATES, box.width, box.height);
    const world = fittedView([-180, -80, 180, 80], box.width, box.height);
    const started = Date.now();
    await page.getByRole('button', { name: 'Add us_states to the map' }).click();
    await expect
      .poll(async () => near(await readView(), expected, 0.1, 0.02), {
        timeout: 20_000,
        interval: 200,
      })
      .toBe(true);
    console.log(`[measure] add us_states to the view fitted: ${Date.now() - started} ms`);
    const fitted = await settledView();
    console.log(
      `[map] ${box.width}×${box.height} map; from ${JSON.stringify(start)} to ${JSON.stringify(fitted)}; expected ${JSON.stringify(expected)}`,
    );
    // Centred on the Pacific side of the US (Guam to Puerto Rico), not on 0° as a box from
    // −180° to 180° would be; and zoomed well past the whole world.
    expect(fitted.longitude).toBeGreaterThan(-150);
    expect(fitted.longitude).toBeLessThan(-130);
    expect(fitted.latitude).toBeGreaterThan(35);
    expect(fitted.latitude).toBeLessThan(50);
    expect(fitted.zoom).toBeGreaterThan(world.zoom + 1);
    // The states are drawn, from Alaska's Aleutians on the left to Maine on the right.
    let drawn = { count: 0, left: Infinity, right: -Infinity };
    await expect
      .poll(
        async () => {
          const found = { count: 0, left: Infinity, right: -Infinity };
          await mapPixels(page, (p, x) => {
            if (!statesFill(p)) return false;
            found.count++;
            found.left = Math.min(found.left, x);
            found.right = Math.max(found.right, x);
            return true;
          });
          drawn = found;
          return found.count;
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBeGreaterThan(20_000);
    console.log(`[map] states drawn: ${JSON.stringify(drawn)}`);
    expect(drawn.right - drawn.left).toBeGreaterThan(box.width / 2);
    await saveScreenshot(page, 'map-fit-us-states');
    expect(errors).toEqual([]);
  }, 120_000);

  it('resizing right after a pan keeps the view the pan ended on', async () => {
    // The store is written when the map settles (moveend); a resize that follows at once must
    // not bring back an earlier view (react-map-gl reports the last camera change on a resize).
    const sizes = [
      { width: 1100, height: 720 },
      { width: 1200, height: 760 },
      { width: 1050, height: 700 },
    ];
    for (const [attempt, viewport] of sizes.entries()) {
      const before = await settledView();
      const [dx, dy] = attempt % 2 === 0 ? [-160, 90] : [160, -90];
      const expected = panned(before, dx, dy);
      const size = await canvasSize();
      const order = await watchOrder();
      await dragMap(dx, dy);
      // "Within 100 ms" of the pan's end (later in the page, whose renderer is busy drawing:
      // what counts is that the resize comes before the store write, checked below).
      await page.waitForTimeout(30);
      await page.setViewportSize(viewport);
      const resized = await canvasFollowsMap();
      expect(resized).not.toEqual(size);
      // A pan is exact to the pixel: the centre moved (dx, dy) px and not back.
      const tolerance = 1.5 * degreesPerPx(before.zoom);
      await expect
        .poll(async () => near(await readView(), expected, tolerance), {
          timeout: 15_000,
          interval: 200,
        })
        .toBe(true);
      const after = await settledView();
      const stray = await strayFrom(after);
      expect(stray.centre).toBeLessThanOrEqual(0.01);
      expect(stray.zoom).toBeLessThanOrEqual(1e-3);
      expect(viewDelta(after, before).centre).toBeGreaterThan(10 * tolerance);
      expect(after.zoom).toBeCloseTo(before.zoom, 3);
      const { mouseUp, resize, storeWrite } = await order.jsonValue();
      const since = (t: number | undefined) =>
        t === undefined || mouseUp === undefined ? '?' : `${Math.round(t - mouseUp)} ms`;
      console.log(
        `[map] attempt ${attempt + 1}: resized ${since(resize)} and stored ${since(storeWrite)} after the mouse came up; off the pan by ${(viewDelta(after, expected).centre / degreesPerPx(before.zoom)).toFixed(2)} px`,
      );
      await order.dispose();
      // The view is written once, when the pan ends: before the resize, never after it.
      expect(storeWrite).toBeDefined();
      expect(resize).toBeDefined();
    }
    expect(errors).toEqual([]);
  }, 120_000);

  it('resizing after the pan settled keeps the view', async () => {
    const before = await settledView();
    const size = await canvasSize();
    await page.setViewportSize({ width: 1366, height: 860 });
    const resized = await canvasFollowsMap();
    expect(resized).not.toEqual(size);
    const stray = await strayFrom(before);
    expect(stray.centre).toBeLessThanOrEqual(0.01);
    expect(stray.zoom).toBeLessThanOrEqual(1e-3);
    expect(errors).toEqual([]);
  }, 120_000);

  it('resizing after a "zoom to" (that followed a pan) keeps the fitted view, not the pan’s', async () => {
    // A pan of the user's, then the app moves the map ("Add" zooms to the dataset). The pan
    // matters: react-map-gl reports the last camera change the user made on the `move` a
    // resize fires, and the map must not go back there.
    const start = await settledView();
    await dragMap(120, -70);
    await expect
      .poll(async () => viewDelta(await readView(), start).centre, { timeout: 15_000 })
      .toBeGreaterThan(1);
    const pannedView = await settledView();
    // The size the map has since the last resize.
    const box = await mapBox();
    const expected = fittedView(RETAIL_STORES, box.width, box.height);
    await page.getByRole('button', { name: 'Add retail_stores to the map' }).click();
    await expect
      .poll(async () => near(await readView(), expected, 0.05, 0.02), {
        timeout: 20_000,
        interval: 200,
      })
      .toBe(true);
    const fitted = await settledView();
    expect(fitted.zoom).toBeGreaterThan(2);
    const size = await canvasSize();
    await page.setViewportSize({ width: 1180, height: 780 });
    const resized = await canvasFollowsMap();
    expect(resized).not.toEqual(size);
    const stray = await strayFrom(fitted);
    console.log(
      `[map] fitted ${JSON.stringify(fitted)}; furthest after the resize ${JSON.stringify(stray.view)}; the pan had ended on ${JSON.stringify(pannedView)}`,
    );
    expect(stray.centre).toBeLessThanOrEqual(0.01);
    expect(stray.zoom).toBeLessThanOrEqual(1e-3);
    expect(errors).toEqual([]);
  }, 120_000);
});
