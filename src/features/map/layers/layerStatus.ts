import { createExternalStore } from '../../../lib/externalStore';

/** How each drawn layer's data is doing, as the map last saw it. */
export interface LayerStatus {
  /** Layers whose TileJSON, or tiles in view, are on their way. */
  loading: ReadonlySet<string>;
  /** Layers whose source could not be loaded, and why. */
  failed: Readonly<Record<string, string>>;
  /** Bumped by a retry: the map asks for failed sources again. */
  attempt: number;
}

const sameStatus = (a: LayerStatus, b: LayerStatus) =>
  a.attempt === b.attempt &&
  a.loading.size === b.loading.size &&
  [...a.loading].every((id) => b.loading.has(id)) &&
  Object.keys(a.failed).length === Object.keys(b.failed).length &&
  Object.entries(a.failed).every(([id, message]) => b.failed[id] === message);

/**
 * Reported by the deck.gl chunk (after each frame, and when a source fails), read by the layer
 * list (a progress bar, or what failed with a Retry). Outside Redux: it changes with frames.
 */
export const layerStatus = createExternalStore<LayerStatus>(
  { loading: new Set(), failed: {}, attempt: 0 },
  sameStatus,
);

/** What a drawn layer tells about its loading (deck.gl's `Layer#isLoaded`). */
interface LoadableLayer {
  id: string;
  isLoaded: boolean;
  props: { visible?: boolean };
}

/** The layers drawn in the last frame that are still loading (hidden and failed ones are not). */
export function reportLoading(layers: readonly LoadableLayer[]): void {
  const status = layerStatus.get();
  const loading = layers.filter(
    (layer) => layer.props.visible !== false && !layer.isLoaded && !(layer.id in status.failed),
  );
  layerStatus.set({ ...status, loading: new Set(loading.map((layer) => layer.id)) });
}

export function reportFailed(layerId: string, message: string): void {
  const status = layerStatus.get();
  const loading = new Set(status.loading);
  loading.delete(layerId);
  layerStatus.set({ ...status, loading, failed: { ...status.failed, [layerId]: message } });
}

/** A layer's source loaded (again): it has not failed. */
export function reportSourceLoaded(layerId: string): void {
  const status = layerStatus.get();
  if (!(layerId in status.failed)) return;
  const failed = Object.fromEntries(Object.entries(status.failed).filter(([id]) => id !== layerId));
  layerStatus.set({ ...status, failed });
}

/** Forgets a layer's failure and has the map load its source again. */
export function retryLayer(layerId: string): void {
  reportSourceLoaded(layerId);
  const status = layerStatus.get();
  layerStatus.set({ ...status, attempt: status.attempt + 1 });
}
