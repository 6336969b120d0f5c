/**
 * Bundle budgets by route (issue 11), worked out from Vite's build manifest
 * (dist/.vite/manifest.json) rather than from file names. Pure: the caller reads the files and
 * passes their gzip sizes; scripts/bundle-size.ts prints what this returns.
 *
 * Routes:
 * - first screen: the `index.html` entry and its static imports (transitively).
 * - other HTML pages (the OAuth callback): each entry's static closure, first-screen budget.
 * - default map view: the first screen plus the route modules below (DEFAULT_MAP_ROUTE_MODULES
 *   in scripts/bundle-size.ts) and their static imports, each chunk counted once.
 * - each further dynamic entry: its static closure minus what the default map view loads.
 * - workers and other JS assets (`new Worker(new URL(…))`): reported apart; the maplibre worker
 *   is not budgeted, any other one has the per-chunk budget.
 * The total of all JS is reported, not budgeted. kB = 1,000 bytes, gzip.
 */

interface ManifestChunk {
  file: string;
  name?: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  assets?: string[];
}

export type Manifest = Record<string, ManifestChunk>;

interface Budgets {
  /** The first screen (and any other HTML page's own JS). */
  initialKb: number;
  /** Everything loaded to log in and draw the default map view, first screen included. */
  mapKb: number;
  /** Each further dynamic chunk (with what it adds to the default map view), each worker. */
  chunkKb: number;
}

export interface BundleInput {
  manifest: Manifest;
  /** Gzip kB of every emitted file the report may count (JS and CSS), by dist-relative path. */
  sizes: Readonly<Record<string, number>>;
  /** Every JS file emitted (dist-relative): the total, and workers the manifest does not list. */
  jsFiles: readonly string[];
  /** The modules bundled into each chunk file (from its source map), by source path. */
  chunkModules?: Readonly<Record<string, readonly string[]>>;
  /** The HTML entry of the first screen. */
  firstScreenEntry: string;
  /** Modules (by source path) whose chunks load to log in and draw the default map view. */
  mapRouteModules: readonly string[];
  /** Workers counted apart and not budgeted (matched against their source path or file). */
  unbudgetedWorkers: readonly RegExp[];
  budgets: Budgets;
}

type RouteKind = 'first-screen' | 'page' | 'default-map' | 'chunk' | 'worker';

interface RouteFigure {
  kind: RouteKind;
  /** What the route is: the entry's source module, or a description. */
  route: string;
  /** Gzip kB of the JS this route loads (for a chunk: what it adds to the default map view). */
  kb: number;
  /** null when not budgeted. */
  budgetKb: number | null;
  ok: boolean;
  /** The JS files counted, largest first. */
  files: string[];
  /** Gzip kB of the CSS the route loads (reported, not budgeted). */
  cssKb: number;
}

export interface BundleReport {
  budgets: Budgets;
  routes: RouteFigure[];
  totalJsKb: number;
  totalCssKb: number;
  /** The routes over budget, each with a message naming it and what to do. */
  over: { route: string; message: string }[];
}

/** A route module or an entry the budgets rely on is not in the build: fail, do not guess. */
export class BundleRouteError extends Error {
  override name = 'BundleRouteError';
}

const isJs = (file: string) => /\.m?js$/.test(file);

/** The manifest keys of the chunks a module lives in: its own chunk, or the ones bundling it. */
function chunksOfModule(input: BundleInput, module: string): string[] {
  const { manifest, chunkModules } = input;
  const own = Object.keys(manifest).filter(
    (key) => key === module || manifest[key]?.src === module,
  );
  if (own.length > 0) return own;
  const files = Object.entries(chunkModules ?? {})
    .filter(([, modules]) => modules.includes(module))
    .map(([file]) => file);
  const keys = Object.keys(manifest).filter((key) => files.includes(manifest[key]?.file ?? ''));
  if (keys.length > 0) return keys;
  throw new BundleRouteError(
    `Route module ${module} is neither a chunk of the build manifest nor bundled in one ` +
      `(per the source maps${chunkModules ? '' : ', and none were read'}). ` +
      'Was it moved or renamed? Update the list of route modules in scripts/bundle-size.ts, ' +
      'so that no budget silently shrinks.',
  );
}

function staticClosure(manifest: Manifest, keys: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new BundleRouteError(`The manifest imports ${key} but has no entry for it.`);
    seen.add(key);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  keys.forEach(visit);
  return seen;
}

const round = (kb: number) => Math.round(kb * 100) / 100;

export function bundleRoutes(input: BundleInput): BundleReport {
  const { manifest, sizes, budgets } = input;
  const sizeOf = (file: string): number => {
    const kb = sizes[file];
    if (kb === undefined) throw new BundleRouteError(`No size for ${file}: is dist/ complete?`);
    return kb;
  };
  const figure = (
    kind: RouteKind,
    route: string,
    keys: Iterable<string>,
    budgetKb: number | null,
    exclude: ReadonlySet<string> = new Set(),
  ): RouteFigure => {
    const chunks = [...keys].filter((k) => !exclude.has(k)).map((k) => manifest[k]);
    const files = [
      ...new Set(chunks.map((c) => c?.file ?? '').filter((f) => isJs(f) && f !== '')),
    ].sort((a, b) => sizeOf(b) - sizeOf(a));
    const css = new Set(chunks.flatMap((c) => c?.css ?? []));
    const kb = round(files.reduce((sum, f) => sum + sizeOf(f), 0));
    return {
      kind,
      route,
      kb,
      budgetKb,
      ok: budgetKb === null || kb <= budgetKb,
      files,
      cssKb: round([...css].reduce((sum, f) => sum + sizeOf(f), 0)),
    };
  };

  const firstKey = Object.keys(manifest).find(
    (key) =>
      manifest[key]?.isEntry === true &&
      (key === input.firstScreenEntry || manifest[key].src === input.firstScreenEntry),
  );
  if (!firstKey) {
    throw new BundleRouteError(
      `The manifest has no entry for ${input.firstScreenEntry} (the first screen).`,
    );
  }
  const firstScreen = staticClosure(manifest, [firstKey]);
  const routes: RouteFigure[] = [
    figure(
      'first-screen',
      `first screen (${input.firstScreenEntry})`,
      firstScreen,
      budgets.initialKb,
    ),
  ];

  for (const key of Object.keys(manifest).sort()) {
    if (key === firstKey || manifest[key]?.isEntry !== true) continue;
    const closure = staticClosure(manifest, [key]);
    routes.push(figure('page', `page ${manifest[key].src ?? key}`, closure, budgets.initialKb));
  }

  const mapKeys = input.mapRouteModules.flatMap((m) => chunksOfModule(input, m));
  const mapRoute = staticClosure(manifest, [firstKey, ...mapKeys]);
  routes.push(figure('default-map', 'default map view (logged in)', mapRoute, budgets.mapKb));

  const dynamicEntries = Object.keys(manifest)
    .filter((key) => manifest[key]?.isDynamicEntry === true && !mapRoute.has(key))
    .sort();
  for (const key of dynamicEntries) {
    const closure = staticClosure(manifest, [key]);
    routes.push(figure('chunk', manifest[key]?.src ?? key, closure, budgets.chunkKb, mapRoute));
  }

  // Workers: JS files a chunk references as assets, or that no chunk lists at all.
  const chunkFiles = new Set(Object.values(manifest).map((c) => c.file));
  const assetJs = new Set(Object.values(manifest).flatMap((c) => (c.assets ?? []).filter(isJs)));
  const workerFiles = [
    ...new Set([...assetJs, ...input.jsFiles.filter((f) => !chunkFiles.has(f))]),
  ].sort();
  for (const file of workerFiles) {
    const src = Object.values(manifest).find((c) => c.file === file)?.src;
    const name = src ?? file;
    const apart = input.unbudgetedWorkers.some((re) => re.test(name) || re.test(file));
    const kb = round(sizeOf(file));
    const budgetKb = apart ? null : budgets.chunkKb;
    routes.push({
      kind: 'worker',
      route: `worker ${name}`,
      kb,
      budgetKb,
      ok: budgetKb === null || kb <= budgetKb,
      files: [file],
      cssKb: 0,
    });
  }

  const allCss = new Set(Object.values(manifest).flatMap((c) => c.css ?? []));
  const over = routes
    .filter((r) => !r.ok)
    .map((r) => ({ route: r.route, message: overMessage(r) }));
  return {
    budgets,
    routes,
    totalJsKb: round(input.jsFiles.reduce((sum, f) => sum + sizeOf(f), 0)),
    totalCssKb: round([...allCss].reduce((sum, f) => sum + sizeOf(f), 0)),
    over,
  };
}

function overMessage(r: RouteFigure): string {
  const size = r.kind === 'chunk' ? 'adds' : 'is';
  const head = `Over budget: ${r.route} ${size} ${r.kb.toFixed(1)} kB gzip, the budget is ${r.budgetKb ?? '-'} kB`;
  const largest = r.files.slice(0, 3).join(', ');
  switch (r.kind) {
    case 'first-screen':
    case 'page':
      return `${head}. Lazy-load (import()) what the page does not need before its first paint; largest: ${largest}.`;
    case 'default-map':
      return `${head}. Lazy-load (import()) what logging in and the default view do not need, no feature left out; largest: ${largest}.`;
    case 'chunk':
      return `${head} (beyond the default map view). Split it: lazy-load (import()) parts of ${r.route}; its files: ${largest}.`;
    case 'worker':
      return `${head}. Lazy-load (import()) inside the worker, or split it.`;
  }
}
