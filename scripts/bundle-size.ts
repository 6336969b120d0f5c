/**
 * Reports the JS the built app ships by route, and enforces issue 11's budgets (gzip -9;
 * kB = 1,000 bytes, as Vite prints them):
 * - first screen (the index.html entry and its static imports): `--max-initial-kb`, 100;
 * - everything loaded to log in and draw the default map view, first screen included:
 *   `--max-map-kb`, 850 (the maplibre worker is counted apart);
 * - each further view or feature chunk, with what it adds to the above: `--max-chunk-kb`, 150;
 * - the total of all JS: reported, not capped.
 * Over a budget exits 1 naming the chunk: lazy-load it (import()), never leave a feature out.
 * `--json` prints the figures as JSON instead of the table. Reads dist/ (`npm run build`
 * first); the graph logic is scripts/lib/bundleRoutes.ts.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import {
  bundleRoutes,
  BundleRouteError,
  type BundleReport,
  type Manifest,
} from './lib/bundleRoutes.ts';

/**
 * The modules (source paths, as in the manifest's `src`) whose chunks load to log in and draw
 * the default map view, besides the first screen. Each must be a chunk of the build or be
 * bundled in one (found through the source maps): a missing one fails the check, so that
 * moving or renaming a file cannot silently shrink the budget. Adjust here when files move.
 */
export const DEFAULT_MAP_ROUTE_MODULES = [
  // Everything below the header once logged in (side panel, routes, MUI).
  'src/Workspace.tsx',
  // The map: maplibre and the basemap.
  'src/features/map/MapView.tsx',
  // Loaded by MapView to draw it: maplibre's own chunk.
  'node_modules/maplibre-gl/dist/maplibre-gl.mjs',
  // What draws layers over the basemap (deck.gl, luma.gl, loaders.gl, the CARTO layers),
  // loaded with the first layer, and luma.gl's WebGL device, loaded by deck.gl.
  'src/features/map/DeckLayers.tsx',
  'node_modules/@luma.gl/webgl/dist/adapter/webgl-device.js',
  // The OAuth client, loaded to log in (was src/features/oauth/oauthClient.ts).
  'protocol/oauthClient.ts',
  // The header's account menu, shown once logged in with OAuth.
  'src/features/oauth/UserMenu.tsx',
  // The default view (route `/`); part of the workspace chunk while statically imported.
  'src/views/datasets/DatasetsView.tsx',
  // The layer list, loaded with the first layer (as deck.gl is).
  'src/features/map/LayerList.tsx',
  // The map link's encoder, loaded with the first change to the map (or a link to open).
  'src/features/map/mapUrl.ts',
  // Not here (further chunks, loaded on a user's request): a layer's style panel
  // (src/features/map/LayerSettings.tsx), the keyboard feature browser
  // (src/features/map/FeatureBrowser.tsx), and src/features/sources/cartoSources.ts
  // (@carto/api-client's sources), loaded when a source is first instantiated.
] as const;

/** The HTML entry of the first screen. */
const FIRST_SCREEN_ENTRY = 'index.html';

/** Workers reported apart and not budgeted (any other worker has the per-chunk budget). */
const UNBUDGETED_WORKERS = [/maplibre-gl[^/]*worker/];

const { values } = parseArgs({
  options: {
    'max-initial-kb': { type: 'string', default: '100' },
    'max-map-kb': { type: 'string', default: '850' },
    'max-chunk-kb': { type: 'string', default: '150' },
    json: { type: 'boolean', default: false },
    dist: { type: 'string', default: 'dist' },
  },
});

function kbFlag(name: 'max-initial-kb' | 'max-map-kb' | 'max-chunk-kb'): number {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`--${name} must be a positive number of kB, not ${values[name]}.`);
    process.exit(2);
  }
  return n;
}
const budgets = {
  initialKb: kbFlag('max-initial-kb'),
  mapKb: kbFlag('max-map-kb'),
  chunkKb: kbFlag('max-chunk-kb'),
};

const dist = values.dist;
const manifestPath = join(dist, '.vite', 'manifest.json');
if (!existsSync(manifestPath)) {
  console.error(`No ${manifestPath}: run \`npm run build\` first.`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;

const gzipKb = (file: string) =>
  gzipSync(readFileSync(join(dist, file)), { level: 9 }).length / 1000;

const assets = readdirSync(join(dist, 'assets')).map((f) => `assets/${f}`);
const jsFiles = assets.filter((f) => /\.m?js$/.test(f));
const sizes: Record<string, number> = {};
for (const file of assets.filter((f) => /\.(m?js|css)$/.test(f))) sizes[file] = gzipKb(file);

/** The source modules of each JS chunk, project-relative, from its source map (if any). */
const chunkModules: Record<string, string[]> = {};
for (const file of jsFiles) {
  const mapFile = join(dist, `${file}.map`);
  if (!existsSync(mapFile)) continue;
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as {
    sources?: string[];
    sourceRoot?: string;
  };
  const base = resolve(dirname(mapFile), map.sourceRoot ?? '');
  chunkModules[file] = (map.sources ?? []).map((s) =>
    relative(process.cwd(), resolve(base, s)).replaceAll('\\', '/'),
  );
}

let report: BundleReport;
try {
  report = bundleRoutes({
    manifest,
    sizes,
    jsFiles,
    chunkModules,
    firstScreenEntry: FIRST_SCREEN_ENTRY,
    mapRouteModules: DEFAULT_MAP_ROUTE_MODULES,
    unbudgetedWorkers: UNBUDGETED_WORKERS,
    budgets,
  });
} catch (error) {
  if (!(error instanceof BundleRouteError)) throw error;
  console.error(error.message);
  process.exit(1);
}

if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const rows = report.routes.map((r) => [
    r.route,
    r.kb.toFixed(1),
    r.budgetKb === null ? '-' : String(r.budgetKb),
    r.budgetKb === null ? 'apart' : r.ok ? 'ok' : 'OVER',
    r.cssKb > 0 ? r.cssKb.toFixed(1) : '',
  ]);
  const header = ['route', 'kB gzip', 'budget', '', 'CSS kB'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log('JS shipped by route (gzip -9, kB = 1,000 bytes):');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(
    `all JS: ${report.totalJsKb.toFixed(1)} kB (reported, not capped), all CSS: ${report.totalCssKb.toFixed(1)} kB`,
  );
  const map = report.routes.find((r) => r.kind === 'default-map');
  if (map) console.log(`default map view files: ${map.files.join(', ')}`);
}
for (const { message } of report.over) console.error(message);
process.exit(report.over.length > 0 ? 1 : 0);
