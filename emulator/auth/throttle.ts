/**
 * Failure counters for password and client-secret checks.
 *
 * The check and the count are one synchronous step (`begin`): an attempt is counted as a
 * failure *before* the (slow, asynchronous) secret check runs, and refunded if the secret was
 * right. So 40 guesses sent at once see each other's counts: only the first few are evaluated,
 * the rest are refused, whatever order the hashes finish in. Nothing may `await` between the
 * lock check and the increment; `begin` does both without yielding.
 */

export interface ThrottleRule {
  /** Failures in the window before the key locks (the lock starts at this failure). */
  maxFailures: number;
  /** Failures older than this are forgotten (counted from the first failure). */
  windowMs: number;
  /** The first lock; each further failure doubles it, up to `maxLockMs`. */
  baseLockMs: number;
  maxLockMs: number;
}

interface Entry {
  count: number;
  first: number;
  lockedUntil: number;
}

/** At most this many keys per counter (random e-mails or client ids cannot fill memory). */
const MAX_ENTRIES = 20_000;

/** One family of counters (e.g. per browser), keyed by string. */
export class FailureCounter {
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly rule: ThrottleRule,
    private readonly now: () => number,
  ) {}

  /** Milliseconds `key` is still locked for, or 0. */
  lockedFor(key: string): number {
    const entry = this.entries.get(key);
    return entry ? Math.max(0, entry.lockedUntil - this.now()) : 0;
  }

  /** Counts one failure; returns what to restore if it is refunded. */
  count(key: string): { key: string; previous: Entry | undefined; lockedUntil: number } {
    const now = this.now();
    const previous = this.entries.get(key);
    const fresh = !previous || now - previous.first > this.rule.windowMs;
    const count = fresh ? 1 : previous.count + 1;
    const { maxFailures, baseLockMs, maxLockMs } = this.rule;
    const lockMs =
      count >= maxFailures ? Math.min(baseLockMs * 2 ** (count - maxFailures), maxLockMs) : 0;
    const lockedUntil = lockMs ? now + lockMs : fresh ? 0 : previous.lockedUntil;
    this.entries.delete(key); // re-inserted last: the Map's order is least recently used first
    this.entries.set(key, { count, first: fresh ? now : previous.first, lockedUntil });
    this.prune(now);
    return { key, previous: previous && { ...previous }, lockedUntil };
  }

  /** Undoes `count` (the secret was right): the count and any lock it set go back. */
  refund(counted: ReturnType<FailureCounter['count']>): void {
    const entry = this.entries.get(counted.key);
    if (!entry) return;
    entry.count = Math.max(0, entry.count - 1);
    // Only undo the lock this attempt set; a later failure's lock stays.
    if (entry.lockedUntil === counted.lockedUntil) {
      entry.lockedUntil = counted.previous?.lockedUntil ?? 0;
    }
    if (entry.count === 0 && entry.lockedUntil <= this.now()) this.entries.delete(counted.key);
  }

  clear(key: string): void {
    this.entries.delete(key);
  }

  private prune(now: number): void {
    if (this.entries.size <= MAX_ENTRIES) return;
    // Forgotten entries (window over, no lock) go first; when all are live, the least
    // recently counted ones go.
    for (const [key, entry] of this.entries) {
      if (now - entry.first > this.rule.windowMs && entry.lockedUntil <= now) {
        this.entries.delete(key);
      }
    }
    while (this.entries.size > MAX_ENTRIES * 0.9) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}

export type Attempt =
  | { ok: false; retryAfterMs: number }
  | {
      ok: true;
      /** The secret was right: refund the counts (and clear the ones in `clearOnSuccess`). */
      succeeded: () => void;
      /** The secret was wrong: the counts stand. */
      failed: () => void;
    };

/**
 * Checks every `(counter, key)` for a lock and, if none is locked, counts the attempt on all
 * of them, in one synchronous step.
 */
export function beginAttempt(
  checks: readonly { counter: FailureCounter; key: string; clearOnSuccess?: boolean }[],
): Attempt {
  const retryAfterMs = Math.max(0, ...checks.map((c) => c.counter.lockedFor(c.key)));
  if (retryAfterMs > 0) return { ok: false, retryAfterMs };
  const counted = checks.map((c) => ({ ...c, counted: c.counter.count(c.key) }));
  let settled = false;
  return {
    ok: true,
    succeeded: () => {
      if (settled) return;
      settled = true;
      for (const c of counted) {
        if (c.clearOnSuccess) c.counter.clear(c.key);
        else c.counter.refund(c.counted);
      }
    },
    failed: () => {
      settled = true;
    },
  };
}
