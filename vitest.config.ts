import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { cartoWorkerUrls } from './scripts/lib/bundlePlugins.ts';

export default defineConfig({
  plugins: [cartoWorkerUrls, react()],
  test: {
    environment: 'jsdom',
    // The app's origin in tests: the emulator's test clients register its callback URL.
    environmentOptions: { jsdom: { url: 'http://localhost:5173/' } },
    setupFiles: ['./tests/setup.ts'],
    globalSetup: ['./tests/globalSetup.ts'],
    include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/integration/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    unstubEnvs: true,
    testTimeout: 15000,
    // Two test files at a time, measured on the 2-core machine (issue 18): most tests wait on
    // the emulator's crypto and DuckDB threads, so two workers keep both cores busy. Vitest's
    // default (cores - 1) runs one: Vitest 348 s -> 250 s.
    maxWorkers: 2,
    // Transformed by Vite (not loaded as-is by Node) so that tests can swap its `pako` import.
    server: { deps: { inline: [/@loaders\.gl[\\/]compression/] } },
  },
});
