import Typography from '@mui/material/Typography';
import Box from '@mui/material/Box';
import { useViewLayers } from '../views/useViewLayers';
import type { LayerConfig, RGBA } from '../map/mapSlice';
import type { SourceDescriptor } from '../sources/sourcesSlice';

export const STORE_TYPES = [
  'Supermarket',
  'Convenience',
  'Pharmacy',
  'Hardware',
  'Electronics',
  'Clothing',
];
/** CARTOColors "Bold". */
export const STORE_COLORS: RGBA[] = [
  [127, 60, 141, 230],
  [17, 165, 121, 230],
  [57, 105, 172, 230],
  [242, 183, 1, 230],
  [231, 63, 116, 230],
  [128, 186, 90, 230],
];

/** retail_stores as a source: shared by the views that draw stores. */
export const STORES_SOURCE: SourceDescriptor = {
  id: 'stores',
  type: 'table',
  connection: 'carto_dw',
  data: 'demo.retail_stores',
};
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
