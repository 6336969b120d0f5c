import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';

export type RGB = readonly [number, number, number];

export function hexToRgb(hex: string): RGB {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Share of the image's pixels within `tolerance` (per channel) of each colour. */
export function colourShares(png: Buffer, colours: Record<string, RGB>, tolerance = 6) {
  const image = PNG.sync.read(png);
  const counts = Object.fromEntries(Object.keys(colours).map((k) => [k, 0]));
  const total = image.width * image.height;
  for (let i = 0; i < image.data.length; i += 4) {
    const r = image.data[i] ?? 0;
    const g = image.data[i + 1] ?? 0;
    const b = image.data[i + 2] ?? 0;
    for (const [name, [cr, cg, cb]] of Object.entries(colours)) {
      if (
        Math.abs(r - cr) <= tolerance &&
        Math.abs(g - cg) <= tolerance &&
        Math.abs(b - cb) <= tolerance
      ) {
        counts[name] = (counts[name] ?? 0) + 1;
        break;
      }
    }
  }
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / total]));
}

export type Pixel = [number, number, number];

/**
 * Pixels of the map area matching `test` (given the colour and the map-local x, y), and where
 * the first one is (page coordinates).
 */
export async function mapPixels(page: Page, test: (p: Pixel, x: number, y: number) => boolean) {
  const map = page.getByTestId('map');
  const box = await map.boundingBox();
  const image = PNG.sync.read(await map.screenshot());
  let count = 0;
  let first: { x: number; y: number } | null = null;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 4;
      if (test([image.data[i] ?? 0, image.data[i + 1] ?? 0, image.data[i + 2] ?? 0], x, y)) {
        count++;
        first ??= { x: (box?.x ?? 0) + x, y: (box?.y ?? 0) + y };
      }
    }
  }
  return { count, first };
}

/** Moves the mouse around `at` until deck.gl's tooltip contains `text`; returns the tooltip. */
export async function hoverForTooltip(page: Page, at: { x: number; y: number }, text: string) {
  let tooltip = '';
  for (const [dx, dy] of [
    [1, 1],
    [2, 2],
    [0, 2],
    [2, 0],
    [3, 3],
  ] as const) {
    await page.mouse.move(at.x + dx, at.y + dy);
    await page.waitForTimeout(300);
    tooltip =
      (await page
        .locator('.deck-tooltip')
        .textContent()
        .catch(() => '')) ?? '';
    if (tooltip.includes(text)) break;
  }
  return tooltip;
}
