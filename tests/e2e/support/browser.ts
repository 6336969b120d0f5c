import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Software WebGL (SwiftShader) so maplibre and deck.gl render without a GPU.
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
];

const NO_WEBGL_ARGS = [
  ...CHROMIUM_ARGS.filter((arg) => !arg.includes('swiftshader')),
  '--disable-webgl',
  '--disable-3d-apis',
];

/**
 * Playwright gives every launch a fresh, temporary --user-data-dir. `webgl: false` starts a
 * browser that cannot create a WebGL context (as some locked-down machines).
 */
export function launchChromium({ webgl = true }: { webgl?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: webgl ? CHROMIUM_ARGS : NO_WEBGL_ARGS,
    headless: true,
  });
}

const ARTIFACTS_DIR = join(process.cwd(), 'artifacts', 'e2e');

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Collects page errors so a test can assert the app logged none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
