/**
 * The app's side of the OAuth callback, attacked: forged `postMessage`s to the login's opener
 * (any origin, any sender, any payload), and tampered callback URLs carried through the whole
 * login (the real thunk, the emulator's token endpoint behind MSW). Nothing forged may log in.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { waitForCallback, CALLBACK_MESSAGE_TYPE } from '../../src/features/oauth/popup';
import { startLogin } from '../../src/features/oauth/oauthThunks';
import { makeOAuthTestStore } from '../utils/oauthTestStore';
import { printTable, type Row } from './table';

const rows: Row[] = [];
afterAll(() => printTable('App callback (forged answers)', rows));

const APP_ORIGIN = window.location.origin;
const STATE = 'expected-state-0123456789abcdef';

/** A stand-in for the login window: open, never closing by itself. */
const popupWindow = () => {
  const popup = {
    closed: false,
    close: () => {
      popup.closed = true;
    },
  };
  return popup as unknown as Window;
};

/** Whether `waitForCallback` settles on something within a few ticks of the messages. */
async function outcome(promise: Promise<URL>): Promise<'resolved' | 'rejected' | 'pending'> {
  const tick = new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 5));
  return Promise.race([
    promise.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    tick,
  ]);
}

const anyOrigin = fc.oneof(
  fc.webUrl().map((u) => new URL(u).origin),
  fc.constantFrom(
    'null',
    '',
    'http://localhost:5174',
    'http://127.0.0.1:5173',
    'http://localhost.evil.example:5173',
  ),
);
const callbackUrl = fc.record({
  origin: fc.oneof(fc.constant(APP_ORIGIN), anyOrigin),
  state: fc.oneof(fc.constant(STATE), fc.string(), fc.constant(STATE.toUpperCase())),
  extra: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 16 }), { maxKeys: 3 }),
});
const payload = fc.oneof(
  fc.anything(),
  callbackUrl.map(({ origin, state, extra }) => {
    const url = new URL('/oauth-callback.html', URL.canParse(origin) ? origin : APP_ORIGIN);
    for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
    url.searchParams.set('state', state);
    return { type: CALLBACK_MESSAGE_TYPE, url: url.href };
  }),
  fc.record({ type: fc.string(), url: fc.webUrl() }),
);

describe('forged callback messages', () => {
  it('from another origin or another window: ignored, whatever they carry', async () => {
    let attempts = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(anyOrigin, fc.boolean(), payload, async (origin, fromPopup, data) => {
        fc.pre(origin !== APP_ORIGIN || !fromPopup);
        attempts++;
        const popup = popupWindow();
        const controller = new AbortController();
        const waiting = waitForCallback(popup, STATE, { signal: controller.signal, pollMs: 1_000 });
        waiting.catch(() => undefined);
        const source = origin === APP_ORIGIN ? window : fromPopup ? popup : window;
        window.dispatchEvent(
          new MessageEvent('message', { data, origin, source: source as never }),
        );
        const result = await outcome(waiting);
        controller.abort();
        if (result !== 'pending') accepted++;
        expect(result).toBe('pending');
      }),
      { numRuns: 300 },
    );
    rows.push({ case: 'postMessage from another origin or window', attempts, accepted });
  });

  it('from the login window but not this login’s answer: refused, never used', async () => {
    let attempts = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(payload, async (data) => {
        const legit =
          typeof data === 'object' &&
          data !== null &&
          (data as { type?: unknown }).type === CALLBACK_MESSAGE_TYPE &&
          (() => {
            try {
              const url = new URL(String((data as { url?: unknown }).url));
              return url.origin === APP_ORIGIN && url.searchParams.get('state') === STATE;
            } catch {
              return false;
            }
          })();
        fc.pre(!legit);
        attempts++;
        const popup = popupWindow();
        const controller = new AbortController();
        const waiting = waitForCallback(popup, STATE, { signal: controller.signal, pollMs: 1_000 });
        waiting.catch(() => undefined);
        window.dispatchEvent(
          new MessageEvent('message', { data, origin: APP_ORIGIN, source: popup as never }),
        );
        const result = await outcome(waiting);
        controller.abort();
        if (result === 'resolved') accepted++;
        expect(result).not.toBe('resolved');
      }),
      { numRuns: 300 },
    );
    rows.push({ case: 'postMessage from the login window, wrong answer', attempts, accepted });
  });
});

/** Ways to change a real callback URL (code, state, iss, error, duplicates). */
const tampering = fc.oneof(
  fc.record({
    param: fc.constantFrom('code', 'state', 'iss'),
    value: fc.string({ maxLength: 40 }),
  }),
  fc.record({ param: fc.constantFrom('code', 'state', 'iss'), value: fc.constant(null) }),
  fc.record({
    param: fc.constant('error'),
    value: fc.constantFrom('access_denied', 'server_error', 'x'),
  }),
  fc.record({ param: fc.constantFrom('code', 'state', 'iss'), value: fc.constant('duplicate') }),
);

describe('tampered callback URLs through the whole login', () => {
  it('never log in, and say why', async () => {
    let attempts = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(tampering, async ({ param, value }) => {
        let changed = false;
        const tamper = (url: URL) => {
          const before = url.searchParams.get(param);
          if (value === null) url.searchParams.delete(param);
          else if (value === 'duplicate') url.searchParams.append(param, before ?? 'x');
          else url.searchParams.set(param, value);
          changed = url.searchParams.get(param) !== before || value === 'duplicate';
          return url;
        };
        const { store } = makeOAuthTestStore({ popup: { tamper } });
        const loggedIn = await store.dispatch(startLogin());
        fc.pre(changed);
        attempts++;
        if (loggedIn) accepted++;
        expect(loggedIn).toBe(false);
        expect(store.getState().oauth.session).toBeNull();
        // Said plainly, as an OAuth error the UI can show.
        expect(store.getState().oauth.error?.message).toBeTruthy();
      }),
      { numRuns: 40 },
    );
    rows.push({ case: 'tampered callback URL (code/state/iss/error)', attempts, accepted });
  });
});
