/**
 * Everything deck.gl: the CARTO layers drawn over the basemap, their sources, picking and
 * tooltips. A chunk of its own, loaded when the first layer is added, so logging in and the
 * default (empty) map do not carry deck.gl, loaders.gl or @carto/api-client.
 */
import { lazy, Suspense, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useControl } from 'react-map-gl/maplibre';
import { MapboxOverlay, type MapboxOverlayProps } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { useAppDispatch, useAppSelector } from '../../store/hooks';
import {
  featureSelected,
  selectAllLayers,
  selectionCleared,
  selectBrowsingLayerId,
  selectSelectedFeature,
  drawKind,
  type LayerConfig,
} from './mapSlice';
import { selectOAuthCredentials } from '../oauth/oauthSlice';
import { renewSession } from '../oauth/oauthThunks';
import { credentialsFor, isRemoteSource, SourceCache } from '../sources/sourceCache';
import { cartoApi, sourceRequest, type CartoQueryError } from '../../api/cartoApi';
import { errorMessage } from '../../api/queryError';
import { geojsonLayer, LAYER_FACTORIES, type LayerFactory } from './layers/layerFactories';
import { lazyLayers } from './layers/lazyLayers';
import { featureFields, fieldsText, tooltipTransform } from './featureFormat';
import { plainProperties, pointPosition } from './pickedFeature';
import { layerStatus, reportFailed, reportLoading, reportSourceLoaded } from './layers/layerStatus';
import { isWorkerStartError, probeTileWorkers, tileParsing } from './layers/tileWorkers';
import { clusterRadius } from './layers/clusterStyle';

const FeatureBrowser = lazy(() => import('./FeatureBrowser'));

// Checked once, when the first layer loads this chunk.
probeTileWorkers();

/**
 * The hover tooltip: the feature's fields as people read them (plain text, never HTML), beside
 * the pointer and clear of the hovered feature, flipped away from the map's edges.
 */
export function makeTooltip(configs: readonly LayerConfig[]) {
  return (info: PickingInfo): { text: string; style: Record<string, string> } | null => {
    const properties = (info.object as { properties?: Record<string, unknown> } | null)?.properties;
    if (!properties) return null;
    const config = configs.find((c) => c.id === info.layer?.id);
    let text: string;
    let clearance = config?.style.pointRadius ?? 4;
    if (config?.kind === 'cluster') {
      // A cluster is a count, not a feature: how many points, of which dataset.
      const points = Number(properties.count);
      if (!Number.isFinite(points)) return null;
      text = `${points.toLocaleString('en-US')} ${points === 1 ? 'point' : 'points'} of ${config.title.replace(/ \(clusters\)$/, '')}`;
      clearance = clusterRadius(points);
    } else {
      const fields = featureFields(
        properties,
        config?.idColumn ? { idColumn: config.idColumn } : {},
      );
      if (fields.length === 0) return null;
      text = fieldsText(fields);
    }
    return {
      text,
      style: {
        transform: tooltipTransform({
          x: info.x,
          y: info.y,
          width: info.viewport?.width ?? Infinity,
          height: info.viewport?.height ?? Infinity,
          clearance,
        }),
        whiteSpace: 'pre-wrap',
        maxWidth: '320px',
      },
    };
  };
}

/** deck.gl drawn in maplibre's canvas container, as a map control. */
function useDeckOverlay(props: MapboxOverlayProps): MapboxOverlay {
  const overlay = useControl(() => new MapboxOverlay(props));
  overlay.setProps(props);
  return overlay;
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
  const parsing = useSyncExternalStore(tileParsing.subscribe, tileParsing.get);
  const selected = useAppSelector(selectSelectedFeature);
  // The widgets' filters reach the layers through their sources: the API filters the tiles.
  const filters = useAppSelector((state) => state.widgets.filters);
  const attempt = useSyncExternalStore(layerStatus.subscribe, () => layerStatus.get().attempt);
  // Layer kinds whose code loads on first use: the layers are built again once it is there.
  const lazyVersion = useSyncExternalStore(lazyLayers.subscribe, lazyLayers.version);
  // TileJSONs come through the data layer (cached, renewed on a 401); the copy handed to
  // deck.gl carries the token its tile requests send, updated in place on renewal.
  const [cache] = useState(
    () =>
      new SourceCache((descriptor, { accessToken }) =>
        // Asked for while the layers are built (a render): dispatched right after it, since
        // the request updates the store that other components read.
        Promise.resolve()
          .then(() =>
            dispatch(
              // Asked for only when the cache has no such source: a new one, never an answer
              // kept from before (its tiles may be gone with an ended session).
              cartoApi.endpoints.createSource.initiate(sourceRequest(descriptor), {
                subscribe: false,
                forceRefetch: true,
              }),
            ).unwrap(),
          )
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
    // No credentials: logged out, or the session ended (expired, or the platform forgot it, and
    // with it the map instances it served). The sources are loaded again with the next login's
    // token; a renewal in between only hands the loaded ones the new token.
    if (next === null) cache.clear();
    else if (token.current && token.current !== next) cache.updateToken(token.current, next);
    token.current = next;
  }, [cache, credentials?.accessToken]);

  return useMemo(() => {
    const onTileError = (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      // A 401 on a tile goes through the same renewal as every other CARTO call.
      if (/\b401\b|Unauthori[sz]ed/i.test(message)) void dispatch(renewSession());
      else if (isWorkerStartError(error)) tileParsing.fallBack(message);
      else console.warn(`A map tile could not be loaded: ${message}`);
    };
    // The store's order is the drawing order: first at the bottom.
    return configs.flatMap((config) => {
      const descriptor = descriptors[config.sourceId];
      if (descriptor && !isRemoteSource(descriptor)) return [geojsonLayer(config, descriptor.data)];
      if (!descriptor || !credentialsFor(descriptor, credentials)) return [];
      const kind = drawKind(config);
      let factory: LayerFactory | undefined =
        kind === 'heatmap' ? undefined : LAYER_FACTORIES[kind];
      if (!factory) {
        const lazy = lazyLayers.get(kind, attempt);
        if (lazy && 'error' in lazy) reportFailed(config.id, lazy.error);
        factory = lazy && 'factory' in lazy ? lazy.factory : undefined;
      }
      if (!factory) return [];
      const selectedId =
        selected?.layerId === config.id && config.idColumn
          ? (selected.properties[config.idColumn] as string | number | null | undefined)
          : null;
      const sourceFilters = filters[descriptor.id];
      const data = cache.get(
        sourceFilters ? { ...descriptor, filters: sourceFilters } : descriptor,
        credentials,
      );
      data.then(
        () => reportSourceLoaded(config.id),
        (error: unknown) =>
          reportFailed(config.id, error instanceof Error ? error.message : String(error)),
      );
      return [
        factory(config, data, {
          onTileError,
          parsing,
          selectedId: typeof selectedId === 'boolean' ? null : (selectedId ?? null),
        }),
      ];
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `attempt`: a Retry rebuilds the layers, which asks again for the sources that failed (failures are not cached); `lazyVersion`: a layer kind's code arrived
  }, [
    cache,
    configs,
    credentials,
    descriptors,
    dispatch,
    filters,
    parsing,
    selected,
    attempt,
    lazyVersion,
  ]);
}

export default function DeckLayers() {
  const dispatch = useAppDispatch();
  const layers = useDeckLayers();
  const configs = useAppSelector(selectAllLayers);
  const getTooltip = useMemo(() => makeTooltip(configs), [configs]);
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
  // After each frame: which layers still wait for data (the layer list shows it).
  const drawn = useRef(layers);
  useEffect(() => {
    drawn.current = layers;
  }, [layers]);
  const overlay = useDeckOverlay({
    layers,
    getTooltip,
    onClick: onPick,
    onAfterRender: () => reportLoading(drawn.current),
  });
  // The keyboard feature browser loads when a layer's features are first browsed.
  const browsing = useAppSelector(selectBrowsingLayerId) !== null;
  return browsing ? (
    <Suspense fallback={null}>
      <FeatureBrowser overlay={overlay} />
    </Suspense>
  ) : null;
}
