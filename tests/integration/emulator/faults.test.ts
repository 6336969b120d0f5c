import { beforeEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../../emulator/createEmulator';
import { ISSUER, makeTestEmulator, testConfig } from '../../utils/emulatorHarness';

let emulator: Emulator;

beforeEach(async () => {
  ({ emulator } = await makeTestEmulator());
});

const request = (path: string, init: RequestInit = {}) =>
  emulator.fetch(new Request(`${ISSUER}${path}`, init));
const setFaults = (faults: unknown) =>
  request('/__faults', {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(faults),
  });
const DISCOVERY = '/.well-known/openid-configuration';

describe('fault injection (tests only)', () => {
  it('is off unless asked for: no /__faults route, nothing injected', async () => {
    const plain = await createEmulator(await testConfig(), { issuer: ISSUER, data: false });
    expect(plain.faults).toBeNull();
    const response = await plain.fetch(new Request(`${ISSUER}/__faults`, { method: 'PUT' }));
    expect(response.status).toBe(404);
  });

  it('answers 500 or 503 (with Retry-After) on the routes set, for as many requests as set', async () => {
    expect(
      (await setFaults([{ route: '/.well-known', kind: 'unavailable', times: 2 }])).status,
    ).toBe(200);
    const first = await request(DISCOVERY);
    expect(first.status).toBe(503);
    expect(first.headers.get('Retry-After')).toBe('1');
    expect((await request(DISCOVERY)).status).toBe(503);
    // Spent: the route works again; other routes were never affected.
    expect((await request(DISCOVERY)).status).toBe(200);

    await setFaults([{ route: '*', method: 'post', kind: 'error' }]);
    expect((await request(DISCOVERY)).status).toBe(200);
    expect((await request('/oauth/token', { method: 'POST' })).status).toBe(500);
    expect((await request('/__faults', { method: 'DELETE' })).status).toBe(204);
    expect((await request('/oauth/token', { method: 'POST' })).status).toBe(400);
  });

  it('garbles a body (cut short, bytes that do not parse) and drops connections', async () => {
    await setFaults([{ route: DISCOVERY, kind: 'garbled' }]);
    const garbled = await request(DISCOVERY);
    expect(garbled.status).toBe(200);
    expect(garbled.headers.get('Content-Type')).toContain('application/json');
    await expect(garbled.json()).rejects.toThrow();

    await setFaults([{ route: DISCOVERY, kind: 'reset' }]);
    // In process there is no socket to drop: a network error, as fetch reports one.
    expect((await request(DISCOVERY)).type).toBe('error');
  });

  it('answers slowly', async () => {
    await setFaults([{ route: DISCOVERY, kind: 'slow', delayMs: 300 }]);
    const started = performance.now();
    expect((await request(DISCOVERY)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('says what is wrong with a bad fault list', async () => {
    const response = await setFaults([{ route: '/v3', kind: 'explode' }]);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /Invalid faults at 0\.kind/,
    );
    expect((await setFaults({ route: '/v3' })).status).toBe(400);
  });
});
