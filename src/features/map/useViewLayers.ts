import { useCallback, useEffect } from 'react';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { layerAdded, layerRemoved, selectLayerById, type LayerConfig } from './mapSlice';
import { addSource, removeSource, type SourceDescriptor } from '../sources/sourcesSlice';

/**
 * A view owns its sources and layers: added when it mounts, removed when it unmounts. The user
 * may remove the layer from the layer list meanwhile: `onMap` says so and `addBack` restores it.
 */
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
  const onMap = useAppSelector((state) => (layer ? !!selectLayerById(state, layer.id) : false));
  const addBack = useCallback(() => {
    if (!source || !layer) return;
    dispatch(addSource(source));
    dispatch(layerAdded(layer));
  }, [dispatch, source, layer]);
  return { onMap, addBack };
}
