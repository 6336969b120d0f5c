/**
 * Where a token or an authorization code could leak in a real browser, after a login and some
 * work on the map (tiles, widgets): web storage, IndexedDB, Cache Storage, cookies, the
 * history, any request URL (the app's page, the login window, workers), and the Referer the
 * callback page would send. In memory mode (the default) they must be nowhere but in memory.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { launchChromium } from './support/browser';
import { loginThroughPopup } from './support/login';

let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: { url: string; referer: string | null; from: string }[] = [];
const secrets: { kind: string; value: string }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Every request of every page and worker of the context, with the page it came from.
  context.on('request', (request: Request) => {
    const headers = request.headers();
    let from = 'worker';
    try {
      from = request.frame().url();
    } catch {
      // A service or dedicated worker's request has no frame.
    }
    requests.push({ url: request.url(), referer: headers.referer ?? null, from });
  });
  // The secrets to look for: the code (in the callback URL) and the tokens (the token answer).
  context.on('response', async (response) => {
    const url = new URL(response.url());
    if (url.pathname.endsWith('/oauth-callback.html')) {
      const code = url.searchParams.get('code');
      if (code) secrets.push({ kind: 'authorization code', value: code });
    }
    if (url.pathname === '/oauth/token' && response.request().method() === 'POST') {
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      for (const kind of ['access_token', 'refresh_token', 'id_token']) {
        const value = body[kind];
        if (typeof value === 'string') secrets.push({ kind, value });
      }
    }
  });
  page = await context.newPage();
  await page.goto(inject('appUrl'));
  await loginThroughPopup(page);
  await page.getByRole('button', { name: 'Account: Demo User' }).waitFor({ timeout: 20_000 });
  // Some work: the Stores view asks for tiles and widgets with the token.
  await page.getByRole('tab', { name: 'Stores' }).click();
  await page
    .getByRole('region', { name: 'Store widgets' })
    .getByRole('region', { name: 'Stores', exact: true })
    .locator('.MuiTypography-h5')
    .waitFor({ timeout: 45_000 });
}, 120_000);

afterAll(async () => {
  await browser.close();
});

/** Every place in the page's origin that could keep a string, as text. */
async function everythingStored(target: Page): Promise<string> {
  return target.evaluate(async () => {
    const parts: string[] = [document.cookie, location.href];
    for (const storage of [localStorage, sessionStorage]) {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i) ?? '';
        parts.push(key, storage.getItem(key) ?? '');
      }
    }
    for (const info of await indexedDB.databases()) {
      parts.push(`indexedDB:${info.name ?? ''}`);
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name ?? '');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const get = db.transaction(store).objectStore(store).getAll();
          get.onsuccess = () => resolve(get.result as unknown[]);
          get.onerror = () => reject(get.error ?? new Error('getAll failed'));
        });
        parts.push(JSON.stringify(all));
      }
      db.close();
    }
    if ('caches' in window) {
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) parts.push(request.url);
      }
    }
    return parts.join('\n');
  });
}

describe('no token or code outside memory (Chromium, memory mode)', () => {
  it('knows what to look for: the login’s code and tokens', () => {
    expect(secrets.map((s) => s.kind)).toEqual(
      expect.arrayContaining(['authorization code', 'access_token']),
    );
    expect(requests.length).toBeGreaterThan(20);
  });

  it('not in storage, IndexedDB, Cache Storage, cookies or the page’s URL', async () => {
    const stored = await everythingStored(page);
    for (const { kind, value } of secrets) expect(stored, kind).not.toContain(value);
    // The history: the app's page never navigates to a URL with a code (the callback is a
    // page of its own, in the login window, which is gone), and its own URL has none.
    expect(page.url()).not.toMatch(/code=|access_token=/);
    for (const { value } of secrets) expect(page.url()).not.toContain(value);
  });

  it('not in any request URL (pages, login window, workers)', () => {
    const leaks = requests.filter(({ url }) =>
      secrets.some(({ kind, value }) =>
        // The code goes to the callback page in the redirect itself: that is its one place.
        kind === 'authorization code'
          ? url.includes(value) && !new URL(url).pathname.endsWith('/oauth-callback.html')
          : url.includes(value),
      ),
    );
    expect(leaks.map((l) => l.url.slice(0, 120))).toEqual([]);
  });

  it('the callback page sends no Referer (its URL has the code)', () => {
    const fromCallback = requests.filter(({ from }) => from.includes('/oauth-callback.html'));
    expect(fromCallback.length).toBeGreaterThan(0);
    for (const { referer, url } of fromCallback) {
      expect(referer ?? '', url).toBe('');
    }
    // Nor does anything else send a Referer carrying a secret.
    const leaking = requests.filter(
      ({ referer }) => referer && secrets.some(({ value }) => referer.includes(value)),
    );
    expect(leaking).toEqual([]);
  });
});
