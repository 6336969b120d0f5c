/**
 * Issue 14: slow client SQL takes a bounded share of the database: one caller cannot take
 * every slot, a full queue is a 429 or 503 with Retry-After, and logins, token requests and
 * the emulator's own queries (widgets of a table, tiles) never wait behind client SQL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import { bearer, clientCredentials, clientToken } from '../../utils/emulatorHarness';
import { CALLERS, runSql, sandboxEmulator, SLOW_SQL } from './sandboxHarness';

// Long enough for the probes below to run while the slow queries hold their slots, with room
// on a loaded machine: they answer in tens of ms, against a bound of half the limit. Every
// slow query burns the CPU up to the limit, so the limit is the file's cost.
const LIMIT_MS = 2000;
let emulator: Emulator;
const tokens = new Map<string, string>();

beforeAll(async () => {
  emulator = await sandboxEmulator({ queryTimeoutMs: LIMIT_MS });
  for (const id of CALLERS) tokens.set(id, await clientToken(emulator, id));
}, 60_000);

const token = (id: string) => tokens.get(id) ?? '';
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('fairness', () => {
  it('token requests and the emulator’s own queries do not wait behind slow client SQL', async () => {
    // Three callers: two hold the two slots for client SQL, and the third waits in the queue.
    const slow = CALLERS.slice(0, 3).map((id, i) => runSql(emulator, token(id), SLOW_SQL(`f${i}`)));
    await wait(300);
    let started = performance.now();
    const response = await clientCredentials(emulator);
    const tokenMs = performance.now() - started;
    expect(response.status).toBe(200);
    started = performance.now();
    const model = await bearer(
      emulator,
      `/v3/sql/carto_dw/model/formula?type=table&source=demo.retail_stores&params=${encodeURIComponent('{"column":"*","operation":"count"}')}`,
      token('m2m-a'),
    );
    const modelMs = performance.now() - started;
    expect(model.status).toBe(200);
    console.log(`token request ${Math.round(tokenMs)} ms, table widget ${Math.round(modelMs)} ms`);
    // Both well under the time limit the slow queries hold their connections for.
    expect(tokenMs).toBeLessThan(LIMIT_MS / 2);
    expect(modelMs).toBeLessThan(LIMIT_MS / 2);
    await Promise.all(slow);
  }, 60_000);

  it('one caller’s slow queries do not hold up another caller (per-caller limit, 429 past its queue)', async () => {
    const greedy = Array.from({ length: 6 }, (_, i) =>
      runSql(emulator, token('m2m-b'), SLOW_SQL(`g${i}`)),
    );
    await wait(300);
    const other = await runSql(
      emulator,
      token('m2m-c'),
      'SELECT count(*) AS n FROM demo.retail_stores WHERE revenue > 0',
    );
    expect(other.status).toBe(200);
    expect(other.ms).toBeLessThan(LIMIT_MS / 2);
    const answers = await Promise.all(greedy);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.error).toMatch(/Too many queries at once/);
    expect(Number(refused[0]?.headers.get('Retry-After'))).toBeGreaterThan(0);
  }, 60_000);

  it('a query that waits too long for a slot is a 503 with Retry-After', async () => {
    const busy = await sandboxEmulator({
      queryTimeoutMs: LIMIT_MS,
      limits: { clientSlots: 1, queueTimeoutMs: 500 },
    });
    const first = await clientToken(busy, 'm2m-d');
    const second = await clientToken(busy, 'm2m-e');
    const slow = runSql(busy, first, SLOW_SQL('w1'));
    await wait(200);
    const waited = await runSql(busy, second, SLOW_SQL('w2'));
    expect(waited.status).toBe(503);
    expect(waited.error).toMatch(/busy/);
    expect(waited.headers.get('Retry-After')).toBe('1');
    expect(waited.ms).toBeLessThan(LIMIT_MS / 2);
    expect((await slow).status).toBe(408);
  }, 60_000);
});
