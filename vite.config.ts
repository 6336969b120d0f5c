import { defineConfig, loadEnv, type Connect, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import {
  cartoWorkerUrls,
  chartsOwnReselect,
  noWebGpuOperations,
  MODULE_SIDE_EFFECTS,
  PAKO_ALIAS,
  PURE_FUNCTIONS,
  TILESET_WIDGET_WORKER_ALIAS,
} from './scripts/lib/bundlePlugins.ts';
import { headersFile, securityHeaders } from './scripts/lib/securityHeaders.ts';
import { brandCss } from './scripts/lib/brandCss.ts';
import { initialState } from './src/store/initialStateSlice.ts';

/** The OAuth callback URL carries a code: never leak it as a Referer (the page also says so). */
function noReferrerOnCallback(server: { middlewares: Connect.Server }) {
  server.middlewares.use((req, res, next) => {
    if (req.url?.startsWith('/oauth-callback.html'))
      res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
}
const callbackHeaders: Plugin = {
  name: 'oauth-callback-headers',
  configureServer: noReferrerOnCallback,
  configurePreviewServer: noReferrerOnCallback,
};

/**
 * The brand (src/brand.ts) in every page: its colours as CSS variables (the first screen is
 * styled before any script runs); and the app's name as index.html's title.
 */
function brandPages(env: Record<string, string>): Plugin {
  const configured = env.VITE_APP_NAME?.trim() ? env.VITE_APP_NAME.trim() : undefined;
  const name = configured ?? initialState.appName;
  const title = `<title>${name.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)}</title>`;
  return {
    name: 'brand-pages',
    transformIndexHtml: (page, { path }) => ({
      html: path.endsWith('/index.html') ? page.replace(/<title>[^<]*<\/title>/, title) : page,
      tags: [{ tag: 'style', children: brandCss(), injectTo: 'head-prepend' }],
    }),
  };
}

/**
 * The built app's security headers (scripts/lib/securityHeaders.ts): applied by the preview
 * server (and so in the e2e suite), and written to dist/_headers for static hosts.
 */
function securityHeadersPlugin(env: Record<string, string>): Plugin {
  const headers: Record<string, string> = { ...securityHeaders(env) };
  return {
    name: 'security-headers',
    configurePreviewServer(server) {
      server.middlewares.use((_req, res, next) => {
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        next();
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile(env) });
    },
  };
}

export default defineConfig(({ mode }) => ({
  plugins: [
    cartoWorkerUrls,
    chartsOwnReselect,
    noWebGpuOperations,
    react(),
    // Before the callback's own Referrer-Policy, which overrides it on that page.
    securityHeadersPlugin(loadEnv(mode, process.cwd(), 'VITE_')),
    callbackHeaders,
    brandPages(loadEnv(mode, process.cwd(), 'VITE_')),
  ],
  resolve: { alias: [TILESET_WIDGET_WORKER_ALIAS, PAKO_ALIAS] },
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: {
    manifest: true,
    rolldownOptions: {
      input: { main: 'index.html', callback: 'oauth-callback.html' },
      treeshake: { moduleSideEffects: MODULE_SIDE_EFFECTS, manualPureFunctions: PURE_FUNCTIONS },
    },
    target: 'es2022',
    sourcemap: true,
  },
}));
