/** HTTP Basic client credentials whose percent-encoding is broken: an OAuth 4xx, never a 500. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../../emulator/createEmulator';
import { M2M, makeTestEmulator, tokenRequest } from '../../utils/emulatorHarness';

let emulator: Emulator;

beforeAll(async () => {
  ({ emulator } = await makeTestEmulator());
});

/** A client_credentials request with `credentials` ("id:secret", as sent) in HTTP Basic. */
const basicTokenRequest = (credentials: string) =>
  tokenRequest(
    emulator,
    { grant_type: 'client_credentials' },
    { Authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
  );

describe('HTTP Basic client credentials with a broken percent-encoding', () => {
  it.each(['%', '%zz', 'm2m-client%', '%E0%A4%A'])('id %j: an OAuth 4xx, not a 500', async (id) => {
    const response = await basicTokenRequest(`${id}:${encodeURIComponent(M2M.clientSecret)}`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
    expect(body.error_description).toMatch(/encod|Client authentication failed/);
  });

  it('a broken secret encoding too', async () => {
    const response = await basicTokenRequest(`${M2M.clientId}:%`);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
