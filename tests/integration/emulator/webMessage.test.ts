/**
 * `response_mode=web_message` (issue 16): the answer page Auth0's SPA SDK uses for popup login
 * and for silent login in a hidden iframe. It posts to an Allowed Web Origin only, may be framed
 * by that origin only, and the login and consent pages stay unframeable.
 */
import { describe, expect, it } from 'vitest';
import {
  APP,
  CALLBACK,
  exchangeCode,
  loginWithCode,
  makeTestEmulator,
  pkce,
  spaAuthorizeUrl,
  TestBrowser,
} from '../../utils/emulatorHarness';

type Emulator = Awaited<ReturnType<typeof makeTestEmulator>>['emulator'];

/** The message the page posts, and where to: read back from its script. */
function posted(html: string): {
  message: { type: string; response: Record<string, string> };
  origin: string;
} {
  const match = /postMessage\((\{.*\}), ("[^"]*")\);<\/script>/.exec(html);
  if (!match?.[1] || !match[2]) throw new Error(`no postMessage in ${html.slice(0, 300)}`);
  return { message: JSON.parse(match[1]) as never, origin: JSON.parse(match[2]) as string };
}

/** A browser that has logged in and allowed `scope` once (a session, and consent). */
async function loggedIn(emulator: Emulator, scope = 'read:current_user') {
  const { browser } = await loginWithCode(emulator, { scope });
  return browser;
}

describe('response_mode=web_message', () => {
  it('silent login (prompt=none): a page that posts the code to the app, framable by the app only', async () => {
    const { emulator } = await makeTestEmulator();
    const browser = await loggedIn(emulator);
    const { verifier, challenge } = pkce();
    const page = await browser.open(
      spaAuthorizeUrl({
        response_mode: 'web_message',
        prompt: 'none',
        state: 'silent-1',
        code_challenge: challenge,
      }),
    );
    expect(page.status).toBe(200);
    const csp = page.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain(`frame-ancestors ${APP}`);
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(csp).toContain("default-src 'none'");
    expect(page.headers.get('X-Frame-Options')).toBeNull();
    expect(page.headers.get('Cache-Control')).toBe('no-store');
    const { message, origin } = posted(browser.lastHtml);
    expect(origin).toBe(APP);
    expect(message.type).toBe('authorization_response');
    expect(message.response.state).toBe('silent-1');
    const tokens = await exchangeCode(emulator, message.response.code ?? '', verifier);
    expect(tokens.status).toBe(200);
  });

  it('posts login_required and consent_required the same way', async () => {
    const { emulator } = await makeTestEmulator();
    const stranger = new TestBrowser(emulator);
    await stranger.open(spaAuthorizeUrl({ response_mode: 'web_message', prompt: 'none' }));
    expect(posted(stranger.lastHtml).message.response.error).toBe('login_required');
    const browser = await loggedIn(emulator);
    await browser.open(
      spaAuthorizeUrl({
        response_mode: 'web_message',
        prompt: 'none',
        scope: 'read:current_user datasets:r:*',
      }),
    );
    expect(posted(browser.lastHtml).message.response.error).toBe('consent_required');
  });

  it('a popup login with web_message ends on the answer page after the consent form', async () => {
    const { emulator } = await makeTestEmulator();
    const browser = new TestBrowser(emulator);
    await browser.open(spaAuthorizeUrl({ response_mode: 'web_message', state: 'popup' }));
    await browser.login();
    const answer = await browser.consent('allow');
    expect(answer.status).toBe(200);
    const { message } = posted(await answer.text());
    expect(message.response.state).toBe('popup');
    expect(message.response.code).toBeTruthy();
  });

  it('refuses a redirect URI whose origin is not an Allowed Web Origin, and unknown modes', async () => {
    const { emulator } = await makeTestEmulator();
    const browser = new TestBrowser(emulator);
    // An allowed callback whose origin is allowed for CORS, not as a web origin.
    const page = await browser.open(
      spaAuthorizeUrl({
        response_mode: 'web_message',
        redirect_uri: 'https://preview-1-app.example.com/callback',
      }),
    );
    expect(page.status).toBe(400);
    expect(browser.lastHtml).toContain('not in the Allowed Web Origins');
    expect(browser.lastHtml).not.toContain('postMessage');
    const unknown = await browser.open(spaAuthorizeUrl({ response_mode: 'form_post' }));
    expect(unknown.status).toBe(302);
    const location = new URL(unknown.headers.get('Location') ?? '');
    expect(location.origin + location.pathname).toBe(CALLBACK);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('keeps the login page unframeable', async () => {
    const { emulator } = await makeTestEmulator();
    const browser = new TestBrowser(emulator);
    const page = await browser.open(spaAuthorizeUrl({ response_mode: 'web_message' }));
    expect(browser.lastHtml).toContain('name="password"');
    expect(page.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('X-Frame-Options')).toBe('DENY');
  });
});
