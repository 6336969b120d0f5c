import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, saveScreenshot } from './support/browser';
import { DEMO_LOGIN } from '../../emulator/config/demoLogin';

/**
 * The emulator's real login and consent pages in Chromium, with this test as the OAuth client:
 * it builds the PKCE request, lets the browser log in and consent, reads the callback URL and
 * exchanges the code itself.
 */
let browser: Browser;
let page: Page;
const emulatorUrl = () => inject('emulatorUrl');
const callback = 'http://localhost:4173/oauth-callback.html';

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 900, height: 900 } });
});

afterAll(async () => {
  await browser.close();
});

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(challenge: string, state: string) {
  return `${emulatorUrl()}/authorize?${new URLSearchParams({
    client_id: 'demo-spa-client',
    response_type: 'code',
    redirect_uri: callback,
    scope: 'read:current_user datasets:r:* offline_access',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString()}`;
}

describe('emulator login and consent in Chromium (PKCE)', () => {
  it('logs in, lets the user untick a scope, and redirects back with code, state and iss', async () => {
    const { verifier, challenge } = pkce();
    const state = randomBytes(16).toString('base64url');
    await page.goto(authorizeUrl(challenge, state));
    await expect.poll(() => page.title()).toContain('Log in');
    expect(await page.textContent('body')).toContain(`Demo account: ${DEMO_LOGIN.email}`);
    await saveScreenshot(page, 'emulator-login');

    await page.fill('#email', DEMO_LOGIN.email);
    await page.fill('#password', 'wrong password');
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();

    await page.fill('#password', DEMO_LOGIN.password);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    await saveScreenshot(page, 'emulator-consent');
    await page.getByRole('checkbox', { name: /Read all your datasets/ }).uncheck();

    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().startsWith(callback)),
      page.getByRole('button', { name: 'Allow' }).click(),
    ]);
    const back = new URL(request.url());
    expect(back.searchParams.get('state')).toBe(state);
    expect(back.searchParams.get('iss')).toBe(`${emulatorUrl()}/`);
    const code = back.searchParams.get('code') ?? '';

    const token = await fetch(`${emulatorUrl()}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: 'demo-spa-client',
        code,
        code_verifier: verifier,
        redirect_uri: callback,
      }),
    });
    expect(token.status).toBe(200);
    const tokens = (await token.json()) as {
      access_token: string;
      scope: string;
      refresh_token?: string;
    };
    expect(tokens.scope).toBe('read:current_user offline_access');
    expect(tokens.refresh_token).toBeTruthy();

    const me = await fetch(`${emulatorUrl()}/userinfo`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(((await me.json()) as { email: string }).email).toBe(DEMO_LOGIN.email);
  });

  it('remembers the session: the next authorization goes straight to consent', async () => {
    await page.goto(authorizeUrl(pkce().challenge, 'second'));
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    expect(await page.textContent('body')).toContain(
      `Signed in as Demo User (${DEMO_LOGIN.email})`,
    );
  });

  it('the login page cannot be framed by another site', async () => {
    const framer = await browser.newPage();
    await framer.setContent(
      `<iframe id="f" src="${authorizeUrl(pkce().challenge, 'framed')}"></iframe>`,
    );
    await framer.waitForTimeout(1500);
    const frame = framer.frames().find((f) => f.url().includes('/authorize'));
    const framedText = frame
      ? await frame.evaluate(() => document.body.innerText).catch(() => '')
      : '';
    expect(framedText).not.toContain('Allow access?');
    expect(framedText).not.toContain('Log in');
    await framer.close();
  });
});
