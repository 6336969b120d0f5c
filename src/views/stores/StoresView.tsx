import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import { selectHasCartoSession } from '../../features/oauth/oauthSlice';
import { fitMapTo } from '../../features/map/fitView';
import { LayerRemovedNotice } from '../../components/LayerRemovedNotice';
import { LoggedOutHint } from '../../components/LoggedOutHint';
import type { BBox } from '../../../protocol/geojson';
import { useViewLayers } from '../../features/map/useViewLayers';
import type { LayerConfig } from '../../features/map/mapSlice';
import { STORE_COLORS, STORE_TYPES, STORES_SOURCE } from '../../data/sources';
import StoresWidgets from './StoresWidgets';

const LAYER: LayerConfig = {
  id: 'stores-layer',
  sourceId: 'stores',
  kind: 'vector',
  title: 'Retail stores',
  visible: true,
  idColumn: 'cartodb_id',
  style: {
    pointRadius: 3,
    lineColor: [255, 255, 255, 160],
    lineWidth: 0.5,
    colorBy: { column: 'store_type', domain: STORE_TYPES, colors: STORE_COLORS },
  },
};

/** Where the stores are: the contiguous US. */
const STORES_BOUNDS: BBox = [-124.8, 24.5, -66.9, 49.4];

function StoresOnMap() {
  const dispatch = useAppDispatch();
  const { onMap, addBack } = useViewLayers(STORES_SOURCE, LAYER);
  // Opened from a link that has the stores on its map: the link's view is the one to show.
  const [fromLink] = useState(onMap);
  // Opening the view shows the stores.
  useEffect(() => {
    if (!fromLink) dispatch(fitMapTo(STORES_BOUNDS));
  }, [dispatch, fromLink]);
  return (
    <Box sx={{ px: 2, py: 1, display: 'grid', gap: 1 }}>
      {!onMap && <LayerRemovedNotice title={LAYER.title} onAddBack={addBack} />}
      <StoresWidgets />
    </Box>
  );
}

/**
 * The retail_stores table as points coloured by store type. An expired session keeps it open
 * (unmounting would take the layer off the map, and opening it again would move the map).
 */
export function StoresView() {
  const loggedIn = useAppSelector(selectHasCartoSession);
  if (!loggedIn)
    return <LoggedOutHint>Log in with CARTO to see the stores on the map.</LoggedOutHint>;
  return <StoresOnMap />;
}
