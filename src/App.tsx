import { lazy, Suspense } from 'react';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Divider from '@mui/material/Divider';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { LayersPanel } from './features/map/LayersPanel';
import { ViewStateReadout } from './features/map/ViewStateReadout';

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

export function App({ appName }: { appName: string }) {
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100vh' }}>
      <AppBar position="static" elevation={0}>
        <Toolbar variant="dense" sx={{ gap: 2 }}>
          <Typography variant="h6" component="h1" sx={{ flexGrow: 1, fontSize: 18 }}>
            {appName}
          </Typography>
        </Toolbar>
      </AppBar>
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
    </Box>
  );
}
