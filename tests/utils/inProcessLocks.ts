import type { LockManagerLike } from '../../src/features/oauth/oauthRuntime';

/**
 * A Web Locks stand-in shared by the "tabs" of a test (jsdom has none): one holder of an
 * exclusive lock at a time, granted in request order; shared holds counted per name.
 * `onRequest` hears every exclusive request (a tab that reached its renewal).
 */
export function inProcessLocks(onRequest: () => void = () => undefined): LockManagerLike {
  const tails = new Map<string, Promise<unknown>>();
  const shared = new Map<string, number>();
  return {
    request(name, callback) {
      onRequest();
      const previous = tails.get(name) ?? Promise.resolve();
      const run = previous.then(callback, callback);
      tails.set(
        name,
        run.catch(() => undefined),
      );
      return run;
    },
    hold(name) {
      shared.set(name, (shared.get(name) ?? 0) + 1);
      let held = true;
      return Promise.resolve(() => {
        if (!held) return;
        held = false;
        const left = (shared.get(name) ?? 1) - 1;
        if (left > 0) shared.set(name, left);
        else shared.delete(name);
      });
    },
    isHeld: (name) => Promise.resolve(shared.has(name)),
  };
}
