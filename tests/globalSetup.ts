import { Database } from '../emulator/data/database';

/**
 * Once per `vitest run`, before the workers start: the emulator's sample data is built and
 * kept if it is not already (emulator/data/sampleCache.ts), so that every test file loading
 * the sample warehouse copies it from the file instead of generating it (issue 18).
 */
export default async function setup(): Promise<void> {
  await Database.prepareSampleCache();
}
