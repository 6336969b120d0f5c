import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLogin } from '../../../src/features/oauth/oauthThunks';
import { callbackChannelName } from '../../../src/features/oauth/popup';
import { resetTestEmulator } from '../../mocks/emulator';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
import { FakePopup, type PopupScript } from '../../utils/fakePopup';
import type { AppStore } from '../../../src/store/store';

/** The promise of a dispatched login, with whether it has settled yet. */
function track(done: Promise<boolean>) {
  const result: { settled: boolean; value?: boolean } = { settled: false };
  void done.then((value) => Object.assign(result, { settled: true, value }));
  return result;
}

/** The production timings (250 ms polls, 1 s grace), not the fast ones the other tests use. */
const REAL_TIMINGS = { pollMs: 250, closedGraceMs: 1000, timeoutMs: 5 * 60_000 };

function storeWith(script: PopupScript, openerHasFocus = () => true) {
  return makeOAuthTestStore({
    popup: { script },
    runtime: { waitOptions: { ...REAL_TIMINGS, openerHasFocus } },
  });
}

const closedMessage =
  'The login window was closed before the login finished. Log in again when you are ready.';

function expectEndedAsClosed(store: AppStore, login: { settled: boolean; value?: boolean }) {
  expect(login).toEqual({ settled: true, value: false });
  expect(store.getState().oauth.status).toBe('error');
  expect(store.getState().oauth.error).toEqual({ code: 'popup_closed', message: closedMessage });
}

beforeEach(async () => {
  await resetTestEmulator();
  // Only the timers: the emulator's clock and the tokens' dates stay real.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a login window closed by the user is reported within 2 s, in every phase', () => {
  it('while still blank (before the flow sends it to the server)', async () => {
    let release: () => void = () => undefined;
    const { store, popups, runtime } = storeWith({ kind: 'allow' });
    const realLoad = runtime.loadClient;
    // The OAuth client is still loading (a slow network): the window is blank meanwhile.
    runtime.loadClient = () =>
      new Promise((resolve) => {
        release = () => resolve(realLoad());
      });
    const login = track(store.dispatch(startLogin()));
    await vi.advanceTimersByTimeAsync(500);
    popups[0]!.close();
    await vi.advanceTimersByTimeAsync(2000);
    expectEndedAsClosed(store, login);

    // The client arriving late sends nothing anywhere.
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(popups[0]!.navigations).toEqual([]);
  });

  it.each(['login', 'consent'] as const)('on the %s page', async (page) => {
    const { store, popups } = storeWith({ kind: 'stopAt', page });
    const login = track(store.dispatch(startLogin()));
    await vi.waitFor(() => expect(popups[0]?.page).toBe(page));
    // Within the first 3 s after opening: the case that used to stay "Logging in…".
    popups[0]!.close();
    await vi.advanceTimersByTimeAsync(2000);
    expectEndedAsClosed(store, login);
  });

  it('after the close, a new login works (no "invalid state", nothing left pending)', async () => {
    const { store, popups, runtime } = storeWith({ kind: 'stopAt', page: 'login' });
    const first = track(store.dispatch(startLogin()));
    await vi.waitFor(() => expect(popups[0]?.page).toBe('login'));
    popups[0]!.close();
    await vi.advanceTimersByTimeAsync(2000);
    expectEndedAsClosed(store, first);

    vi.useRealTimers();
    runtime.openPopup = () => new FakePopup().asWindow();
    expect(await store.dispatch(startLogin())).toBe(true);
    expect(store.getState().oauth.error).toBeNull();
  });
});

describe('a window cut off by COOP is not reported as closed', () => {
  it('reads as closed while it is in front of the user, and answers by BroadcastChannel later', async () => {
    // Reads "closed" at once, and answers 20 s later (the user took their time to log in).
    const { store, popups } = storeWith({ kind: 'coop', delayMs: 20_000 }, () => false);
    const login = track(store.dispatch(startLogin()));
    // (The emulator's pages are answered in real time; the 20 s start at the callback.)
    await vi.waitFor(() => expect(popups[0]?.page).toBe('callback'));
    await vi.advanceTimersByTimeAsync(15_000);
    expect(login.settled).toBe(false);
    expect(store.getState().oauth.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(6_000);
    await vi.waitFor(() => expect(login).toEqual({ settled: true, value: true }));
    expect(store.getState().oauth.error).toBeNull();
  });

  it('once the app has the focus back and the window still reads as closed, it is reported', async () => {
    let appHasFocus = false;
    const { store, popups } = storeWith({ kind: 'stall' }, () => appHasFocus);
    const login = track(store.dispatch(startLogin()));
    await vi.waitFor(() => expect(popups[0]?.navigations).toHaveLength(1));
    popups[0]!.close();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(login.settled).toBe(false);
    appHasFocus = true; // the user closed it and is back on the app
    await vi.advanceTimersByTimeAsync(2000);
    expectEndedAsClosed(store, login);
  });

  it('a BroadcastChannel answer for another login is not accepted', async () => {
    const { store, popups } = storeWith({ kind: 'stall' }, () => false);
    const login = track(store.dispatch(startLogin()));
    await vi.waitFor(() => expect(popups[0]?.navigations).toHaveLength(1));
    const channel = new BroadcastChannel(callbackChannelName('another-login'));
    channel.postMessage({
      type: 'carto-oauth-callback',
      url: 'http://localhost:5173/oauth-callback.html?code=x&state=another-login',
    });
    channel.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(login.settled).toBe(false);
  });
});
