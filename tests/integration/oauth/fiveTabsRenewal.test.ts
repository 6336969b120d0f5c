/**
 * Five tabs of the app sharing one login reach renewal at the same moment, 100 rounds in a row,
 * and nobody is logged out (issue 14). Each tab is a real store and OAuth runtime; they share
 * what tabs of one origin share: a BroadcastChannel (Node's, as the app's own
 * `broadcastSessionChannel` wraps it) and a Web Locks stand-in (jsdom has none; one holder per
 * name, granted in request order). The emulator is the real one behind MSW, with refresh-token
 * rotation and reuse detection: one spent refresh token sent again revokes the whole grant, and
 * every tab would be logged out.
 *
 * A round is the production path: every tab's renewal timer (the listener in oauthEffects.ts)
 * comes due at once when the test moves the tabs' clock past the renewal point. Tokens are made
 * to say they expire 60.001 s after issue (the renewal leeway is 60 s), so a timer's wait is
 * 1 ms and all five wake within a millisecond or two of each other, faster than a refresh's
 * round trip.
 *
 * Two channel models. `prompt`: messages arrive as Node delivers them. `late`: each message
 * reaches each tab up to 25 ms late (in order), while locks are handed over at once. Browsers
 * promise no order between a BroadcastChannel message and a lock grant (different IPC routes,
 * other tabs' busy main threads), so the tab that takes the lock next may not yet have heard
 * of the rotation that the previous holder broadcast just before letting go.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXPIRY_LEEWAY_MS } from '../../../src/features/oauth/oauthThunks';
import { startOAuthSession } from '../../../src/features/oauth/oauthEffects';
import { startLogin } from '../../../src/features/oauth/oauthThunks';
import {
  broadcastSessionChannel,
  type SessionChannel,
} from '../../../src/features/oauth/oauthRuntime';
import type { OAuthTokens } from '../../../protocol/oauthClient';
import { EMULATOR_URL, resetTestEmulator } from '../../mocks/emulator';
import { server } from '../../mocks/server';
import { makeOAuthTestStore } from '../../utils/oauthTestStore';
import { testClock } from '../../utils/emulatorHarness';
import { inProcessLocks } from '../../utils/inProcessLocks';
import type { AppStore } from '../../../src/store/store';

const TABS = 5;
const ROUNDS = 100;
/** How long after issue a token says it expires, past the renewal leeway. */
const DUE_AFTER_MS = 1;

/**
 * The app's BroadcastChannel, with each message reaching this tab `lag()` ms late, in the
 * order sent (as BroadcastChannel promises between one sender and one receiver).
 */
function laggingChannel(name: string, lag: () => number): SessionChannel {
  const channel = broadcastSessionChannel(name);
  if (!channel) throw new Error('no BroadcastChannel in this environment');
  return {
    post: channel.post,
    subscribe(listener) {
      let last = 0;
      return channel.subscribe((message) => {
        const at = Math.max(last, Math.ceil(performance.now() + lag()));
        last = at;
        setTimeout(() => listener(message), at - performance.now());
      });
    },
  };
}

/** The OAuth client, with every token saying it expires just past the renewal leeway. */
async function shortLivedClient() {
  const client = await import('../../../protocol/oauthClient');
  const short = (tokens: OAuthTokens): OAuthTokens => ({
    ...tokens,
    expiresIn: (EXPIRY_LEEWAY_MS + DUE_AFTER_MS) / 1000,
  });
  return {
    ...client,
    finishAuthorization: async (...args: Parameters<typeof client.finishAuthorization>) =>
      short(await client.finishAuthorization(...args)),
    refreshTokens: async (...args: Parameters<typeof client.refreshTokens>) =>
      short(await client.refreshTokens(...args)),
  };
}

const token = (store: AppStore) => store.getState().oauth.session?.accessToken ?? '';

/** Counts the token endpoint's refresh_token grants (the login's code exchange is not one). */
function countRefreshRequests() {
  const calls = { count: 0 };
  const onStart = ({ request }: { request: Request }) => {
    if (request.url !== `${EMULATOR_URL}/oauth/token`) return;
    void request
      .clone()
      .text()
      .then((body) => {
        if (new URLSearchParams(body).get('grant_type') === 'refresh_token') calls.count++;
      });
  };
  server.events.on('request:start', onStart);
  return { calls, stop: () => server.events.removeListener('request:start', onStart) };
}

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

let channelCounter = 0;

async function runRounds(lag: () => number) {
  await resetTestEmulator();
  const clock = testClock(Date.now());
  const name = `five-tabs-${++channelCounter}-${Date.now()}`;
  const renewals = { count: 0 };
  const locks = inProcessLocks(() => renewals.count++);
  const tabs = Array.from({ length: TABS }, () =>
    makeOAuthTestStore({
      runtime: {
        channel: laggingChannel(name, lag),
        locks,
        now: clock.now,
        loadClient: shortLivedClient,
      },
    }),
  );
  const logouts = { count: 0 };
  for (const tab of tabs) {
    stops.push(startOAuthSession(tab.store, tab.runtime));
    let was = tab.store.getState().oauth.status;
    stops.push(
      tab.store.subscribe(() => {
        const now = tab.store.getState().oauth.status;
        // Expired (asked to log in again) or logged out: what the user would see.
        if (was === 'authenticated' && now !== 'authenticated') logouts.count++;
        was = now;
      }),
    );
  }
  const refreshes = countRefreshRequests();
  stops.push(refreshes.stop);

  // One tab logs in; the others get the session over the channel, with the same expiry.
  expect(await tabs[0]!.store.dispatch(startLogin())).toBe(true);
  await vi.waitFor(() => {
    for (const tab of tabs) expect(tab.store.getState().oauth.status).toBe('authenticated');
  });
  const shared = new Set(tabs.map((tab) => token(tab.store)));
  expect(shared.size).toBe(1);

  const started = performance.now();
  let rejected = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const before = tabs.map((tab) => token(tab.store));
    // Every tab's renewal is due now.
    clock.advance(DUE_AFTER_MS);
    await vi.waitFor(
      () => {
        tabs.forEach((tab, i) => {
          expect(tab.store.getState().oauth.status).toBe('authenticated');
          expect(token(tab.store)).not.toBe(before[i]);
          // Its renewal is over too (not still waiting for the lock or the broadcast).
          expect(tab.runtime.renewing).toBeNull();
        });
        expect(new Set(tabs.map((tab) => token(tab.store))).size).toBe(1);
      },
      { timeout: 5000, interval: 2 },
    );
    // The token every tab now holds is one the platform accepts (not revoked by a reuse).
    const response = await fetch(`${EMULATOR_URL}/userinfo`, {
      headers: { Authorization: `Bearer ${token(tabs[0]!.store)}` },
    });
    if (response.status !== 200) rejected++;
    expect(logouts.count, `logouts after round ${round}`).toBe(0);
  }
  const seconds = (performance.now() - started) / 1000;
  // Let the last round's refresh requests be counted.
  await new Promise((resolve) => setTimeout(resolve, 20));
  return {
    rounds: ROUNDS,
    tabs: TABS,
    renewals: renewals.count,
    tokenRequests: refreshes.calls.count,
    logouts: logouts.count,
    rejectedTokens: rejected,
    seconds: Math.round(seconds * 10) / 10,
  };
}

describe('five tabs renewing at once, 100 rounds', () => {
  it.each([
    ['prompt', () => 0],
    ['late', () => Math.random() * 25],
  ])(
    'messages %s: no spurious logout, one refresh per round',
    async (model, lag) => {
      const figures = await runRounds(lag);
      console.log(`five tabs, messages ${model}: ${JSON.stringify(figures)}`);
      expect(figures.logouts).toBe(0);
      expect(figures.rejectedTokens).toBe(0);
      // Single flight across tabs: one token request per round, however many tabs asked.
      expect(figures.tokenRequests).toBe(ROUNDS);
      // Every tab really reached its renewal in every round (not only the first to wake).
      expect(figures.renewals).toBe(ROUNDS * TABS);
    },
    60_000,
  );
});
