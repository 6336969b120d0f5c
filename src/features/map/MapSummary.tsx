import { useSyncExternalStore } from 'react';
import { useAppSelector } from '../../store/hooks';
import { selectAllLayers } from './mapSlice';
import { layerStatus } from './layers/layerStatus';

export const MAP_SUMMARY_ID = 'map-summary';

/**
 * The map's text alternative: which layers it draws, top first, as the layer list and legends
 * in the side panel tell in full. The map region points at it with aria-describedby.
 */
export function MapSummary() {
  const layers = useAppSelector(selectAllLayers);
  const shown = layers.filter((l) => l.visible).map((l) => l.title);
  const text =
    shown.length === 0
      ? 'A basemap with no data layers.'
      : `${shown.length} data ${shown.length === 1 ? 'layer' : 'layers'}: ${shown.join(', ')}. The layer list and legends in the side panel describe them.`;
  return (
    <span id={MAP_SUMMARY_ID} className="visually-hidden">
      {text}
    </span>
  );
}

/**
 * Announces what the layers are doing (loading, drawn, failed) once it changes, politely: a
 * screen reader finishes what it is reading first.
 */
export function MapStatusAnnouncer() {
  const status = useSyncExternalStore(layerStatus.subscribe, layerStatus.get);
  const layers = useAppSelector(selectAllLayers);
  const loading = layers.filter((l) => l.visible && status.loading.has(l.id)).length;
  const failed = layers.filter((l) => status.failed[l.id]).length;
  const text =
    failed > 0
      ? `${failed} ${failed === 1 ? 'layer' : 'layers'} could not be loaded.`
      : loading > 0
        ? `Loading ${loading} ${loading === 1 ? 'layer' : 'layers'}…`
        : layers.length > 0
          ? 'Map layers loaded.'
          : '';
  return (
    // aria-live, not role=status: the views' own status lines keep that role to themselves.
    <span aria-live="polite" aria-atomic className="visually-hidden">
      {text}
    </span>
  );
}
