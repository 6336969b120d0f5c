/**
 * Stands in for `@carto/api-client/worker` in builds (see scripts/lib/bundlePlugins.ts): the
 * real worker computes widgets from tileset tiles, and this app has no tileset sources. Every
 * request gets an error that says how to compute such widgets without the worker.
 */
const error =
  'The @carto/api-client tileset widget worker is excluded from this build ' +
  '(scripts/lib/bundlePlugins.ts). Create the source with widgetWorker: false.';

self.addEventListener('message', (event: MessageEvent<{ requestId?: number } | null>) => {
  const requestId = event.data?.requestId;
  if (requestId !== undefined) self.postMessage({ requestId, ok: false, error });
});
