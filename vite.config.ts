import { defineConfig, type Connect, type Plugin } from 'vite';
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

export default defineConfig({
  plugins: [cartoWorkerUrls, chartsOwnReselect, noWebGpuOperations, react(), callbackHeaders],
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
});
