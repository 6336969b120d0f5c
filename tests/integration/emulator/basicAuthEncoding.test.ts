// @vitest-environment node
/** HTTP Basic client credentials whose percent-encoding is broken: an OAuth 4xx, never a 500. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import { ISSUER, M2M, makeTestEmulator } from '../../utils/emulatorHarness';

let emulator: Emulator;

beforeAll(async () => {
  ({ emulator } = await makeTestEmulator());
});

describe('HTTP Basic client credentials with a broken percent-encoding', () => {
  it.each(['%', '%zz', 'm2m-client%', '%E0%A4%A'])('id %j: an OAuth 4xx, not a 500', async (id) => {
    const basic = Buffer.from(`${id}:${encodeURIComponent(M2M.clientSecret)}`).toString('base64');
    const response = await emulator.fetch(
      new Request(`${ISSUER}/oauth/token`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${basic}`,
        },
        body: 'grant_type=client_credentials',
      }),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
    expect(body.error_description).toMatch(/encod|Client authentication failed/);
  });

  it('a broken secret encoding too', async () => {
    const basic = Buffer.from(`${M2M.clientId}:%`).toString('base64');
    const response = await emulator.fetch(
      new Request(`${ISSUER}/oauth/token`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Authorization: `Basic ${basic}`,
        },
        body: 'grant_type=client_credentials',
      }),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
