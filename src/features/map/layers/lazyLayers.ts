import type { DrawKind } from '../mapSlice';
import type { LayerFactory } from './layerFactories';

/** Layer kinds whose code loads when a map first draws one (each a chunk of its own). */
const LOADERS: Partial<Record<DrawKind, () => Promise<LayerFactory>>> = {
  h3: () => import('./h3Layer').then((module) => module.h3),
  heatmap: () => import('./heatmapLayer').then((module) => module.heatmap),
  cluster: () => import('./clusterLayer').then((module) => module.cluster),
  // generator:layers (new layer kinds are added above this line)
};

type Loaded = { factory: LayerFactory } | { error: string; attempt: number };

const loaded = new Map<DrawKind, Loaded | 'loading'>();
const listeners = new Set<() => void>();
let version = 0;

function settle(kind: DrawKind, result: Loaded) {
  loaded.set(kind, result);
  version++;
  for (const listener of listeners) listener();
}

/**
 * The factories of lazily loaded layer kinds, as an external store: `get` starts loading a
 * kind's code and answers undefined until it is there; subscribers hear when it is (or when it
 * failed to load, e.g. offline after a deploy). A failure stands until the layers' next Retry
 * (`attempt`), which loads again.
 */
export const lazyLayers = {
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  version: () => version,
  get: (kind: DrawKind, attempt: number): Loaded | undefined => {
    const state = loaded.get(kind);
    if (state === 'loading') return undefined;
    if (state && !('error' in state && state.attempt < attempt)) return state;
    const load = LOADERS[kind];
    if (!load) return undefined;
    loaded.set(kind, 'loading');
    load().then(
      (factory) => settle(kind, { factory }),
      (error: unknown) =>
        settle(kind, {
          attempt,
          error: `The map could not load the code that draws this layer (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`,
        }),
    );
    return undefined;
  },
};
