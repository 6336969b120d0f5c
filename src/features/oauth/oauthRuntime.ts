import { openLoginPopup, type WaitOptions } from './popup';
import type { OAuthSession } from '../../../protocol/oauthTypes';

/** Messages between tabs of this app (same origin only, by BroadcastChannel's design). */
export type SessionMessage =
  | { type: 'session-request' }
  | { type: 'session'; session: OAuthSession; refreshToken: string | null }
  | {
      type: 'tokens-refreshed';
      accessToken: string;
      expiresAt: number | null;
      grantedScopes: string[];
      refreshToken: string | null;
    }
  | { type: 'logout' };

export interface SessionChannel {
  post: (message: SessionMessage) => void;
  subscribe: (listener: (message: SessionMessage) => void) => () => void;
}

/** The part of the Web Locks API used for single-flight refresh across tabs. */
export interface LockManagerLike {
  /** Runs `callback` holding the exclusive lock `name` (granted in request order). */
  request: <T>(name: string, callback: () => Promise<T>) => Promise<T>;
  /** Takes the shared lock `name` and holds it until the returned function is called. */
  hold: (name: string) => Promise<() => void>;
  /** Whether any tab of this origin holds the lock `name` now. */
  isHeld: (name: string) => Promise<boolean>;
}

/**
 * The OAuth flow's effects and where secrets live: the refresh token is kept here, in memory,
 * never in the Redux store. Tests swap any part (popup, locks, clock, storage).
 */
export interface OAuthRuntime {
  vault: { refreshToken: string | null };
  /** sessionStorage when the developer opted in to `persist: 'session'`, else null. */
  storage: Storage | null;
  channel: SessionChannel | null;
  locks: LockManagerLike | null;
  now: () => number;
  openPopup: () => Window;
  loadClient: () => Promise<typeof import('../../../protocol/oauthClient')>;
  navigate: (url: string) => void;
  /** Whether the authorization server answers at all (any HTTP status), within `timeoutMs`. */
  serverAnswers: (server: string, timeoutMs: number) => Promise<boolean>;
  waitOptions: WaitOptions;
  /** The renewal in flight in this tab, shared by every caller. */
  renewing: Promise<boolean> | null;
  /**
   * Releases of the "spent" marks this tab holds for refresh tokens it rotated away, oldest
   * first (see `renewSession`).
   */
  spentMarks: (() => void)[];
}

export function broadcastSessionChannel(name: string): SessionChannel | null {
  if (typeof BroadcastChannel !== 'function') return null;
  const channel = new BroadcastChannel(name);
  return {
    post: (message) => channel.postMessage(message),
    subscribe: (listener) => {
      const onMessage = (event: MessageEvent) => listener(event.data as SessionMessage);
      channel.addEventListener('message', onMessage);
      return () => channel.removeEventListener('message', onMessage);
    },
  };
}

function browserLocks(): LockManagerLike | null {
  if (typeof navigator === 'undefined' || !('locks' in navigator)) return null;
  const locks = navigator.locks;
  return {
    request: (name, callback) => locks.request(name, callback),
    hold: (name) =>
      new Promise((granted) => {
        void locks.request(
          name,
          { mode: 'shared' },
          () => new Promise<void>((release) => granted(() => release())),
        );
      }),
    isHeld: async (name) => ((await locks.query()).held ?? []).some((lock) => lock.name === name),
  };
}

/**
 * Asks for the server's discovery document. `no-cors`: only whether an answer comes matters,
 * not what it says, so a server that sends no CORS headers for this page still counts.
 */
async function fetchAnswers(server: string, timeoutMs: number): Promise<boolean> {
  try {
    await fetch(new URL('/.well-known/openid-configuration', server), {
      mode: 'no-cors',
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return true;
  } catch {
    return false;
  }
}

export function createOAuthRuntime(overrides: Partial<OAuthRuntime> = {}): OAuthRuntime {
  return {
    vault: { refreshToken: null },
    storage: null,
    channel: null,
    locks: browserLocks(),
    now: () => Date.now(),
    openPopup: openLoginPopup,
    loadClient: () => import('../../../protocol/oauthClient'),
    navigate: (url) => window.location.assign(url),
    serverAnswers: fetchAnswers,
    waitOptions: {},
    renewing: null,
    spentMarks: [],
    ...overrides,
  };
}
