import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_LOGIN } from '../../emulator/config/demoLogin';
import { launchChromium } from './support/browser';
import { axeAudit, type AxeFinding } from './support/axe';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  // axe opens a page of its own in the context to gather results: a context, not browser.newPage.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser.close();
});

/** What axe found on every screen, by impact, for the closing note and the next fixes. */
const found: AxeFinding[] = [];

async function audit(on: Page, screen: string) {
  const result = await axeAudit(on, screen);
  found.push(...result.found);
  return result.serious;
}

describe('accessibility (axe in Chromium): no serious or critical violations', () => {
  afterAll(() => {
    // The whole picture, minor and moderate too, for the closing note and the next fixes.
    console.log('[axe] screen | impact | rule | elements | example');
    for (const f of found)
      console.log(`[axe] ${f.screen} | ${f.impact} | ${f.rule} | ${f.nodes} | ${f.example}`);
  });

  it('the first screen, the emulator’s login and consent pages, and every view', async () => {
    const serious: string[] = [];
    await page.goto(inject('appUrl'));
    await page.getByRole('button', { name: 'Login with CARTO' }).first().waitFor();
    serious.push(...(await audit(page, 'first screen')));

    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Login with CARTO' }).first().click(),
    ]);
    await popup.locator('#password').waitFor({ timeout: 20_000 });
    serious.push(...(await audit(popup, 'emulator login page')));
    await popup.fill('#email', DEMO_LOGIN.email);
    await popup.fill('#password', DEMO_LOGIN.password);
    await popup.click('button[type=submit]');
    await popup.getByRole('heading', { name: 'Allow access?' }).waitFor();
    serious.push(...(await audit(popup, 'emulator consent page')));
    await popup.getByRole('button', { name: 'Allow' }).click();

    await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
    const views: [string, () => Promise<unknown>][] = [
      ['Datasets', () => page.getByRole('list', { name: 'Datasets' }).waitFor({ timeout: 20_000 })],
      ['Stores', () => page.getByRole('status').first().waitFor({ timeout: 30_000 })],
      ['Isochrones', () => page.getByRole('tab', { name: 'Isochrones', selected: true }).waitFor()],
      ['SQL', () => page.getByRole('textbox', { name: 'SQL query' }).waitFor({ timeout: 20_000 })],
    ];
    for (const [name, ready] of views) {
      await page.getByRole('tab', { name }).click();
      await ready();
      serious.push(...(await audit(page, `${name} view`)));
    }

    await page.getByRole('button', { name: 'Account: Demo User' }).click();
    await page.getByRole('menu').waitFor();
    serious.push(...(await audit(page, 'user menu')));
    await page.keyboard.press('Escape');

    expect(serious).toEqual([]);
  });
});
