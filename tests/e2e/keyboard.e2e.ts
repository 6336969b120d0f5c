import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_LOGIN } from '../../emulator/config/demoLogin';
import { collectPageErrors, launchChromium } from './support/browser';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser.close();
});

const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);

/** Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user would. */
async function tabTo(on: Page, target: Locator, { back = false, max = 60 } = {}) {
  await target.waitFor({ timeout: 20_000 });
  for (let presses = 0; presses < max; presses++) {
    if (await isFocused(target)) return presses;
    await on.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${String(target)} not reached in ${max} presses of Tab`);
}

/** The focused element shows that it is (the browser's :focus-visible, as styled). */
const focusVisible = (on: Page) =>
  on.evaluate(() => {
    const el = document.activeElement;
    if (!el?.matches(':focus-visible')) return false;
    const style = getComputedStyle(el);
    return style.outlineStyle !== 'none' || style.boxShadow !== 'none';
  });

/** What the polite live regions say now (the app's announcements). */
const announced = () =>
  page.evaluate(() =>
    [...document.querySelectorAll('[aria-live="polite"]')].map((el) => el.textContent).join(' | '),
  );

describe('keyboard only', () => {
  it('logs in through the popup and puts a dataset on the map without a mouse', async () => {
    const errors = collectPageErrors(page);
    await page.goto(inject('appUrl'));
    const login = page.getByRole('button', { name: 'Login with CARTO' }).first();
    await tabTo(page, login);
    expect(await focusVisible(page)).toBe(true);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('Enter')]);

    // The emulator's login and consent pages, by keyboard too.
    const email = popup.locator('#email');
    const consent = popup.getByRole('heading', { name: 'Allow access?' });
    await email.or(consent).waitFor({ timeout: 20_000 });
    if (await email.isVisible()) {
      await tabTo(popup, email);
      await popup.keyboard.type(DEMO_LOGIN.email);
      await tabTo(popup, popup.locator('#password'));
      await popup.keyboard.type(DEMO_LOGIN.password);
      await popup.keyboard.press('Enter');
    }
    const allow = popup.getByRole('button', { name: 'Allow' });
    await tabTo(popup, allow);
    await popup.keyboard.press('Enter');

    // The popup closed: the focus is on the account button, not lost at the page's start.
    const account = page.getByRole('button', { name: 'Account: Demo User' });
    await account.waitFor({ timeout: 20_000 });
    await expect.poll(() => isFocused(account)).toBe(true);
    await expect.poll(announced).toContain('Logged in as Demo User.');

    // The user menu opens and closes with the keyboard, and gives the focus back.
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Log out' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    await expect.poll(() => isFocused(account)).toBe(true);

    const add = page.getByRole('button', { name: 'Add populated_places to the map' });
    await tabTo(page, add);
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Enter');
    const layer = page.getByRole('switch', { name: 'Show populated_places' });
    await layer.waitFor({ timeout: 20_000 });
    await expect.poll(announced, { timeout: 30_000 }).toContain('Map layers loaded.');

    // The map's text alternative names the layer it draws.
    const description = await page.locator('.maplibregl-canvas').evaluate((canvas) => {
      const id = canvas.getAttribute('aria-describedby');
      return id ? (document.getElementById(id)?.textContent ?? '') : '';
    });
    expect(description).toContain('1 data layer: populated_places');

    // The layer list: the switch hides and shows the layer.
    await tabTo(page, layer);
    await page.keyboard.press('Space');
    await expect.poll(() => layer.isChecked()).toBe(false);
    await page.keyboard.press('Space');
    await expect.poll(() => layer.isChecked()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('hides and shows the side panel, and leaves the SQL editor with Escape then Tab', async () => {
    const toggle = page.getByRole('button', { name: 'Hide panel' });
    await tabTo(page, toggle);
    await page.keyboard.press('Enter');
    const show = page.getByRole('button', { name: 'Show panel' });
    await expect.poll(() => isFocused(show)).toBe(true);
    await expect
      .poll(() => page.getByRole('complementary', { name: 'Side panel' }).isVisible())
      .toBe(false);
    await page.keyboard.press('Enter');
    await page.getByRole('complementary', { name: 'Side panel' }).waitFor();

    // The views' tabs are links: arrows move between them, Enter opens one.
    const datasets = page.getByRole('tab', { name: 'Datasets' });
    await tabTo(page, datasets, { back: true });
    const sql = page.getByRole('tab', { name: 'SQL' });
    for (let i = 0; i < 4 && !(await isFocused(sql)); i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: 'SQL', selected: true }).waitFor();

    const editor = page.getByRole('textbox', { name: 'SQL query' });
    await tabTo(page, editor);
    await page.keyboard.type(' ');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    const inEditor = await page.evaluate(
      () => document.activeElement?.closest('.cm-editor') !== null,
    );
    expect(inEditor).toBe(false);
    expect(await focusVisible(page)).toBe(true);
  });

  it('filters with a widget: Tab to a category, Space, and the other widgets follow', async () => {
    // Back up to the views' tabs (the selected one takes the focus), then to Stores.
    const sqlTab = page.getByRole('tab', { name: 'SQL' });
    await tabTo(page, sqlTab, { back: true });
    const stores = page.getByRole('tab', { name: 'Stores' });
    for (let i = 0; i < 4 && !(await isFocused(stores)); i++)
      await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: 'Stores', selected: true }).waitFor();

    // A category's bar is a toggle button named by its category and value ("Supermarket: 5,012").
    const bar = page
      .getByRole('region', { name: 'Store type' })
      .getByRole('button', { name: /^.+: [\d.,]+\S*$/ })
      .first();
    await bar.waitFor({ timeout: 30_000 });
    const count = page.getByRole('region', { name: 'Stores', exact: true });
    await expect.poll(() => count.textContent(), { timeout: 30_000 }).toMatch(/\d/);
    const before = await count.textContent();
    await tabTo(page, bar, { max: 80 });
    expect(await focusVisible(page)).toBe(true);
    await page.keyboard.press('Space');
    await expect.poll(() => bar.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => count.textContent(), { timeout: 30_000 }).not.toBe(before);
    await page.keyboard.press('Space');
    await expect.poll(() => bar.getAttribute('aria-pressed')).toBe('false');
    // The count is back (with how it changed since the filtered one: "▲ 232.9% from before").
    await expect.poll(() => count.textContent(), { timeout: 30_000 }).toContain(before);
  });
});
