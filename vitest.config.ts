import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { cartoWorkerUrls } from './scripts/lib/bundlePlugins.ts';

/**
 * Tests that need no DOM: the emulator, the pure modules, the Node CLI and the scripts. They
 * run in Node, without jsdom or Testing Library, and share their worker's modules from file to
 * file (`isolate: false`): the emulator, DuckDB, the BigQuery translator and the sample
 * warehouse load once per worker, not once per file (issue 18). Each file makes its own
 * emulator; the modules they share hold no test's state.
 */
const NODE_TESTS = [
  'tests/unit/**/*.test.ts',
  'tests/integration/emulator/**/*.test.ts',
  'tests/integration/cartoAuth/**/*.test.ts',
];

/** How the app's tests run: in jsdom, at the app's origin, with Testing Library. */
export const JSDOM_TESTS = {
  environment: 'jsdom',
  // The app's origin in tests: the emulator's test clients register its callback URL.
  environmentOptions: { jsdom: { url: 'http://localhost:5173/' } },
  setupFiles: ['./tests/setup.ts'],
};

export default defineConfig({
  plugins: [cartoWorkerUrls, react()],
  test: {
    globalSetup: ['./tests/globalSetup.ts'],
    restoreMocks: true,
    unstubEnvs: true,
    testTimeout: 15000,
    // Two test files at a time, measured on the 2-core machine (issue 18): most tests wait on
    // the emulator's crypto and DuckDB threads, so two workers keep both cores busy. Vitest's
    // default (cores - 1) runs one: 348 s -> 212 s, measured before the projects below.
    maxWorkers: 2,
    // Transformed by Vite (not loaded as-is by Node) so that tests can swap its `pako` import.
    server: { deps: { inline: [/@loaders\.gl[\\/]compression/] } },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: NODE_TESTS,
          setupFiles: ['./tests/setup.node.ts'],
          isolate: false,
          // Nothing a test stubs outlives it (the next file runs in the same module graph).
          unstubGlobals: true,
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          ...JSDOM_TESTS,
          include: ['tests/unit/**/*.test.tsx', 'tests/integration/**/*.test.{ts,tsx}'],
          exclude: NODE_TESTS,
        },
      },
    ],
  },
});
