/**
 * jsdom has no real windows or navigation, so `window.open` is replaced by this stand-in for
 * the login window. When the app sets its URL it does what a user would, against the emulator
 * (through the same `fetch` the app uses, answered by MSW -> emulator): logs in, consents (or
 * not), follows the redirect, and then runs the real callback page code (`handOverCallback`)
 * with this app as its opener.
 */
import { handOverCallback } from '../../src/features/oauth/callbackPage';
import { TestBrowser, USER } from './emulatorHarness';
import { EMULATOR_URL, testEmulator } from '../mocks/emulator';

export type PopupScript =
  | { kind: 'allow'; scopes?: string[] }
  | { kind: 'deny' }
  /** The user closes the window after `afterMs`. */
  | { kind: 'close'; afterMs: number }
  /** COOP cut the opener off: `closed` is true at once, the answer comes by BroadcastChannel. */
  | { kind: 'coop'; delayMs: number }
  /** Goes as far as the login or the consent page and stays there (the test closes it). */
  | { kind: 'stopAt'; page: 'login' | 'consent' }
  /** Never answers. */
  | { kind: 'stall' };

export interface FakePopupOptions {
  script?: PopupScript;
  /** Rewrites the callback URL before the callback page runs (tests of forged answers). */
  tamper?: (url: URL) => URL;
  /** Called with the callback URL the window reached. */
  onCallback?: (url: URL) => void;
}

export class FakePopup {
  closed = false;
  navigations: string[] = [];
  /** The page the window shows, as far as a user would tell. */
  page: 'blank' | 'login' | 'consent' | 'callback' | 'error' = 'blank';
  private readonly script: PopupScript;

  readonly location: { href: string };

  constructor(private readonly options: FakePopupOptions = {}) {
    this.script = options.script ?? { kind: 'allow' };
    const navigations = this.navigations;
    const run = (url: string) => this.run(url);
    this.location = {
      get href() {
        return navigations.at(-1) ?? 'about:blank';
      },
      set href(url: string) {
        navigations.push(url);
        void run(url);
      },
    };
  }

  close() {
    this.closed = true;
  }

  asWindow(): Window {
    return this as unknown as Window;
  }

  private async run(url: string) {
    const script = this.script;
    if (script.kind === 'stall') return;
    if (script.kind === 'close') {
      setTimeout(() => this.close(), script.afterMs);
      return;
    }
    if (script.kind === 'coop') this.closed = true;
    const { emulator } = await testEmulator();
    const browser = new TestBrowser(emulator, EMULATOR_URL);
    let response = await browser.open(url);
    if (response.status === 200 && browser.lastHtml.includes('name="password"')) {
      this.page = 'login';
      if (script.kind === 'stopAt' && script.page === 'login') return;
      response = await browser.login(USER.email, USER.password);
    }
    if (response.status === 200 && browser.lastHtml.includes('Allow access?')) {
      this.page = 'consent';
      if (script.kind === 'stopAt') return;
      response = await browser.consent(
        script.kind === 'deny' ? 'deny' : 'allow',
        script.kind === 'allow' ? script.scopes : undefined,
      );
    }
    const location = response.headers.get('Location');
    if (!location) {
      this.page = 'error';
      return; // an error page: the window stays open, as a real one would
    }
    this.page = 'callback';
    let callback = new URL(location);
    if (this.options.tamper) callback = this.options.tamper(callback);
    this.options.onCallback?.(callback);
    if (script.kind === 'coop') await new Promise((resolve) => setTimeout(resolve, script.delayMs));
    this.runCallbackPage(callback, script.kind === 'coop' ? null : window);
  }

  /** The real callback page's code, in a window whose opener is the app (or null under COOP). */
  runCallbackPage(callback: URL, opener: Window | null) {
    const source = this as unknown as Window;
    const fakeOpener = opener && {
      closed: false,
      postMessage(data: unknown, targetOrigin: string) {
        if (targetOrigin !== window.location.origin) return;
        window.dispatchEvent(
          new MessageEvent('message', {
            data,
            origin: targetOrigin,
            source,
          }),
        );
      },
    };
    const replaced: string[] = [];
    handOverCallback({
      location: { href: callback.href, origin: window.location.origin },
      history: { replaceState: (_s: unknown, _t: string, u: string) => replaced.push(u) },
      opener: fakeOpener,
    } as unknown as Window);
    this.clearedUrl = replaced.at(-1) ?? null;
  }

  /** What the callback page left in the address bar. */
  clearedUrl: string | null = null;
}
