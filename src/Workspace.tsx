import { lazy, Suspense } from 'react';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import CssBaseline from '@mui/material/CssBaseline';
import Divider from '@mui/material/Divider';
import Typography from '@mui/material/Typography';
import { ThemeProvider } from '@mui/material/styles';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { BrowserRouter, Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { theme } from './theme';
import { SIDE_PANEL_WIDTH } from './layout';
import { LayersPanel } from './features/map/LayersPanel';
import { SelectedFeature } from './features/map/SelectedFeature';
import { ViewStateReadout } from './features/map/ViewStateReadout';
import { DatasetsView } from './views/datasets/DatasetsView';
import { StoresView } from './views/stores/StoresView';
import { IsochroneView } from './views/isochrones/IsochroneView';
import { SqlView } from './views/sql/SqlView';

const VIEWS = [
  { path: '/', label: 'Datasets', element: <DatasetsView /> },
  { path: '/stores', label: 'Stores', element: <StoresView /> },
  { path: '/isochrones', label: 'Isochrones', element: <IsochroneView /> },
  { path: '/sql', label: 'SQL', element: <SqlView /> },
] as const;

/** The views, one per route (deep links work); each owns its sources and layers. */
function ViewPanel() {
  const { pathname } = useLocation();
  const current = VIEWS.find((v) => v.path === pathname)?.path ?? false;
  return (
    <>
      <Tabs
        value={current}
        variant="fullWidth"
        aria-label="Views"
        sx={{ borderBottom: 1, borderColor: 'divider' }}
      >
        {VIEWS.map((view) => (
          <Tab
            key={view.path}
            label={view.label}
            value={view.path}
            component={Link}
            to={view.path}
            sx={{ minWidth: 0, px: 0.5, textTransform: 'none', fontSize: 14 }}
          />
        ))}
      </Tabs>
      <Box sx={{ py: 1 }}>
        <Routes>
          {VIEWS.map((view) => (
            <Route key={view.path} path={view.path} element={view.element} />
          ))}
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Box>
    </>
  );
}

// The map (maplibre, deck.gl, luma.gl, loaders.gl) is the bulk of the JS: it loads on its own.
const MapView = lazy(() => import('./features/map/MapView'));

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
      <BrowserRouter basename={import.meta.env.BASE_URL}>
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
            <ViewPanel />
            <Divider />
            <Typography variant="subtitle2" component="h2" sx={{ px: 2, pt: 2 }}>
              Layers
            </Typography>
            <LayersPanel />
            <SelectedFeature />
          </Box>
          <Box component="main" sx={{ flex: 1, minWidth: 0, position: 'relative' }}>
            <Suspense fallback={<MapLoading />}>
              <MapView />
            </Suspense>
          </Box>
        </Box>
      </BrowserRouter>
    </ThemeProvider>
  );
}
