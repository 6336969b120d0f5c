import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import { useViewLayers } from '../../features/map/useViewLayers';
import type { LayerConfig } from '../../features/map/mapSlice';
import { STORE_COLORS, STORE_TYPES, STORES_SOURCE } from '../../data/sources';

const LAYER: LayerConfig = {
  id: 'stores-layer',
  sourceId: 'stores',
  kind: 'vector',
  title: 'Retail stores',
  visible: true,
  style: {
    pointRadius: 3,
    lineColor: [255, 255, 255, 160],
    lineWidth: 0.5,
    colorBy: { column: 'store_type', domain: STORE_TYPES, colors: STORE_COLORS },
  },
};

/** The retail_stores table as points coloured by store type. */
export function StoresView() {
  useViewLayers(STORES_SOURCE, LAYER);
  return (
    <Box sx={{ px: 2, py: 1 }}>
      <Typography variant="body2">
        20,000 retail stores across the US, coloured by type. Hover a store to see its details.
      </Typography>
    </Box>
  );
}
