import { QuadbinTileLayer, VectorTileLayer } from '@deck.gl/carto';
import { GeoJsonLayer } from '@deck.gl/layers';
import { MVTLoader } from '@loaders.gl/mvt';
import type { Layer } from '@deck.gl/core';
import type { TilejsonResult } from '@carto/api-client';
import type { GeoJSON } from 'geojson';
import type { LayerConfig, LayerKind } from '../mapSlice';
import { colorBins, colorCategories, DEFAULT_FILL, DEFAULT_LINE } from './layerStyle';
import { tileLoadOptions, type TileParsing } from './tileWorkers';

export { DEFAULT_FILL };

interface LayerEvents {
  onTileError: (error: unknown) => void;
  /** Where tiles are parsed: the app's own workers, or the main thread where they cannot run. */
  parsing: TileParsing;
  /** The selected feature's `idColumn` value when it is in this layer: drawn highlighted. */
  selectedId?: string | number | null;
}

export type LayerFactory = (
  config: LayerConfig,
  data: Promise<TilejsonResult>,
  events: LayerEvents,
) => Layer;

/** Fill colour: by category (`colorBy`), by class (`colorBins`), or the style's one colour. */
function fillColor(config: LayerConfig) {
  const { colorBy, colorBins: bins, fillColor: fill } = config.style;
  if (colorBy) return colorCategories(colorBy);
  if (bins) return colorBins(bins);
  return fill ?? DEFAULT_FILL;
}

/** What every CARTO tile layer here shares: picking, highlight, fill, where tiles parse. */
export const tileLayerProps = (
  config: LayerConfig,
  data: Promise<TilejsonResult>,
  events: LayerEvents,
) => ({
  id: config.id,
  data,
  visible: config.visible,
  pickable: true,
  autoHighlight: true,
  highlightColor: [255, 210, 0, 255] as number[],
  opacity: config.style.opacity ?? 1,
  getFillColor: fillColor(config),
  updateTriggers: {
    getFillColor: [config.style.colorBy, config.style.colorBins, config.style.fillColor],
    // Falling back to the main thread loads the tiles again, parsed there.
    getTileData: events.parsing,
  },
  loadOptions: tileLoadOptions(events.parsing),
  onTileError: events.onTileError,
});

const vector: LayerFactory = (config, data, events) =>
  new VectorTileLayer({
    ...tileLayerProps(config, data, events),
    getLineColor: config.style.lineColor ?? DEFAULT_LINE,
    getPointRadius: config.style.pointRadius ?? 3,
    pointRadiusUnits: 'pixels',
    getLineWidth: config.style.lineWidth ?? 1,
    lineWidthUnits: 'pixels',
    // Hover and selection highlight need a feature id that is the same in every tile.
    uniqueIdProperty: config.idColumn ?? '',
    highlightedFeatureId: events.selectedId ?? null,
    // MVTLoader parses in a worker when `loadOptions.worker` is on, on this thread otherwise
    // (MVTLayer's default, MVTWorkerLoader, cannot fall back).
    loaders: [MVTLoader],
  });

/**
 * Quadbin cells aggregated by the API (spatial-index tiles). The tile loader is registered by
 * @deck.gl/carto itself and picked by Content-Type; its worker is the app's copy too.
 */
const quadbin: LayerFactory = (config, data, events) =>
  new QuadbinTileLayer(tileLayerProps(config, data, events));

/** Inline GeoJSON (a model's result): `data` is the source descriptor's JSON text. */
export function geojsonLayer(config: LayerConfig, json: string): Layer {
  return new GeoJsonLayer({
    id: config.id,
    data: JSON.parse(json) as GeoJSON,
    visible: config.visible,
    pickable: true,
    opacity: config.style.opacity ?? 1,
    filled: true,
    stroked: true,
    getFillColor: config.style.fillColor ?? DEFAULT_FILL,
    getLineColor: config.style.lineColor ?? DEFAULT_LINE,
    getLineWidth: config.style.lineWidth ?? 2,
    lineWidthUnits: 'pixels',
  });
}

/**
 * Layer kinds drawn from CARTO sources, in this chunk. Others load when first drawn
 * (lazyLayers); kinds in neither are not drawable yet.
 */
export const LAYER_FACTORIES: Partial<Record<LayerKind, LayerFactory>> = { vector, quadbin };
