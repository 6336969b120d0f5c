import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectPageErrors, launchChromium, saveScreenshot } from './support/browser';
import { loginThroughPopup } from './support/login';
import { mapPixels } from './support/pixels';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
});

interface Violation {
  directive: string;
  blocked: string;
  source: string;
}

describe('the production build under its Content-Security-Policy (Chromium)', () => {
  it('logs in, draws a layer and runs widgets with no CSP violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Every violation the page (or a worker it starts) reports, from the first script on.
    await context.addInitScript(() => {
      const seen: Violation[] = [];
      (window as unknown as { cspViolations: Violation[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => {
        seen.push({
          directive: event.effectiveDirective,
          blocked: event.blockedURI,
          source: `${event.sourceFile}:${event.lineNumber}`,
        });
      });
    });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const consoleCsp: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) consoleCsp.push(message.text());
    });

    const response = await page.goto(inject('appUrl'));
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    expect(response?.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');

    await loginThroughPopup(page);
    await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
    await page.getByRole('tab', { name: 'Stores' }).click();
    // A layer drawn (its coloured points) and widgets answered (the stores count).
    const stores = page
      .getByRole('region', { name: 'Stores', exact: true })
      .locator('.MuiTypography-h5');
    await expect
      .poll(async () => Number(((await stores.textContent()) ?? '').replace(/[^\d]/g, '')), {
        timeout: 45_000,
      })
      .toBeGreaterThan(1000);
    await expect
      .poll(
        async () =>
          (await mapPixels(page, ([r, g, b]) => Math.max(r, g, b) - Math.min(r, g, b) > 90)).count,
        { timeout: 30_000, interval: 500 },
      )
      .toBeGreaterThan(500);
    await saveScreenshot(page, 'csp-stores');

    const violations = await page.evaluate(
      () => (window as unknown as { cspViolations: Violation[] }).cspViolations,
    );
    expect(violations).toEqual([]);
    expect(consoleCsp).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
