import { createEntityAdapter, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { initialState as appInitialState } from '../../store/initialStateSlice';
import type { BasemapId, ViewState } from '../../config/configTypes';
import { userDataCleared } from '../oauth/oauthSlice';

export type RGBA = [number, number, number, number];

/**
 * Every kind of layer the map knows, one a line. `npm run generate -- layer <name>` adds one
 * above the marker, with its factory in layers/ (lazyLayers.ts loads it).
 */
interface LayerKinds {
  vector: true;
  quadbin: true;
  h3: true;
  cluster: true;
  geojson: true;
  // generator:layer-kinds (new layer kinds are added above this line)
}

export type LayerKind = keyof LayerKinds;

/** Layers of cells aggregated by the API (H3 or quadbin): coloured by class, no strokes. */
export const isSpatialIndexLayer = (layer: Pick<LayerConfig, 'kind'>) =>
  layer.kind === 'quadbin' || layer.kind === 'h3';

/** How a layer is drawn: its kind, or a heatmap of its cells. */
export type DrawKind = LayerKind | 'heatmap';

export const drawKind = (layer: Pick<LayerConfig, 'kind' | 'style'>): DrawKind =>
  isSpatialIndexLayer(layer) && layer.style.heatmap ? 'heatmap' : layer.kind;

export interface LayerStyle {
  fillColor?: RGBA;
  lineColor?: RGBA;
  lineWidth?: number;
  pointRadius?: number;
  opacity?: number;
  /** Colour features by a column's categories: one colour per domain value (legend order). */
  colorBy?: { column: string; domain: string[]; colors: RGBA[] };
  /** Colour by numeric classes: n thresholds, n + 1 colours (below the first, ..., above). */
  colorBins?: { column: string; thresholds: number[]; colors: RGBA[] };
  /** H3 or quadbin cells drawn as a heatmap, weighted by `colorBins.column` in its colours. */
  heatmap?: boolean;
}

/** A layer as the store knows it: plain data. deck.gl layers are built from it in render. */
export interface LayerConfig {
  id: string;
  sourceId: string;
  kind: LayerKind;
  title: string;
  visible: boolean;
  style: LayerStyle;
  /**
   * A column whose value is unique per feature (e.g. `cartodb_id`): hover and selection
   * highlight a feature by it, across tiles.
   */
  idColumn?: string;
}

export interface BasemapNotice {
  failed: BasemapId;
  message: string;
}

const layersAdapter = createEntityAdapter<LayerConfig>();

/** The last click on the map, for views that pick a point (e.g. isochrones). */
export interface MapClick {
  longitude: number;
  latitude: number;
  /** Increments on every click, so clicking the same spot twice is still news. */
  seq: number;
}

/** A feature the user clicked: which layer, and its properties (plain values only). */
export interface SelectedFeature {
  layerId: string;
  properties: Record<string, string | number | boolean | null>;
  /** [longitude, latitude] of a point feature (where it is, not where the click was). */
  position?: [number, number];
}

/** The map's size on screen in CSS pixels, as it last reported it. */
export interface MapSize {
  width: number;
  height: number;
}

export interface MapState {
  viewState: ViewState;
  /** Null until the map has been drawn once. */
  size: MapSize | null;
  lastClick: MapClick | null;
  selected: SelectedFeature | null;
  /** The layer whose features in view the keyboard steps through, if any. */
  browsing: string | null;
  basemap: BasemapId;
  /** Set when an online basemap failed and the offline one is shown instead. */
  basemapNotice: BasemapNotice | null;
  layers: ReturnType<typeof layersAdapter.getInitialState>;
}

export function mapStateFromConfig(config: { viewState: ViewState; basemap: BasemapId }): MapState {
  return {
    viewState: { ...config.viewState },
    size: null,
    basemap: config.basemap,
    basemapNotice: null,
    lastClick: null,
    selected: null,
    browsing: null,
    layers: layersAdapter.getInitialState(),
  };
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Keeps only the serializable view fields: react-map-gl / deck.gl view states also carry
 * transition props (interpolators are class instances) and viewport sizes that do not belong in
 * the store.
 */
function toStoredViewState(input: ViewState): ViewState {
  return {
    longitude:
      input.longitude >= -180 && input.longitude <= 180
        ? input.longitude
        : ((((input.longitude + 180) % 360) + 360) % 360) - 180,
    latitude: clamp(input.latitude, -85.05, 85.05),
    zoom: clamp(input.zoom, 0, 24),
    pitch: clamp(input.pitch, 0, 85),
    bearing: input.bearing,
  };
}

export type LayerUpdate = { id: string } & Partial<Omit<LayerConfig, 'id' | 'style'>> & {
    style?: Partial<LayerStyle>;
  };

export const mapSlice = createSlice({
  name: 'map',
  initialState: mapStateFromConfig(appInitialState),
  reducers: {
    viewStateChanged(state, action: PayloadAction<ViewState>) {
      state.viewState = toStoredViewState(action.payload);
    },
    mapResized(state, action: PayloadAction<MapSize>) {
      state.size = action.payload;
    },
    basemapSelected(state, action: PayloadAction<BasemapId>) {
      state.basemap = action.payload;
      state.basemapNotice = null;
    },
    /** An online basemap could not be loaded: show the bundled offline one and say why. */
    basemapFailed(state, action: PayloadAction<BasemapNotice>) {
      if (state.basemap !== action.payload.failed) return;
      state.basemap = 'offline';
      state.basemapNotice = action.payload;
    },
    basemapNoticeDismissed(state) {
      state.basemapNotice = null;
    },
    /**
     * Adds a layer on top of the others (or replaces the one with its id, where it is). Areas a
     * model computed (`geojson`) go beneath the data layers, so they never hide the points.
     */
    layerAdded(state, action: PayloadAction<LayerConfig>) {
      const layer = action.payload;
      const exists = layer.id in state.layers.entities;
      layersAdapter.setOne(state.layers, layer);
      if (exists || layer.kind !== 'geojson') return;
      const ids = state.layers.ids.filter((id) => id !== layer.id);
      const firstData = ids.findIndex((id) => state.layers.entities[id]?.kind !== 'geojson');
      ids.splice(firstData < 0 ? ids.length : firstData, 0, layer.id);
      state.layers.ids = ids;
    },
    /**
     * Moves a layer to `index` in the drawing order (0 = bottom, drawn first). The layer list
     * shows this order reversed: top first.
     */
    layerMoved(state, action: PayloadAction<{ id: string; index: number }>) {
      const { id, index } = action.payload;
      const ids = state.layers.ids.filter((other) => other !== id);
      if (ids.length === state.layers.ids.length) return;
      ids.splice(clamp(Math.round(index), 0, ids.length), 0, id);
      state.layers.ids = ids;
    },
    layerUpdated(state, action: PayloadAction<LayerUpdate>) {
      const { id, style, ...changes } = action.payload;
      const layer = state.layers.entities[id];
      if (!layer) return;
      Object.assign(layer, changes);
      if (style) Object.assign(layer.style, style);
      // A hidden layer's feature is not selected any more: its card goes with it.
      if (changes.visible === false && state.selected?.layerId === id) state.selected = null;
      if (changes.visible === false && state.browsing === id) state.browsing = null;
    },
    layerRemoved(state, action: PayloadAction<string>) {
      layersAdapter.removeOne(state.layers, action.payload);
      if (state.selected?.layerId === action.payload) state.selected = null;
      if (state.browsing === action.payload) state.browsing = null;
    },
    featureSelected(state, action: PayloadAction<SelectedFeature>) {
      state.selected = action.payload;
    },
    selectionCleared(state) {
      state.selected = null;
    },
    /** The keyboard steps through a visible layer's features in view (see FeatureBrowser). */
    featureBrowsingStarted(state, action: PayloadAction<string>) {
      if (state.layers.entities[action.payload]?.visible) state.browsing = action.payload;
    },
    featureBrowsingEnded(state) {
      state.browsing = null;
    },
    mapClicked(state, action: PayloadAction<{ longitude: number; latitude: number }>) {
      state.lastClick = { ...action.payload, seq: (state.lastClick?.seq ?? 0) + 1 };
    },
  },
  extraReducers: (builder) => {
    // Logged out (here or in another tab): what the user drew goes; the view and basemap stay.
    builder.addCase(userDataCleared, (state) => {
      layersAdapter.removeAll(state.layers);
      state.selected = null;
      state.browsing = null;
      state.lastClick = null;
    });
  },
  selectors: {
    selectViewState: (state) => state.viewState,
    selectMapSize: (state) => state.size,
    selectBasemap: (state) => state.basemap,
    selectBasemapNotice: (state) => state.basemapNotice,
    selectLastClick: (state) => state.lastClick,
    selectSelectedFeature: (state) => state.selected,
    selectBrowsingLayerId: (state) => state.browsing,
  },
});

export const {
  viewStateChanged,
  mapResized,
  basemapSelected,
  basemapFailed,
  basemapNoticeDismissed,
  layerAdded,
  layerUpdated,
  layerRemoved,
  layerMoved,
  mapClicked,
  featureSelected,
  selectionCleared,
  featureBrowsingStarted,
  featureBrowsingEnded,
} = mapSlice.actions;
export const {
  selectViewState,
  selectMapSize,
  selectBasemap,
  selectBasemapNotice,
  selectLastClick,
  selectSelectedFeature,
  selectBrowsingLayerId,
} = mapSlice.selectors;

const layerSelectors = layersAdapter.getSelectors((state: { map: MapState }) => state.map.layers);
export const selectAllLayers = layerSelectors.selectAll;
export const selectLayerById = layerSelectors.selectById;
export const selectLayerCount = layerSelectors.selectTotal;
