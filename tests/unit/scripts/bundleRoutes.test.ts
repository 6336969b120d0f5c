import { describe, expect, it } from 'vitest';
import {
  bundleRoutes,
  BundleRouteError,
  type BundleInput,
  type Manifest,
} from '../../../scripts/lib/bundleRoutes';

/**
 * index.html -> shared-ui (static); dynamic: Workspace, oauthClient, Settings.
 * Workspace and MapView both import the shared `_vendor` chunk; MapView imports maplibre's
 * worker as an asset. Settings is a further view.
 */
const manifest: Manifest = {
  'index.html': {
    file: 'assets/main.js',
    src: 'index.html',
    isEntry: true,
    imports: ['_shared-ui.js'],
    dynamicImports: ['src/Workspace.tsx', 'protocol/oauthClient.ts', 'src/views/Settings.tsx'],
    css: ['assets/main.css'],
  },
  'callback.html': { file: 'assets/callback.js', src: 'callback.html', isEntry: true },
  '_shared-ui.js': { file: 'assets/shared-ui.js' },
  '_vendor.js': { file: 'assets/vendor.js' },
  'src/Workspace.tsx': {
    file: 'assets/Workspace.js',
    src: 'src/Workspace.tsx',
    isDynamicEntry: true,
    imports: ['_vendor.js', 'index.html'],
    dynamicImports: ['src/features/map/MapView.tsx'],
  },
  'src/features/map/MapView.tsx': {
    file: 'assets/MapView.js',
    src: 'src/features/map/MapView.tsx',
    isDynamicEntry: true,
    imports: ['_vendor.js', 'src/Workspace.tsx'],
    css: ['assets/MapView.css'],
    assets: ['assets/maplibre-gl-worker.mjs'],
  },
  'node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs': {
    file: 'assets/maplibre-gl-worker.mjs',
    src: 'node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs',
  },
  'protocol/oauthClient.ts': {
    file: 'assets/oauthClient.js',
    src: 'protocol/oauthClient.ts',
    isDynamicEntry: true,
  },
  'src/views/Settings.tsx': {
    file: 'assets/Settings.js',
    src: 'src/views/Settings.tsx',
    isDynamicEntry: true,
    imports: ['_vendor.js', '_settings-lib.js'],
  },
  '_settings-lib.js': { file: 'assets/settings-lib.js' },
};

const sizes: Record<string, number> = {
  'assets/main.js': 60,
  'assets/main.css': 1,
  'assets/callback.js': 2,
  'assets/shared-ui.js': 30,
  'assets/vendor.js': 100,
  'assets/Workspace.js': 50,
  'assets/MapView.js': 500,
  'assets/MapView.css': 10,
  'assets/maplibre-gl-worker.mjs': 150,
  'assets/oauthClient.js': 8,
  'assets/Settings.js': 40,
  'assets/settings-lib.js': 70,
  'assets/other-worker.js': 3,
};

function input(overrides: Partial<BundleInput> = {}): BundleInput {
  return {
    manifest,
    sizes,
    jsFiles: Object.keys(sizes).filter((f) => /\.m?js$/.test(f)),
    chunkModules: {
      'assets/Workspace.js': ['src/Workspace.tsx', 'src/views/datasets/DatasetsView.tsx'],
    },
    firstScreenEntry: 'index.html',
    mapRouteModules: [
      'src/Workspace.tsx',
      'src/features/map/MapView.tsx',
      'protocol/oauthClient.ts',
      'src/views/datasets/DatasetsView.tsx',
    ],
    unbudgetedWorkers: [/maplibre-gl[^/]*worker/],
    budgets: { initialKb: 100, mapKb: 850, chunkKb: 150 },
    ...overrides,
  };
}

const route = (report: ReturnType<typeof bundleRoutes>, kind: string) =>
  report.routes.filter((r) => r.kind === kind);

describe('bundleRoutes', () => {
  it('counts the first screen as the entry and its static imports', () => {
    const [first] = route(bundleRoutes(input()), 'first-screen');
    expect(first).toMatchObject({ kb: 90, budgetKb: 100, ok: true, cssKb: 1 });
    expect(first!.files).toEqual(['assets/main.js', 'assets/shared-ui.js']);
  });

  it('counts a chunk shared by two dynamic entries once in the default map view', () => {
    const [map] = route(bundleRoutes(input()), 'default-map');
    // main 60 + shared-ui 30 + Workspace 50 + MapView 500 + vendor 100 (once) + oauth 8.
    expect(map!.kb).toBe(748);
    expect(map!.files.filter((f) => f === 'assets/vendor.js')).toHaveLength(1);
    expect(map!.files).not.toContain('assets/maplibre-gl-worker.mjs');
    expect(map!.cssKb).toBe(11);
    expect(map!.ok).toBe(true);
  });

  it('a further chunk counts only what the default map view does not load', () => {
    const chunks = route(bundleRoutes(input()), 'chunk');
    expect(chunks.map((c) => [c.route, c.kb, c.files])).toEqual([
      ['src/views/Settings.tsx', 110, ['assets/settings-lib.js', 'assets/Settings.js']],
    ]);
  });

  it('reports other pages, workers apart, and the total', () => {
    const report = bundleRoutes(input());
    expect(route(report, 'page').map((r) => [r.route, r.kb])).toEqual([['page callback.html', 2]]);
    expect(route(report, 'worker').map((r) => [r.route, r.kb, r.budgetKb])).toEqual([
      ['worker node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs', 150, null],
      ['worker assets/other-worker.js', 3, 150],
    ]);
    expect(report.totalJsKb).toBe(1013);
    expect(report.totalCssKb).toBe(11);
    expect(report.over).toEqual([]);
  });

  it('a route module bundled into another chunk counts that chunk (found by source map)', () => {
    const bundled = input({
      chunkModules: { 'assets/settings-lib.js': ['src/views/datasets/DatasetsView.tsx'] },
    });
    const [map] = route(bundleRoutes(bundled), 'default-map');
    expect(map!.kb).toBe(748 + 70);
    expect(map!.files).toContain('assets/settings-lib.js');
    expect(() => bundleRoutes(input({ chunkModules: {} }))).toThrow(
      /DatasetsView\.tsx.*scripts\/bundle-size/s,
    );
  });

  it('fails loudly when a route module is not in the build', () => {
    const moved = input({
      mapRouteModules: ['src/Workspace.tsx', 'src/features/oauth/oauthClient.ts'],
    });
    expect(() => bundleRoutes(moved)).toThrow(BundleRouteError);
    expect(() => bundleRoutes(moved)).toThrow(/src\/features\/oauth\/oauthClient\.ts/);
  });

  it('fails loudly when the first-screen entry is missing', () => {
    expect(() => bundleRoutes(input({ firstScreenEntry: 'app.html' }))).toThrow(
      /no entry for app\.html/,
    );
  });

  it('an over-budget chunk fails, named, with a hint to lazy-load', () => {
    const report = bundleRoutes(input({ budgets: { initialKb: 100, mapKb: 850, chunkKb: 100 } }));
    expect(report.over).toHaveLength(1);
    expect(report.over[0]!.route).toBe('src/views/Settings.tsx');
    expect(report.over[0]!.message).toMatch(
      /Settings\.tsx adds 110\.0 kB.*budget is 100 kB.*import\(\)/,
    );
    expect(route(report, 'chunk')[0]!.ok).toBe(false);
  });

  it('an over-budget first screen or map view fails', () => {
    const report = bundleRoutes(input({ budgets: { initialKb: 80, mapKb: 700, chunkKb: 150 } }));
    expect(report.over.map((o) => o.route)).toEqual([
      'first screen (index.html)',
      'default map view (logged in)',
    ]);
  });
});
