import {
  lazy,
  Suspense,
  useEffect,
  type MouseEvent as ReactMouseEvent,
  type ReactNode,
} from 'react';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import CssBaseline from '@mui/material/CssBaseline';
import Divider from '@mui/material/Divider';
import Typography from '@mui/material/Typography';
import { ThemeProvider } from '@mui/material/styles';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import {
  BrowserRouter,
  Link,
  Navigate,
  Route,
  Routes,
  useLocation,
  useNavigate,
} from 'react-router';
import { useAppTheme } from './theme';
import { VIEWS } from './views/registry';
import { useAppDispatch, useAppSelector } from './store/hooks';
import { isCartoApiReady, dataLayerAttached } from './api/cartoApi';
import { ErrorBoundary, SectionError } from './components/ErrorBoundary';
import { LayersPanel } from './features/map/LayersPanel';
import { SelectedFeature } from './features/map/SelectedFeature';
import { ViewStateReadout } from './features/map/ViewStateReadout';
import { MapStatusAnnouncer } from './features/map/MapSummary';
import { SessionAnnouncer } from './features/oauth/SessionAnnouncer';
import { PEEK_HEIGHT, PHONE_TARGETS, SidePanel, useSidePanel } from './components/SidePanel';

function Loading({ label }: { label: string }) {
  return (
    <Box role="progressbar" aria-label={label} sx={{ display: 'grid', placeItems: 'center', p: 2 }}>
      <CircularProgress size={24} aria-hidden />
    </Box>
  );
}

/**
 * A view that crashes is replaced by what failed and a way to reopen it; the map, the other
 * views' sources and the login are untouched (the store is outside the boundary).
 */
function ViewBoundary({ label, children }: { label: string; children: ReactNode }) {
  return (
    <ErrorBoundary
      name={`${label} view`}
      fallback={(props) => (
        <Box sx={{ px: 2 }}>
          <SectionError
            {...props}
            title={`The ${label} view stopped working`}
            retryLabel="Reopen the view"
          />
        </Box>
      )}
    >
      <Suspense fallback={<Loading label={`Loading the ${label} view`} />}>{children}</Suspense>
    </ErrorBoundary>
  );
}

/** How many view tabs share the side panel's width before the tab row scrolls instead. */
const TABS_THAT_FIT = 4;

/** The views, one per route (deep links work); each owns its sources and layers. */
function ViewPanel() {
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const view = VIEWS.find((v) => v.path === pathname);
  const current = view?.path ?? false;
  return (
    <>
      <Tabs
        value={current}
        // Four views share the panel's width; a fifth (`npm run generate -- view`) would cut
        // the labels off, so from then on the row scrolls, with arrows where it can.
        {...(VIEWS.length > TABS_THAT_FIT
          ? { variant: 'scrollable', scrollButtons: 'auto', allowScrollButtonsMobile: true }
          : { variant: 'fullWidth' })}
        aria-label="Views"
        sx={{ borderBottom: 1, borderColor: 'divider' }}
      >
        {VIEWS.map((tab) => (
          <Tab
            key={tab.path}
            label={tab.label}
            value={tab.path}
            component={Link}
            to={tab.path}
            // The map's link lives in the hash (written outside the router): switching views
            // keeps it, so the address stays a link to the map the user sees.
            onClick={(event: ReactMouseEvent<HTMLAnchorElement>) => {
              if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
              event.preventDefault();
              void navigate({ pathname: tab.path, hash: window.location.hash });
            }}
            sx={{ minWidth: 0, px: 0.5, textTransform: 'none', fontSize: 14 }}
          />
        ))}
      </Tabs>
      {view && (
        <Typography variant="body2" color="text.secondary" sx={{ px: 2, pt: 1.5 }}>
          {view.description}
        </Typography>
      )}
      <Box sx={{ py: 1 }}>
        <Routes>
          {VIEWS.map(({ path, label, Component }) => (
            <Route
              key={path}
              path={path}
              element={
                <ViewBoundary key={path} label={label}>
                  <Component />
                </ViewBoundary>
              }
            />
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
      sx={{ display: 'grid', placeItems: 'center', height: '100%', bgcolor: 'background.default' }}
    >
      <CircularProgress aria-hidden />
    </Box>
  );
}

/**
 * The CARTO data layer (RTK Query) comes with this chunk: a store made before it loaded gets
 * the slice's state on the first render here, before any view asks for data.
 */
function useCartoApi(): boolean {
  const dispatch = useAppDispatch();
  const ready = useAppSelector(isCartoApiReady);
  useEffect(() => {
    if (!ready) dispatch(dataLayerAttached());
  }, [ready, dispatch]);
  return ready;
}

/** Everything below the header: side panel of views and the map. MUI lives from here down. */
export default function Workspace() {
  const ready = useCartoApi();
  const theme = useAppTheme();
  if (!ready) return null;
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <BrowserRouter basename={import.meta.env.BASE_URL}>
        <WorkspaceLayout />
      </BrowserRouter>
    </ThemeProvider>
  );
}

/** The side panel (a column, or a bottom sheet on phones) and the map, which fills the rest. */
function WorkspaceLayout() {
  const panel = useSidePanel();
  return (
    <Box
      sx={{
        display: 'flex',
        flex: 1,
        minHeight: 0,
        position: 'relative',
        // MUI marks keyboard focus with a faint ripple only: a ring that anyone can see.
        '& .Mui-focusVisible': { outline: 2, outlineColor: 'primary.main', outlineOffset: 1 },
        ...(panel.phone ? PHONE_TARGETS : {}),
      }}
    >
      <SessionAnnouncer />
      <MapStatusAnnouncer />
      <SidePanel panel={panel}>
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
      </SidePanel>
      <Box
        component="main"
        sx={{
          flex: 1,
          minWidth: 0,
          position: 'relative',
          mb: panel.phone ? `${PEEK_HEIGHT}px` : 0,
        }}
      >
        <ErrorBoundary
          name="map"
          fallback={(props) => (
            <Box sx={{ p: 3 }}>
              <SectionError
                {...props}
                title="The map stopped working"
                retryLabel="Reload the map"
              />
            </Box>
          )}
        >
          <Suspense fallback={<MapLoading />}>
            <MapView />
          </Suspense>
        </ErrorBoundary>
        {panel.toggle}
      </Box>
    </Box>
  );
}
