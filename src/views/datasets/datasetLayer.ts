import type { TilejsonResult } from '@carto/api-client';
import type { LayerKind, LayerStyle, RGBA } from '../../features/map/mapSlice';
import type { SourceDescriptor } from '../../features/sources/sourcesSlice';
import type { DatasetInfo } from '../../api/datasetsModel';
import { quoteIdentifier } from '../../../protocol/sql';

const POINT_STYLE: LayerStyle = {
  fillColor: [3, 111, 226, 220],
  lineColor: [255, 255, 255, 200],
  pointRadius: 3,
  lineWidth: 0.5,
};
const POLYGON_STYLE: LayerStyle = {
  fillColor: [71, 219, 153, 90],
  lineColor: [20, 120, 80, 255],
  lineWidth: 1,
};
const LINE_STYLE: LayerStyle = { lineColor: [230, 80, 40, 255], lineWidth: 2 };

/** A sensible first style per geometry type. */
export function defaultStyle(geometryType: string | null): LayerStyle {
  if (geometryType?.includes('Polygon')) return POLYGON_STYLE;
  if (geometryType?.includes('Line')) return LINE_STYLE;
  return POINT_STYLE;
}

/** Dataset kinds the map can draw, and the layer each one becomes. */
const LAYER_KIND: Record<string, LayerKind | undefined> = { geo: 'vector', quadbin: 'quadbin' };

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
    default:
      return null;
  }
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

/**
 * Class breaks by orders of magnitude up to `max` (sums over cells span several), at most as
 * many classes as there are colours; e.g. max 3,000,000 -> [10, 100, ..., 1,000,000].
 */
export function magnitudeThresholds(max: number, classes = SEQUENTIAL_COLORS.length): number[] {
  if (!Number.isFinite(max) || max <= 1) return [];
  const top = Math.floor(Math.log10(max));
  const first = Math.max(1, top - (classes - 2));
  const thresholds: number[] = [];
  for (let power = first; power <= top; power++) thresholds.push(10 ** power);
  return thresholds;
}

/** The style of a spatial-index layer, from the value range its TileJSON reports. */
export function spatialIndexStyle(
  tilejson: Pick<TilejsonResult, 'tilestats'>,
  column: string,
): LayerStyle {
  const attributes = tilejson.tilestats.layers[0]?.attributes ?? [];
  const stats = attributes.find((a) => a.attribute === column) as { max?: unknown } | undefined;
  const thresholds = magnitudeThresholds(Number(stats?.max));
  return {
    colorBins: {
      column,
      thresholds,
      colors: SEQUENTIAL_COLORS.slice(SEQUENTIAL_COLORS.length - thresholds.length - 1),
    },
    opacity: 0.85,
  };
}
