import { afterAll, afterEach, beforeAll } from 'vitest';
import { server } from './mocks/server';

/**
 * Every test's MSW-mocked CARTO platform. The Node project's setup (vitest.config.ts); the jsdom
 * tests' setup (setup.ts) imports it and adds Testing Library.
 */
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => {
  server.resetHandlers();
});
afterAll(() => {
  server.close();
});
