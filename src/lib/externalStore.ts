/**
 * A value outside Redux that React reads with `useSyncExternalStore`: for renderer runtime
 * facts (where tiles parse, which layers are loading) that change with frames, not with
 * user actions, and must not flood the store's action log.
 */
export interface ExternalStore<T> {
  get: () => T;
  subscribe: (listener: () => void) => () => void;
  /** Sets the value; listeners hear of it only when it changed (by `equals`). */
  set: (next: T) => void;
}

export function createExternalStore<T>(
  initial: T,
  equals: (a: T, b: T) => boolean = Object.is,
): ExternalStore<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set: (next) => {
      if (equals(value, next)) return;
      value = next;
      for (const listener of listeners) listener();
    },
  };
}
