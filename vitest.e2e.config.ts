import { defineConfig } from 'vitest/config';

/** End-to-end tests: a real Chromium (Debian's /usr/bin/chromium) against the built app. */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['./tests/e2e/globalSetup.ts'],
    testTimeout: 60000,
    hookTimeout: 120000,
    fileParallelism: false,
  },
});
