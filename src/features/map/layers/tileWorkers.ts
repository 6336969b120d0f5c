/**
 * Tiles parse in web workers served by the app itself (Vite emits the scripts with the build):
 * no CDN, works offline, and the main thread only draws. Where a worker cannot start (a
 * browser without workers, a policy that blocks the script), tiles parse on the main thread,
 * and the console says so once.
 */
import mvtWorkerUrl from '@loaders.gl/mvt/mvt-worker.js?url';
import cartoSpatialTileWorkerUrl from '@deck.gl/carto/workers/cartoSpatialTile-worker.js?url';
import cartoVectorTileWorkerUrl from '@deck.gl/carto/workers/cartoVectorTile-worker.js?url';
import cartoPropertiesTileWorkerUrl from '@deck.gl/carto/workers/cartoPropertiesTile-worker.js?url';
import { createExternalStore } from '../../../lib/externalStore';

/** loaders.gl options: each loader's worker script (by loader id) from the app's own assets. */
export const WORKER_LOAD_OPTIONS = {
  worker: true,
  mvt: { workerUrl: mvtWorkerUrl },
  cartoSpatialTile: { workerUrl: cartoSpatialTileWorkerUrl },
  cartoVectorTile: { workerUrl: cartoVectorTileWorkerUrl },
  cartoPropertiesTile: { workerUrl: cartoPropertiesTileWorkerUrl },
} as const;

export const MAIN_THREAD_LOAD_OPTIONS = { worker: false } as const;

export type TileParsing = 'workers' | 'main-thread';

const parsingStore = createExternalStore<TileParsing>(
  typeof Worker === 'undefined' ? 'main-thread' : 'workers',
);

export const tileParsing = {
  get: parsingStore.get,
  subscribe: parsingStore.subscribe,
  /** A worker failed to start: parse on the main thread from now on (said once). */
  fallBack: (reason: string): void => {
    if (parsingStore.get() === 'main-thread') return;
    console.warn(
      `Map tiles are parsed on the main thread because a tile worker could not start (${reason}). Panning may stutter.`,
    );
    parsingStore.set('main-thread');
  },
};

/** Whether a tile error is a worker that could not start, rather than a bad tile. */
export function isWorkerStartError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /worker/i.test(text) && !/\b(40\d|50\d)\b/.test(text);
}

/**
 * Starts the MVT worker script once, off the critical path: an `error` event means the app's
 * workers cannot run here (blocked, missing), so tiles fall back to the main thread.
 */
export function probeTileWorkers(create: (url: string) => Worker = (url) => new Worker(url)) {
  if (tileParsing.get() === 'main-thread') return;
  let worker: Worker;
  try {
    worker = create(mvtWorkerUrl);
  } catch (error) {
    tileParsing.fallBack(error instanceof Error ? error.message : String(error));
    return;
  }
  const settle = () => {
    clearTimeout(timer);
    worker.terminate();
  };
  // A script that loads and runs raises nothing: after a moment the probe is done.
  const timer = setTimeout(settle, 5_000);
  worker.addEventListener('error', (event) => {
    settle();
    tileParsing.fallBack(event.message || 'the worker script failed to load');
  });
}

export function tileLoadOptions(mode: TileParsing) {
  return mode === 'workers' ? WORKER_LOAD_OPTIONS : MAIN_THREAD_LOAD_OPTIONS;
}
