import { beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import {
  ISSUER,
  makeTestEmulator,
  spaAuthorizeUrl,
  TestBrowser,
  USER,
} from '../../utils/emulatorHarness';

let emulator: Emulator;

beforeEach(async () => {
  ({ emulator } = await makeTestEmulator());
});

const CHUNK = 64 * 1024;
/** Big enough that buffering it all shows; small enough that the old code finishes. */
const TOTAL = 24 * 1024 * 1024;

/** A form body produced lazily, counting what the server pulled from it. */
function lazyForm(prefix: string) {
  let pulled = 0;
  const chunk = new TextEncoder().encode('x'.repeat(CHUNK));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === 0) {
        const head = new TextEncoder().encode(`${prefix}&padding=`);
        pulled += head.length;
        controller.enqueue(head);
        return;
      }
      if (pulled >= TOTAL) {
        controller.close();
        return;
      }
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

async function post(path: string, body: ReadableStream<Uint8Array>, browser?: TestBrowser) {
  const init: RequestInit & { duplex: 'half' } = {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
    duplex: 'half',
  };
  return browser
    ? browser.request(path, init)
    : emulator.fetch(new Request(`${ISSUER}${path}`, init));
}

async function loginPage() {
  const browser = new TestBrowser(emulator);
  await browser.open(spaAuthorizeUrl());
  const fields = new URLSearchParams(browser.formFields()).toString();
  return { browser, fields };
}

describe('forms are capped while they stream in', () => {
  it('login form: 413 as soon as the cap is passed, without reading the rest', async () => {
    const { browser, fields } = await loginPage();
    const body = lazyForm(`${fields}&email=${encodeURIComponent(USER.email)}&password=x`);
    const response = await post('/authorize/login', body.stream, browser);
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('too large');
    expect(body.pulled()).toBeLessThan(1024 * 1024);
    // The form still works afterwards.
    expect((await browser.login()).status).toBe(200);
  });

  it('consent form: 413 while streaming', async () => {
    const { browser } = await loginPage();
    await browser.login();
    const fields = new URLSearchParams(browser.formFields()).toString();
    const body = lazyForm(`${fields}&decision=allow`);
    const response = await post('/authorize/consent', body.stream, browser);
    expect(response.status).toBe(413);
    expect(body.pulled()).toBeLessThan(1024 * 1024);
  });

  it.each(['/oauth/token', '/oauth/revoke'])(
    '%s: 413 invalid_request while streaming',
    async (path) => {
      const body = lazyForm('grant_type=client_credentials&client_id=x');
      const response = await post(path, body.stream);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
      expect(body.pulled()).toBeLessThan(1024 * 1024);
    },
  );

  it('a declared Content-Length over the cap is refused before reading anything', async () => {
    const { browser, fields } = await loginPage();
    const body = lazyForm(fields);
    const response = await browser.request('/authorize/login', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(300 * 1024 * 1024),
      },
      body: body.stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(CHUNK * 2);
  });

  it('a login form of ordinary size still works, and so does a large-ish consent', async () => {
    const { browser } = await loginPage();
    expect((await browser.login(USER.email, USER.password)).status).toBe(200);
  });
});
