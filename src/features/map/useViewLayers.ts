import { useEffect } from 'react';
import { useAppDispatch } from '../../store/hooks';
import { layerAdded, layerRemoved, type LayerConfig } from './mapSlice';
import { addSource, removeSource, type SourceDescriptor } from '../sources/sourcesSlice';

/** A view owns its sources and layers: added when it mounts, removed when it unmounts. */
export function useViewLayers(source: SourceDescriptor | null, layer: LayerConfig | null) {
  const dispatch = useAppDispatch();
  useEffect(() => {
    if (!source || !layer) return;
    dispatch(addSource(source));
    dispatch(layerAdded(layer));
    return () => {
      dispatch(layerRemoved(layer.id));
      dispatch(removeSource(source.id));
    };
  }, [dispatch, source, layer]);
}
