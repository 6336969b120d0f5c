import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { cartoWorkerUrls } from './scripts/lib/bundlePlugins.ts';
import { JSDOM_OPTIONS } from './tests/appOrigin.ts';

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
  environmentOptions: JSDOM_OPTIONS,
  setupFiles: ['./tests/setup.ts'],
};

/**
 * The jsdom tests that replace modules (`vi.mock`) run each in a worker of its own: a module
 * mocked for one file must not be the next file's. ESLint keeps `vi.mock` out of the others.
 * The map needs no mock: the shared jsdom project resolves it to its stand-in (FAKE_MAP).
 */
const ISOLATED_TESTS = [
  'tests/integration/**/*.isolated.test.{ts,tsx}',
  'tests/unit/**/*.isolated.test.tsx',
];

/**
 * jsdom has no WebGL: in the shared jsdom project the app's `react-map-gl/maplibre` is
 * tests/utils/fakeMapGL.tsx, which renders the map's children and records its props.
 */
const FAKE_MAP = {
  find: /^react-map-gl\/maplibre$/,
  replacement: fileURLToPath(new URL('./tests/utils/fakeMapGL.tsx', import.meta.url)),
};

/**
 * The packages the app imports (read from `src/`, type-only imports aside), and Testing Library.
 * The shared jsdom project bundles them (Vite's dependency optimizer) and evaluates them anew
 * for each file, like the app's own modules: a file's react-dom, MUI and emotion are its own
 * and write into its own document. Vitest keeps `react` itself out of the bundles: the one copy
 * that Node loads serves every file of a worker, as it serves every root of a page.
 */
function appDependencies(): string[] {
  const found = new Set([
    '@testing-library/dom',
    '@testing-library/react',
    '@testing-library/user-event',
  ]);
  const files = readdirSync('src', { recursive: true, encoding: 'utf8' });
  for (const file of files.filter((f) => /\.tsx?$/.test(f))) {
    const code = readFileSync(`src/${file}`, 'utf8');
    const specifiers = code.matchAll(
      /^\s*(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s+'([^'.][^']*)'|\bimport\('([^'.][^']*)'\)/gm,
    );
    for (const [, fromClause, dynamic] of specifiers) {
      const specifier = fromClause ?? dynamic ?? '';
      if (
        !specifier.startsWith('node:') &&
        !specifier.includes('?') &&
        !FAKE_MAP.find.test(specifier)
      )
        found.add(specifier);
    }
  }
  return [...found].sort();
}

export default defineConfig({
  plugins: [cartoWorkerUrls, react()],
  test: {
    globalSetup: ['./tests/globalSetup.ts'],
    restoreMocks: true,
    unstubEnvs: true,
    testTimeout: 15000,
    // Two test files at a time, measured on the 2-core machine (issue 18): most tests wait on
    // the emulator's crypto and DuckDB threads, so two workers keep both cores busy. Vitest's
    // default (cores - 1) runs one: 348 s -> 212 s, measured before the projects below. Three
    // were faster with warm caches (Vitest 71-77 -> 67-68 s, alternated in one clone), but in a
    // clean clone (CI: every transform cold, done by the main process for all three) two tests'
    // first waits for a lazy chunk timed out: two it stays.
    maxWorkers: 2,
    // One DuckDB thread per query: with two files at a time on two cores, a second one only
    // adds overhead. Measured: the Node project 78 -> 64 s of CPU, the jsdom one 98 -> 72 s.
    env: { EMULATOR_DUCKDB_THREADS: '1' },
    // Vite's transforms are kept on disk (node_modules/.experimental-vitest-cache) from run to
    // run, keyed by each file's content, this config and the lockfile; `vitest --clearCache`
    // empties it. Mostly the bundled dependencies of the jsdom tests (11.6 MB of JS), which
    // every run transformed again: measured 20-25 s of CPU and 10-15 s of wall time a run.
    experimental: { fsModuleCache: true },
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
          // The app's tests, one file after another in each worker (`isolate: false`): what
          // Node loaded (jsdom, MSW, DuckDB, the emulator's libraries, the SQL translator's
          // WebAssembly, React) is kept from file to file, and nothing else. For each file,
          // tests/setup.document.ts evaluates the app's modules and the bundled dependencies
          // (inlined: Vitest would load them as-is, once) again, and makes a new document.
          // Measured: 90 -> 67 s for these files.
          name: 'dom',
          environment: './tests/environment/documentPerFile.ts',
          setupFiles: ['./tests/setup.document.ts', ...JSDOM_TESTS.setupFiles],
          isolate: false,
          alias: [FAKE_MAP],
          include: ['tests/unit/**/*.test.tsx', 'tests/integration/**/*.test.{ts,tsx}'],
          exclude: [...NODE_TESTS, ...ISOLATED_TESTS],
          deps: { optimizer: { client: { enabled: true, include: appDependencies() } } },
          server: { deps: { inline: [/[\\/]node_modules[\\/]\.vite[\\/]/] } },
        },
      },
      {
        extends: true,
        test: { name: 'dom-isolated', ...JSDOM_TESTS, include: ISOLATED_TESTS },
      },
    ],
  },
});
