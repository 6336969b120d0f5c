import { ClusterTileLayer } from '@deck.gl/carto';
import type { Color } from '@deck.gl/core';
import { tileLayerProps, type LayerFactory } from './layerFactories';
import { DEFAULT_FILL } from './layerStyle';
import { CLUSTER_COUNT, clusterLabel, clusterRadius } from './clusterStyle';

interface Cluster {
  properties: { count: number };
}

/**
 * Points drawn as clusters: the API aggregates them to quadbin cells (a count per cell), and
 * deck.gl's ClusterTileLayer merges neighbouring cells into circles sized and labelled by how
 * many points they hold. A chunk of its own, loaded with the first cluster layer.
 */
export const cluster: LayerFactory = (config, data, events) => {
  const { id, visible, opacity, loadOptions, onTileError } = tileLayerProps(config, data, events);
  const fill = config.style.fillColor ?? DEFAULT_FILL;
  return new ClusterTileLayer({
    id,
    data,
    visible,
    opacity,
    loadOptions,
    onTileError,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 210, 0, 255],
    getWeight: (cell: { properties: Record<string, unknown> }) =>
      Number(cell.properties[CLUSTER_COUNT]) || 0,
    pointType: 'circle+text',
    getFillColor: fill as Color,
    getLineColor: [255, 255, 255, 230],
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 1.5,
    pointRadiusUnits: 'pixels',
    getPointRadius: (d: Cluster) => clusterRadius(d.properties.count),
    getText: (d: Cluster) => clusterLabel(d.properties.count),
    getTextColor: [255, 255, 255, 255],
    getTextSize: 12,
    textFontWeight: 700,
    updateTriggers: { getFillColor: [config.style.fillColor] },
  });
};
