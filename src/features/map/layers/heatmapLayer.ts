import { HeatmapTileLayer } from '@deck.gl/carto';
import type { Color } from '@deck.gl/core';
import { tileLayerProps, type LayerFactory } from './layerFactories';
import type { Feature } from './layerStyle';

/**
 * H3 or quadbin cells drawn as a heatmap, weighted by the column the layer is classed by, in
 * its class colours (low to high). A chunk of its own, loaded with the first heatmap.
 */
export const heatmap: LayerFactory = (config, data, events) => {
  const { colorBins } = config.style;
  const column = colorBins?.column;
  const { id, visible, opacity, loadOptions, onTileError } = tileLayerProps(config, data, events);
  return new HeatmapTileLayer({
    id,
    data,
    visible,
    opacity,
    loadOptions,
    onTileError,
    getWeight: (cell: Feature) => {
      const value = column ? Number(cell.properties?.[column]) : 1;
      return Number.isFinite(value) && value > 0 ? value : 0;
    },
    ...(colorBins ? { colorRange: colorBins.colors.map(([r, g, b]) => [r, g, b] as Color) } : {}),
    radiusPixels: 20,
  });
};
