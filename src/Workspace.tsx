import { lazy, Suspense } from 'react';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import CssBaseline from '@mui/material/CssBaseline';
import Divider from '@mui/material/Divider';
import Typography from '@mui/material/Typography';
import { ThemeProvider } from '@mui/material/styles';
import { theme } from './theme';
import { LayersPanel } from './features/map/LayersPanel';
import { ViewStateReadout } from './features/map/ViewStateReadout';
import { DatasetsView } from './features/datasets/DatasetsView';

// The map (maplibre, deck.gl, luma.gl, loaders.gl) is the bulk of the JS: it loads on its own.
const MapView = lazy(() => import('./features/map/MapView'));

export const SIDE_PANEL_WIDTH = 340;

function MapLoading() {
  return (
    <Box
      role="progressbar"
      aria-label="Loading map"
      sx={{ display: 'grid', placeItems: 'center', height: '100%', bgcolor: 'grey.100' }}
    >
      <CircularProgress />
    </Box>
  );
}

/** Everything below the header: side panel of views and the map. MUI lives from here down. */
export default function Workspace() {
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <Box sx={{ display: 'flex', flex: 1, minHeight: 0 }}>
        <Box
          component="aside"
          aria-label="Side panel"
          sx={{
            width: SIDE_PANEL_WIDTH,
            flexShrink: 0,
            borderRight: 1,
            borderColor: 'divider',
            bgcolor: 'background.paper',
            overflowY: 'auto',
            display: { xs: 'none', sm: 'block' },
          }}
        >
          <Box sx={{ p: 2 }}>
            <Typography variant="subtitle2" component="h2">
              Map
            </Typography>
            <ViewStateReadout />
          </Box>
          <Divider />
          <Typography variant="subtitle2" component="h2" sx={{ px: 2, pt: 2 }}>
            Datasets
          </Typography>
          <DatasetsView />
          <Divider />
          <Typography variant="subtitle2" component="h2" sx={{ px: 2, pt: 2 }}>
            Layers
          </Typography>
          <LayersPanel />
        </Box>
        <Box component="main" sx={{ flex: 1, minWidth: 0, position: 'relative' }}>
          <Suspense fallback={<MapLoading />}>
            <MapView />
          </Suspense>
        </Box>
      </Box>
    </ThemeProvider>
  );
}
