import { fileURLToPath } from 'node:url';
import type { Alias, Plugin } from 'vite';

/**
 * Build settings that keep code the app never runs out of the bundle (issue 6's 1.0 MB
 * budget). Each one is narrow, names the module it touches and says how to undo it.
 */

/**
 * @carto/api-client creates `new Worker(new URL('@carto/api-client/worker', import.meta.url))`
 * for widgets computed from *tileset* tiles. Vite emits that worker (~100 kB gzip) in every
 * build that imports the package, even when the class using it is tree-shaken away. This app
 * has no tileset sources (`toCartoSource` refuses them: the emulator serves no tilesets), so
 * the worker is replaced by src/workers/tilesetWidgetWorkerExcluded.ts, which answers every
 * request with an error naming the fix (`widgetWorker: false` computes on the main thread).
 * To bring the real worker back, drop this alias.
 */
export const TILESET_WIDGET_WORKER_ALIAS: Alias = {
  find: /^@carto\/api-client\/worker$/,
  replacement: fileURLToPath(
    new URL('../../src/workers/tilesetWidgetWorkerExcluded.ts', import.meta.url),
  ),
};

const CARTO_DIST = fileURLToPath(
  new URL('../../node_modules/@deck.gl/carto/dist/', import.meta.url),
);

/**
 * deck.gl's CARTO tile loaders parse in workers whose scripts ship in @deck.gl/carto/dist/ but
 * are not in its package exports; by default they load from a CDN. This resolver lets the app
 * import them as `@deck.gl/carto/workers/<file>?url`, so Vite emits them with the build and
 * tiles parse off the main thread offline (src/features/map/layers/tileWorkers.ts). A plugin,
 * not an alias: the dev server's dependency optimizer would pre-bundle an aliased import as a
 * module (losing `?url`), and the map would fail to load under `npm start`.
 */
export const cartoWorkerUrls: Plugin = {
  name: 'carto-worker-urls',
  enforce: 'pre',
  resolveId(source) {
    const match = /^@deck\.gl\/carto\/workers\/([\w-]+\.js)(\?url)?$/.exec(source);
    return match ? `${CARTO_DIST}${match[1] ?? ''}${match[2] ?? ''}` : null;
  },
};

/**
 * The charts' own reselect. @mui/x-charts (through @base-ui/utils) uses reselect's
 * `lruMemoize`, which Redux Toolkit's copy on the first screen tree-shakes away; sharing one
 * module would put that code on the first screen (+0.45 kB gzip) for widgets only the lazy
 * views draw. Imports from @base-ui/utils get a second instance (`?charts`) that is bundled
 * with the charts. reselect keeps no global state, so two instances behave as one. Drop this
 * plugin to share the module again.
 */
export const chartsOwnReselect: Plugin = {
  name: 'charts-own-reselect',
  enforce: 'pre',
  async resolveId(source, importer, options) {
    if (source !== 'reselect' || !importer?.includes('/node_modules/@base-ui/utils/')) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved ? `${resolved.id}?charts` : null;
  },
};

/**
 * @luma.gl/gpgpu loads its WebGPU operations with `import('../operations/webgpu/index.js')`
 * when a WebGPU device asks for one; this app creates WebGL devices only (deck.gl's default
 * here), yet the bundler merged those modules into the map's deck.gl chunk. They are replaced by
 * src/lib/noWebGpuOperations.ts (an empty backend). Drop this plugin to bring them back, e.g.
 * when moving deck.gl to WebGPU.
 */
export const noWebGpuOperations: Plugin = {
  name: 'no-webgpu-operations',
  enforce: 'pre',
  resolveId(source, importer) {
    return source === '../operations/webgpu/index.js' &&
      importer?.replace(/\\/g, '/').endsWith('/@luma.gl/gpgpu/dist/operation/backend-registry.js')
      ? fileURLToPath(new URL('../../src/lib/noWebGpuOperations.ts', import.meta.url))
      : null;
  },
};

/**
 * pako (14 kB gzip) is imported by @loaders.gl/compression only; src/lib/pakoOnFflate.ts gives
 * it pako's API on fflate (about 6 kB, already in the tree through loaders.gl).
 */
export const PAKO_ALIAS: Alias = {
  find: /^pako$/,
  replacement: fileURLToPath(new URL('../../src/lib/pakoOnFflate.ts', import.meta.url)),
};

/**
 * h3-js is an Emscripten module: its top-level set-up counts as a side effect, so the bundler
 * keeps all of it (~67 kB gzip) wherever it is imported, even when nothing calls it.
 * @carto/api-client imports it for H3 helpers that table and query sources never use.
 * Declared side-effect free, h3-js is bundled only where an H3 function is really called.
 * jsep: see PURE_FUNCTIONS.
 */
export const MODULE_SIDE_EFFECTS = [
  { test: /[\\/]node_modules[\\/]h3-js[\\/]/, sideEffects: false },
  { test: /[\\/]node_modules[\\/]jsep[\\/]/, sideEffects: false },
  { test: /./, sideEffects: true },
];

/**
 * @carto/api-client builds number formatters at load (`d3Format('i')`) for fetchMap's labels,
 * which this app does not use. Calls of this name may be dropped when their result is unused.
 * With jsep (fetchMap's expression parser) declared side-effect free, that is 5 kB.
 */
export const PURE_FUNCTIONS = ['d3Format'];
