import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import MapGL, {
  NavigationControl,
  type MapLayerMouseEvent,
  type ViewStateChangeEvent,
} from 'react-map-gl/maplibre';
import Box from '@mui/material/Box';
import { setWorkerUrl } from 'maplibre-gl';
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import {
  basemapFailed,
  mapResized,
  selectBasemap,
  selectLayerCount,
  mapClicked,
  selectViewState,
  viewStateChanged,
} from './mapSlice';
import { loadBasemapStyle, resolveBasemap, type BasemapStyle } from './basemaps';
import { useThemeMode } from '../theme/themeModeStore';
import { BasemapSelector } from './BasemapSelector';
import { BasemapNotice } from './BasemapNotice';
import { MAP_SUMMARY_ID, MapSummary } from './MapSummary';
import type { ViewState } from '../../config/configTypes';

// deck.gl and the CARTO layers load with the first layer: an empty map needs only maplibre.
const DeckLayers = lazy(() => import('./DeckLayers'));

// maplibre-gl 6 looks for its worker next to its own module, which a bundle moves: point at the
// copy Vite emits instead. The worker file is self-contained.
setWorkerUrl(maplibreWorkerUrl);

const MAP_STYLE_CSS = { width: '100%', height: '100%' } as const;

function sameView(a: ViewState, b: ViewState): boolean {
  const close = (x: number, y: number) => Math.abs(x - y) < 1e-6;
  return (
    close(a.longitude, b.longitude) &&
    close(a.latitude, b.latitude) &&
    close(a.zoom, b.zoom) &&
    close(a.pitch, b.pitch) &&
    close(a.bearing, b.bearing)
  );
}

function pickView(v: ViewState): ViewState {
  return {
    longitude: v.longitude,
    latitude: v.latitude,
    zoom: v.zoom,
    pitch: v.pitch,
    bearing: v.bearing,
  };
}

/**
 * The map renders from local view state so panning is smooth; the store gets the view once the
 * map settles (the gesture and its inertia over: maplibre's `moveend`), so widgets and the link
 * follow settled views only, never a pause in the middle of a drag. A view change that comes
 * from the store (e.g. "zoom to dataset") moves the map; the store's echo of a view the map
 * sent does not (the map may have moved on since).
 */
function useSyncedViewState() {
  const dispatch = useAppDispatch();
  const storeView = useAppSelector(selectViewState);
  const [view, setView] = useState(storeView);
  const [syncedFrom, setSyncedFrom] = useState(storeView);
  const [sent, setSent] = useState<ViewState | null>(null);
  // The camera while it moves (read when it stops, in the same task as its last move).
  const moving = useRef<ViewState | null>(null);

  if (storeView !== syncedFrom) {
    setSyncedFrom(storeView);
    const echo = sent !== null && sameView(storeView, sent);
    if (!echo && !sameView(storeView, view)) setView(storeView);
  }

  const onMove = (event: ViewStateChangeEvent) => {
    // A resize fires `move` without moving the camera, and react-map-gl then reports the last
    // camera change the user made (kept until the next one), not the view the map shows:
    // after a "zoom to", the view from before it. Only a moving camera moves the view.
    if (!event.target.isMoving()) return;
    moving.current = pickView(event.viewState);
    setView(moving.current);
  };
  const onMoveEnd = () => {
    const settled = moving.current;
    moving.current = null;
    if (!settled || sameView(settled, storeView)) return;
    setSent(settled);
    dispatch(viewStateChanged(settled));
  };
  return { view, onMove, onMoveEnd };
}

/**
 * Loads the selected basemap's style in the light/dark mode shown ('auto' picks Positron or Dark
 * Matter by the mode); when an online one fails, falls back to the offline one.
 */
function useBasemapStyle(): BasemapStyle | null {
  const dispatch = useAppDispatch();
  const basemap = useAppSelector(selectBasemap);
  const mode = useThemeMode();
  const [loaded, setLoaded] = useState<BasemapStyle | null>(null);

  useEffect(() => {
    const option = resolveBasemap(basemap, mode);
    const controller = new AbortController();
    loadBasemapStyle(option, mode, { signal: controller.signal }).then(
      setLoaded,
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const reason = error instanceof Error ? error.message : String(error);
        if (option.online) {
          dispatch(
            basemapFailed({
              failed: basemap,
              message: `The ${option.label} basemap could not be loaded (${reason}). Showing the offline basemap instead.`,
            }),
          );
        } else {
          console.error(`Offline basemap failed to load: ${reason}`);
        }
      },
    );
    return () => controller.abort();
  }, [basemap, mode, dispatch]);

  return loaded;
}

/** maplibre could not get a WebGL2 context (no GPU, blocked, or too many contexts). */
function isWebGLError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /WebGL|GPUInit/i.test(text);
}

/**
 * The map's box reports its size to the store as soon as it is laid out and whenever it
 * changes (side panel, window): fitting to bounds and the widgets' "in view" need it, and need
 * it before the basemap and WebGL have loaded (the widgets wait for it).
 */
function useReportSize() {
  const dispatch = useAppDispatch();
  return useCallback(
    (box: HTMLElement | null) => {
      if (!box || typeof ResizeObserver === 'undefined') return;
      const observer = new ResizeObserver(() => {
        const { clientWidth, clientHeight } = box;
        if (clientWidth > 0 && clientHeight > 0)
          dispatch(mapResized({ width: clientWidth, height: clientHeight }));
      });
      observer.observe(box);
      return () => observer.disconnect();
    },
    [dispatch],
  );
}

/**
 * Said in place of the map; the side panel, sources and login keep working. Its box reports
 * the size the map would have, so the widgets answer for the view in the store and the link.
 */
function MapUnavailable({ reason }: { reason: string }) {
  return (
    <Box
      ref={useReportSize()}
      role="alert"
      data-testid="map-unavailable"
      sx={{
        display: 'grid',
        placeItems: 'center',
        height: '100%',
        p: 3,
        bgcolor: 'background.default',
      }}
    >
      <Box sx={{ maxWidth: 420 }}>
        <strong>The map cannot be drawn in this browser.</strong>
        <p>
          It needs WebGL2, which this browser could not start ({reason}). Everything else works:
          your datasets, layers and queries are kept. Try another browser, or turn on hardware
          acceleration and reload.
        </p>
      </Box>
    </Box>
  );
}

/** maplibre's canvas is a region named "Map": its description says what it draws. */
function describeCanvas({ target }: { target: { getCanvas: () => HTMLCanvasElement } }) {
  target.getCanvas().setAttribute('aria-describedby', MAP_SUMMARY_ID);
}

export default function MapView() {
  const dispatch = useAppDispatch();
  const [glFailure, setGlFailure] = useState<string | null>(null);
  const { view, onMove, onMoveEnd } = useSyncedViewState();
  const style = useBasemapStyle();
  const hasLayers = useAppSelector(selectLayerCount) > 0;
  // maplibre's own click (not deck.gl picking): any click on the map is a point for the views.
  const onClick = (event: MapLayerMouseEvent) => {
    dispatch(mapClicked({ longitude: event.lngLat.lng, latitude: event.lngLat.lat }));
  };

  const reportSize = useReportSize();
  const onMapError = ({ error }: { error: unknown }) => {
    if (isWebGLError(error)) setGlFailure(error instanceof Error ? error.name : 'no WebGL2');
    else console.warn('Map error:', error);
  };

  if (glFailure) return <MapUnavailable reason={glFailure} />;
  return (
    <Box
      ref={reportSize}
      sx={{ position: 'relative', width: '100%', height: '100%' }}
      data-testid="map"
    >
      {style && (
        <MapGL
          {...view}
          onMove={onMove}
          onMoveEnd={onMoveEnd}
          onClick={onClick}
          onError={onMapError}
          onLoad={describeCanvas}
          mapStyle={style as never}
          style={MAP_STYLE_CSS}
          attributionControl={{ compact: true }}
        >
          <NavigationControl position="bottom-right" />
          {hasLayers && (
            <Suspense fallback={null}>
              <DeckLayers />
            </Suspense>
          )}
        </MapGL>
      )}
      <MapSummary />
      <BasemapSelector />
      <BasemapNotice />
    </Box>
  );
}
