import { afterAll, afterEach, beforeAll } from 'vitest';
import { server } from './mocks/server';

/** For the Node project (vitest.config.ts): the MSW-mocked CARTO platform, and no DOM. */
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
});
afterEach(() => {
  server.resetHandlers();
});
afterAll(() => {
  server.close();
});
