import { beforeAll, beforeEach } from 'vitest';
import { clearDefaultRequestCache } from '@carto/api-client';
import type { EmulatorConfigInput } from '../../emulator/config/configSchema';
import { M2M, makeTestEmulator, testClock, type TestClock } from '../utils/emulatorHarness';
import type { Emulator } from '../../emulator/createEmulator';
import type { Database } from '../../emulator/data/database';
import { EMULATOR_URL } from './emulatorUrl';

export { EMULATOR_URL } from './emulatorUrl';

let current: Promise<{ emulator: Emulator; clock: TestClock }> | null = null;

/** The emulator behind the MSW handlers (created on first use, shared until reset). */
export function testEmulator() {
  current ??= makeTestEmulator(testClock(Date.now()), { issuer: EMULATOR_URL });
  return current;
}

/** A fresh emulator (new keys, no sessions or grants), optionally with other settings. */
export function resetTestEmulator(
  options: {
    config?: Partial<EmulatorConfigInput>;
    clock?: TestClock;
    data?: Database | false;
  } = {},
) {
  current = makeTestEmulator(options.clock ?? testClock(Date.now()), {
    issuer: EMULATOR_URL,
    config: options.config ?? {},
    data: options.data ?? false,
  });
  return current;
}

let database: Promise<Database> | null = null;

/**
 * The sample warehouse, loaded once per test file (copied from the file tests/globalSetup.ts
 * makes sure is kept) and shared by its emulators. Imported on first use: a test file without
 * data does not load DuckDB.
 */
export function sharedDatabase(): Promise<Database> {
  database ??= import('../../emulator/data/database').then(({ Database }) => Database.create());
  return database;
}

/** A client_credentials token from the MSW-backed emulator (the test config's M2M client). */
export async function m2mToken(clientId = M2M.clientId): Promise<string> {
  const response = await fetch(`${EMULATOR_URL}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: M2M.clientSecret,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/**
 * For a test file that reads the sample data: a fresh emulator over the shared warehouse and
 * an M2M token (handed to `onToken`) before all tests, and no @carto/api-client request cache
 * carried from one test to the next.
 */
export function sampleDataEmulator(onToken: (token: string) => void): void {
  beforeAll(async () => {
    await resetTestEmulator({ data: await sharedDatabase() });
    onToken(await m2mToken());
  }, 30_000);
  beforeEach(() => {
    clearDefaultRequestCache();
  });
}
