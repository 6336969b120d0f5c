import { useEffect, useMemo, useRef, useState } from 'react';
import MapGL, {
  NavigationControl,
  useControl,
  type MapLayerMouseEvent,
  type ViewStateChangeEvent,
} from 'react-map-gl/maplibre';
import { MapboxOverlay, type MapboxOverlayProps } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import Box from '@mui/material/Box';
import { setWorkerUrl } from 'maplibre-gl';
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import {
  basemapFailed,
  selectAllLayers,
  selectBasemap,
  featureSelected,
  mapClicked,
  selectionCleared,
  selectViewState,
  viewStateChanged,
  type LayerConfig,
} from './mapSlice';
import { selectOAuthCredentials } from '../oauth/oauthSlice';
import { renewSession } from '../oauth/oauthThunks';
import { credentialsFor, isRemoteSource, SourceCache } from '../sources/cartoSources';
import { cartoApi, type CartoQueryError } from '../../api/cartoApi';
import { errorMessage } from '../../api/queryError';
import { geojsonLayer, LAYER_FACTORIES } from './layers/layerFactories';
import { basemapById, loadBasemapStyle, type BasemapStyle } from './basemaps';
import { BasemapSelector } from './BasemapSelector';
import { BasemapNotice } from './BasemapNotice';
import type { ViewState } from '../../config/configTypes';

/** Widgets re-query when the map settles, not on every animation frame. */
export const VIEW_STATE_DEBOUNCE_MS = 250;

// maplibre-gl 6 looks for its worker next to its own module, which a bundle moves: point at the
// copy Vite emits instead. The worker file is self-contained.
setWorkerUrl(maplibreWorkerUrl);

/** A picked feature's properties as plain values (what the store may hold). */
export function plainProperties(
  object: unknown,
): Record<string, string | number | boolean | null> | null {
  const properties = (object as { properties?: Record<string, unknown> } | null)?.properties;
  if (!properties) return null;
  const plain: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (key === 'layerName') continue;
    plain[key] =
      value === null || ['string', 'number', 'boolean'].includes(typeof value)
        ? (value as string | number | boolean | null)
        : JSON.stringify(value);
  }
  return plain;
}

/** Where a picked point feature is (deck.gl hands tile features back in WGS84), if a point. */
export function pointPosition(object: unknown): [number, number] | undefined {
  const geometry = (object as { geometry?: { type?: unknown; coordinates?: unknown } } | null)
    ?.geometry;
  const [lng, lat] = Array.isArray(geometry?.coordinates)
    ? (geometry.coordinates as unknown[])
    : [];
  if (geometry?.type !== 'Point' || typeof lng !== 'number' || typeof lat !== 'number')
    return undefined;
  return Number.isFinite(lng) && Number.isFinite(lat) ? [lng, lat] : undefined;
}

/** Hover tooltip: the feature's properties (plain text, never HTML). */
export function tooltip({ object }: PickingInfo): { text: string } | null {
  const properties = (object as { properties?: Record<string, unknown> } | null)?.properties;
  if (!properties) return null;
  const lines = Object.entries(properties)
    .filter(([key]) => key !== 'layerName')
    .slice(0, 8)
    .map(([key, value]) => `${key}: ${String(value)}`);
  return lines.length ? { text: lines.join('\n') } : null;
}
const MAP_STYLE_CSS = { width: '100%', height: '100%' } as const;

function DeckGLOverlay(props: MapboxOverlayProps) {
  const overlay = useControl(() => new MapboxOverlay(props));
  overlay.setProps(props);
  return null;
}

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
 * The map renders from local view state so panning is smooth; the store gets the view
 * debounced. A view change that comes from the store (e.g. "zoom to dataset") moves the map.
 */
function useSyncedViewState() {
  const dispatch = useAppDispatch();
  const storeView = useAppSelector(selectViewState);
  const [view, setView] = useState(storeView);
  const [syncedFrom, setSyncedFrom] = useState(storeView);

  if (storeView !== syncedFrom) {
    setSyncedFrom(storeView);
    if (!sameView(storeView, view)) setView(storeView);
  }

  useEffect(() => {
    if (sameView(view, storeView)) return;
    const timer = setTimeout(() => dispatch(viewStateChanged(view)), VIEW_STATE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [view, storeView, dispatch]);

  const onMove = (event: ViewStateChangeEvent) => setView(pickView(event.viewState));
  return { view, onMove };
}

/** Loads the selected basemap's style; when an online one fails, falls back to the offline one. */
function useBasemapStyle(): BasemapStyle | null {
  const dispatch = useAppDispatch();
  const basemap = useAppSelector(selectBasemap);
  const [loaded, setLoaded] = useState<BasemapStyle | null>(null);

  useEffect(() => {
    const option = basemapById(basemap);
    const controller = new AbortController();
    loadBasemapStyle(option, { signal: controller.signal }).then(setLoaded, (error: unknown) => {
      if (controller.signal.aborted) return;
      const reason = error instanceof Error ? error.message : String(error);
      if (option.online) {
        dispatch(
          basemapFailed({
            failed: option.id,
            message: `The ${option.label} basemap could not be loaded (${reason}). Showing the offline basemap instead.`,
          }),
        );
      } else {
        console.error(`Offline basemap failed to load: ${reason}`);
      }
    });
    return () => controller.abort();
  }, [basemap, dispatch]);

  return loaded;
}

/**
 * deck.gl layers built in render from the store's layer configs, their source descriptors and
 * the credentials. Sources are cached by descriptor, so a renewed token keeps the tiles.
 */
function useDeckLayers(): Layer[] {
  const dispatch = useAppDispatch();
  const configs = useAppSelector(selectAllLayers);
  const descriptors = useAppSelector((state) => state.sources.entities);
  const credentials = useAppSelector(selectOAuthCredentials);
  // TileJSONs come through the data layer (cached, renewed on a 401); the copy handed to
  // deck.gl carries the token its tile requests send, updated in place on renewal.
  const [cache] = useState(
    () =>
      new SourceCache((descriptor, { accessToken }) =>
        dispatch(cartoApi.endpoints.createSource.initiate(descriptor, { subscribe: false }))
          .unwrap()
          .then(
            (tilejson) => ({ ...tilejson, accessToken }),
            (error: unknown) => {
              throw new Error(errorMessage(error as CartoQueryError));
            },
          ),
      ),
  );
  const token = useRef(credentials?.accessToken ?? null);

  useEffect(() => {
    const next = credentials?.accessToken ?? null;
    if (token.current && next && token.current !== next) cache.updateToken(token.current, next);
    token.current = next;
  }, [cache, credentials?.accessToken]);

  return useMemo(() => {
    const onTileError = (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      // A 401 on a tile goes through the same renewal as every other CARTO call.
      if (/\b401\b|Unauthori[sz]ed/i.test(message)) void dispatch(renewSession());
      else console.warn(`A map tile could not be loaded: ${message}`);
    };
    // Areas computed by models (inline GeoJSON, e.g. isochrones) go beneath the CARTO layers,
    // so they never hide, or take the clicks of, the points drawn over them.
    const isInline = (config: LayerConfig) => {
      const descriptor = descriptors[config.sourceId];
      return descriptor !== undefined && !isRemoteSource(descriptor);
    };
    const ordered = [...configs.filter(isInline), ...configs.filter((c) => !isInline(c))];
    return ordered.flatMap((config) => {
      const descriptor = descriptors[config.sourceId];
      if (descriptor && !isRemoteSource(descriptor)) return [geojsonLayer(config, descriptor.data)];
      const factory = LAYER_FACTORIES[config.kind];
      if (!descriptor || !factory || !credentialsFor(descriptor, credentials)) return [];
      return [factory(config, cache.get(descriptor, credentials), { onTileError })];
    });
  }, [cache, configs, credentials, descriptors, dispatch]);
}

/** maplibre could not get a WebGL2 context (no GPU, blocked, or too many contexts). */
export function isWebGLError(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /WebGL|GPUInit/i.test(text);
}

/** Said in place of the map; the side panel, sources and login keep working. */
function MapUnavailable({ reason }: { reason: string }) {
  return (
    <Box
      role="alert"
      data-testid="map-unavailable"
      sx={{ display: 'grid', placeItems: 'center', height: '100%', p: 3, bgcolor: 'grey.100' }}
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

export default function MapView() {
  const dispatch = useAppDispatch();
  const [glFailure, setGlFailure] = useState<string | null>(null);
  const { view, onMove } = useSyncedViewState();
  const style = useBasemapStyle();
  const layers = useDeckLayers();
  // A click on a feature selects it; a click elsewhere clears the selection.
  const onPick = (info: PickingInfo) => {
    const properties = plainProperties(info.object);
    const position = pointPosition(info.object);
    if (properties && info.layer) {
      dispatch(
        featureSelected({ layerId: info.layer.id, properties, ...(position ? { position } : {}) }),
      );
    } else dispatch(selectionCleared());
  };
  // maplibre's own click (not deck.gl picking): any click on the map is a point for the views.
  const onClick = (event: MapLayerMouseEvent) => {
    dispatch(mapClicked({ longitude: event.lngLat.lng, latitude: event.lngLat.lat }));
  };

  const onMapError = ({ error }: { error: unknown }) => {
    if (isWebGLError(error)) setGlFailure(error instanceof Error ? error.name : 'no WebGL2');
    else console.warn('Map error:', error);
  };

  if (glFailure) return <MapUnavailable reason={glFailure} />;
  return (
    <Box sx={{ position: 'relative', width: '100%', height: '100%' }} data-testid="map">
      {style && (
        <MapGL
          {...view}
          onMove={onMove}
          onClick={onClick}
          onError={onMapError}
          mapStyle={style as never}
          style={MAP_STYLE_CSS}
          attributionControl={{ compact: true }}
        >
          <NavigationControl position="bottom-right" />
          <DeckGLOverlay layers={layers} getTooltip={tooltip} onClick={onPick} />
        </MapGL>
      )}
      <BasemapSelector />
      <BasemapNotice />
    </Box>
  );
}
