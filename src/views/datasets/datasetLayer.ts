import type { TilejsonResult } from '@carto/api-client';
import type { LayerKind, LayerStyle, RGBA } from '../../features/map/mapSlice';
import type { SourceDescriptor } from '../../features/sources/sourcesSlice';
import type { DatasetInfo } from '../../api/datasetsModel';
import { quoteIdentifier } from '../../../protocol/sql';
import { magnitudeThresholds } from '../../features/map/layers/classBreaks';
import { CLUSTER_COUNT } from '../../features/map/layers/clusterStyle';

/** CARTOColors "Vivid": one colour per dataset layer, in the order they are added. */
const DATASET_COLORS: RGB[] = [
  [229, 134, 6],
  [93, 105, 177],
  [82, 188, 163],
  [153, 201, 69],
  [204, 97, 176],
  [36, 121, 108],
  [218, 165, 27],
  [47, 138, 196],
  [118, 78, 159],
  [237, 100, 90],
  [204, 58, 142],
];

type RGB = [number, number, number];
const withAlpha = ([r, g, b]: RGB, alpha: number): RGBA => [r, g, b, alpha];
const darker = ([r, g, b]: RGB): RGB => [
  Math.round(r * 0.6),
  Math.round(g * 0.6),
  Math.round(b * 0.6),
];

/**
 * A first style per geometry type, in the colour the layer's position gives it (the n-th
 * dataset layer on the map gets the n-th colour), so two datasets never look alike.
 */
export function defaultStyle(geometryType: string | null, colorIndex = 0): LayerStyle {
  const color = DATASET_COLORS[colorIndex % DATASET_COLORS.length] ?? [3, 111, 226];
  if (geometryType?.includes('Polygon'))
    return {
      fillColor: withAlpha(color, 90),
      lineColor: withAlpha(darker(color), 255),
      lineWidth: 1,
    };
  if (geometryType?.includes('Line')) return { lineColor: withAlpha(color, 255), lineWidth: 2 };
  return {
    fillColor: withAlpha(color, 220),
    lineColor: [255, 255, 255, 200],
    pointRadius: 3,
    lineWidth: 0.5,
  };
}

/** Dataset kinds the map can draw, and the layer each one becomes. */
const LAYER_KIND: Record<string, LayerKind | undefined> = {
  geo: 'vector',
  quadbin: 'quadbin',
  h3: 'h3',
};

export const layerKindOf = (dataset: DatasetInfo): LayerKind | null =>
  LAYER_KIND[dataset.spatialDataType] ?? null;

const isNumeric = (type: string) => /int|double|float|decimal|numeric|real/i.test(type);

/**
 * How a spatial-index dataset is aggregated into coarser cells: the sum of every numeric
 * column (the cell column aside), coloured by the first one; a count when there is none.
 */
export function aggregationFor(dataset: DatasetInfo): { expression: string; colorColumn: string } {
  const index = dataset.spatialDataType;
  const numeric = dataset.columns.filter((c) => c.name !== index && isNumeric(c.type));
  if (numeric.length === 0) return { expression: 'COUNT(*) AS count', colorColumn: 'count' };
  return {
    expression: numeric
      .map((c) => `SUM(${quoteIdentifier(c.name)}) AS ${quoteIdentifier(c.name)}`)
      .join(', '),
    colorColumn: numeric[0]?.name ?? 'count',
  };
}

/** The source descriptor of a dataset, or null when it cannot be drawn. */
export function datasetSource(dataset: DatasetInfo): SourceDescriptor | null {
  const base = {
    id: `dataset:${dataset.id}`,
    connection: dataset.connection,
    data: dataset.tableName,
  };
  switch (layerKindOf(dataset)) {
    case 'vector':
      return { ...base, type: 'table' };
    case 'quadbin':
      return {
        ...base,
        type: 'quadbin-table',
        spatialDataColumn: 'quadbin',
        aggregationExp: aggregationFor(dataset).expression,
      };
    case 'h3':
      return {
        ...base,
        type: 'h3-table',
        spatialDataColumn: 'h3',
        aggregationExp: aggregationFor(dataset).expression,
      };
    default:
      return null;
  }
}

/** The finest cells points are counted in before clustering (about 150 m). */
const CLUSTER_RESOLUTION = 18;

/** Whether a dataset's features are points (which can be shown as clusters). */
export const isPointDataset = (dataset: DatasetInfo) =>
  dataset.spatialDataType === 'geo' && (dataset.geometryType ?? '').includes('Point');

/**
 * A point dataset counted per quadbin cell by the API, for a cluster layer: a query source
 * whose SQL turns each point into its cell (the CARTO Analytics Toolbox's
 * QUADBIN_FROMGEOGPOINT), aggregated to each tile's cells on the fly.
 */
export function clusterSource(dataset: DatasetInfo): SourceDescriptor {
  // A plain name as is (every warehouse reads it so); any other quoted part by part.
  const plain = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(dataset.tableName);
  const table = plain
    ? dataset.tableName
    : dataset.tableName.split('.').map(quoteIdentifier).join('.');
  return {
    id: `dataset:${dataset.id}:clusters`,
    type: 'quadbin-query',
    connection: dataset.connection,
    data: `SELECT QUADBIN_FROMGEOGPOINT(geom, ${CLUSTER_RESOLUTION}) AS quadbin FROM ${table}`,
    spatialDataColumn: 'quadbin',
    aggregationExp: `COUNT(*) AS ${CLUSTER_COUNT}`,
  };
}

/** CARTOColors "Sunset", light to dark. */
const SEQUENTIAL_COLORS: RGBA[] = [
  [243, 231, 155, 210],
  [250, 196, 132, 210],
  [248, 160, 126, 210],
  [235, 127, 134, 210],
  [206, 102, 147, 210],
  [160, 89, 160, 210],
  [92, 83, 165, 210],
];

/** The style of a spatial-index layer, from the value range its TileJSON reports. */
export function spatialIndexStyle(
  tilejson: Pick<TilejsonResult, 'tilestats'>,
  column: string,
): LayerStyle {
  const attributes = tilejson.tilestats.layers[0]?.attributes ?? [];
  const stats = attributes.find((a) => a.attribute === column) as { max?: unknown } | undefined;
  const thresholds = magnitudeThresholds(Number(stats?.max), SEQUENTIAL_COLORS.length);
  return {
    colorBins: {
      column,
      thresholds,
      colors: SEQUENTIAL_COLORS.slice(SEQUENTIAL_COLORS.length - thresholds.length - 1),
    },
    opacity: 0.85,
  };
}
