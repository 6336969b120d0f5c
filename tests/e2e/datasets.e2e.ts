import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser';
import { loginThroughPopup } from './support/login';
import { hoverForTooltip, mapPixels, type Pixel } from './support/pixels';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(inject('appUrl'));
});

afterAll(async () => {
  await browser.close();
});

/** The first dataset layer's colour (CARTOColors Vivid's orange, over the basemap). */
const orange = ([r, g, b]: Pixel) => r > 190 && g > 100 && g < 170 && b < 70;
const orangePixels = async () => (await mapPixels(page, orange)).count;

describe('Datasets view in Chromium', () => {
  it('lists the user’s datasets after login and draws one on the map', async () => {
    const errors = collectPageErrors(page);
    await page.getByText('Log in with CARTO to see your datasets.').waitFor();
    await loginThroughPopup(page);
    const list = page.getByRole('list', { name: 'Datasets' });
    await list.getByText('demo.populated_places').waitFor({ timeout: 20_000 });
    await page.locator('.maplibregl-canvas').waitFor();
    const before = await orangePixels();
    const started = Date.now();
    await page.getByRole('button', { name: 'Add populated_places to the map' }).click();
    await page.getByRole('switch', { name: 'Show populated_places' }).waitFor();
    await expect
      .poll(orangePixels, { timeout: 30_000, interval: 500 })
      .toBeGreaterThan(before + 2000);
    console.log(`[measure] add dataset to points drawn: ${Date.now() - started} ms`);
    await saveScreenshot(page, 'datasets-populated-places');
    const { first } = await mapPixels(page, orange);
    if (!first) throw new Error('no point drawn');
    expect(await hoverForTooltip(page, first, 'name')).toMatch(/name: .+country: /);
    expect(errors).toEqual([]);
  });

  it('draws a quadbin dataset as aggregated cells with a class legend and tooltips', async () => {
    const errors = collectPageErrors(page);
    // Only the cells count: hide the points of the first test.
    await page.getByRole('switch', { name: 'Show populated_places' }).click();
    await page.getByText('No layers on the map yet.').waitFor({ state: 'detached' });
    /** CARTOColors Sunset, drawn over the light basemap: warm or purple, never grey. */
    const sunset = ([r, g, b]: Pixel) => r - g > 40 || (r > 150 && b > 130 && g < 110);
    const before = (await mapPixels(page, sunset)).count;
    const started = Date.now();
    await page.getByRole('button', { name: 'Add population_quadbin to the map' }).click();
    const legend = page.getByRole('list', { name: 'Legend of population_quadbin' });
    await legend.getByText('population').waitFor({ timeout: 20_000 });
    await legend.getByText('≥ 10M').waitFor();
    await expect
      .poll(async () => (await mapPixels(page, sunset)).count, { timeout: 30_000, interval: 500 })
      .toBeGreaterThan(before + 3000);
    console.log(`[measure] add quadbin dataset to cells drawn: ${Date.now() - started} ms`);
    await saveScreenshot(page, 'datasets-population-quadbin');
    const { first } = await mapPixels(page, sunset);
    if (!first) throw new Error('no cell drawn');
    expect(await hoverForTooltip(page, first, 'population')).toMatch(/population: \d+/);
    expect(errors).toEqual([]);
  });
  it('draws an H3 dataset as aggregated hexagons with a class legend and tooltips', async () => {
    const errors = collectPageErrors(page);
    // Only the hexagons count: hide the quadbin cells of the test before.
    await page.getByRole('switch', { name: 'Show population_quadbin' }).click();
    const sunset = ([r, g, b]: Pixel) => r - g > 40 || (r > 150 && b > 130 && g < 110);
    const before = (await mapPixels(page, sunset)).count;
    const started = Date.now();
    await page.getByRole('button', { name: 'Add population_h3 to the map' }).click();
    const legend = page.getByRole('list', { name: 'Legend of population_h3' });
    await legend.getByText('population').waitFor({ timeout: 20_000 });
    await legend.getByText('≥ 10M').waitFor();
    // The map goes to the dataset's bounds, the whole world: a hundred tiles (one per H3 base
    // cell), slow to draw in software WebGL. Closer, over West Africa and Europe, as people look.
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect
      .poll(async () => (await mapPixels(page, sunset)).count, { timeout: 30_000, interval: 500 })
      .toBeGreaterThan(before + 3000);
    console.log(`[measure] add H3 dataset to hexagons drawn: ${Date.now() - started} ms`);
    await page
      .getByRole('progressbar', { name: 'Loading population_h3' })
      .waitFor({ state: 'detached', timeout: 45_000 });
    console.log(`[measure] add H3 dataset to every tile drawn: ${Date.now() - started} ms`);
    await saveScreenshot(page, 'datasets-population-h3');
    const { first } = await mapPixels(page, sunset);
    if (!first) throw new Error('no hexagon drawn');
    expect(await hoverForTooltip(page, first, 'population')).toMatch(/population: \d+/);
    expect(errors).toEqual([]);
  });
  it('draws the H3 cells as a heatmap instead, with a low-to-high legend', async () => {
    const errors = collectPageErrors(page);
    const legend = page.getByRole('list', { name: 'Legend of population_h3' });
    /** The hexagons' classes: many distinct Sunset colours at full strength. */
    const colours = async () => {
      const { count } = await mapPixels(
        page,
        ([r, g, b]) => r - g > 40 || (r > 150 && b > 130 && g < 110),
      );
      return count;
    };
    const cells = await colours();
    await page.getByRole('button', { name: 'Style and name of population_h3' }).click();
    await page.getByLabel('Draw as').selectOption('heatmap');
    await legend.getByText('High').waitFor();
    expect(await legend.getByText('≥ 10M').count()).toBe(0);
    await page
      .getByRole('progressbar', { name: 'Loading population_h3' })
      .waitFor({ state: 'detached', timeout: 30_000 });
    // A heatmap draws density, in the same colours: where people crowd (Lagos, the Niger
    // delta), not every cell, so far less is coloured than the cells were, but not nothing.
    await expect.poll(colours, { timeout: 30_000, interval: 500 }).toBeGreaterThan(1000);
    expect(await colours()).toBeLessThan(cells);
    await saveScreenshot(page, 'datasets-population-h3-heatmap');
    expect(errors).toEqual([]);
  });

  it('draws a point table as numbered clusters, with a legend and a count tooltip', async () => {
    const errors = collectPageErrors(page);
    // Only the clusters count: hide the H3 heatmap of the tests before.
    await page.getByRole('switch', { name: 'Show population_h3' }).click();
    /** The fourth dataset colour (CARTOColors Vivid's green): the clusters' fill. */
    const green = ([r, g, b]: Pixel) => g > 170 && r > 120 && r < 190 && b < 110;
    const before = (await mapPixels(page, green)).count;
    const started = Date.now();
    await page
      .getByRole('button', { name: 'Show populated_places as clusters on the map' })
      .click();
    const legend = page.getByRole('list', { name: 'Legend of populated_places (clusters)' });
    await legend.getByText('the number says how many').waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => (await mapPixels(page, green)).count, { timeout: 45_000, interval: 500 })
      .toBeGreaterThan(before + 2000);
    console.log(`[measure] add clusters to circles drawn: ${Date.now() - started} ms`);
    await page
      .getByRole('progressbar', { name: 'Loading populated_places (clusters)' })
      .waitFor({ state: 'detached', timeout: 45_000 });
    await saveScreenshot(page, 'datasets-populated-places-clusters');
    const { first } = await mapPixels(page, green);
    if (!first) throw new Error('no cluster drawn');
    expect(await hoverForTooltip(page, first, 'points of')).toMatch(
      /^[\d,]+ points? of populated_places$/,
    );
    expect(errors).toEqual([]);
  });
});
