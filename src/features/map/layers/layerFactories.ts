import { VectorTileLayer } from '@deck.gl/carto';
import { MVTLoader } from '@loaders.gl/mvt';
import type { Layer } from '@deck.gl/core';
import type { TilejsonResult } from '@carto/api-client';
import type { LayerConfig, LayerKind, RGBA } from '../mapSlice';

/**
 * Tiles are parsed on the main thread: loaders.gl's workers load from a CDN by default, which
 * is unreachable offline (and a CSP would have to allow it). The main-thread parser has to be
 * named too: MVTLayer's default loader (MVTWorkerLoader) only parses in a worker.
 */
export const TILE_LOAD_OPTIONS = { worker: false } as const;

export const DEFAULT_FILL: RGBA = [3, 111, 226, 200];
export const DEFAULT_LINE: RGBA = [255, 255, 255, 220];

export interface LayerEvents {
  onTileError: (error: unknown) => void;
}

export type LayerFactory = (
  config: LayerConfig,
  data: Promise<TilejsonResult>,
  events: LayerEvents,
) => Layer;

const vector: LayerFactory = (config, data, events) =>
  new VectorTileLayer({
    id: config.id,
    data,
    visible: config.visible,
    pickable: true,
    opacity: config.style.opacity ?? 1,
    getFillColor: config.style.fillColor ?? DEFAULT_FILL,
    getLineColor: config.style.lineColor ?? DEFAULT_LINE,
    getPointRadius: config.style.pointRadius ?? 3,
    pointRadiusUnits: 'pixels',
    getLineWidth: config.style.lineWidth ?? 1,
    lineWidthUnits: 'pixels',
    loaders: [MVTLoader],
    loadOptions: TILE_LOAD_OPTIONS,
    onTileError: events.onTileError,
  });

/** Layer kinds the map can draw. Kinds not listed here are not drawable yet. */
export const LAYER_FACTORIES: Partial<Record<LayerKind, LayerFactory>> = { vector };
