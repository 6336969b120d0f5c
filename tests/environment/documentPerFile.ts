import type { Environment } from 'vitest/runtime';

/**
 * The shared jsdom project's environment (vitest.config.ts): code is transformed for the
 * browser, as with Vitest's `jsdom`, but the worker itself gets no document. Its files share a
 * worker, and each file makes its own document in `tests/setup.document.ts`: a fresh window,
 * storage, URL and head for every file, as when each file had a worker of its own.
 */
export default {
  name: 'document-per-file',
  viteEnvironment: 'client',
  setup: () => ({ teardown: () => undefined }),
} satisfies Environment;
