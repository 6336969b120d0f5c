/**
 * What a widget asks for, as plain JSON (the RTK Query cache key): the source (without
 * credentials), the model and its options, the filters that apply to it (the other widgets':
 * a widget never filters itself) and the viewport it summarises.
 */
import type { Filters } from '../features/widgets/filters';
import type { BBox } from '../../protocol/geojson';
import type { SourceRequest } from './cartoApi';

type Aggregation = 'count' | 'avg' | 'min' | 'max' | 'sum';

/** The options of each model (@carto/api-client's request options, JSON only). */
export interface WidgetParams {
  formula: { operation: Aggregation; column?: string };
  category: {
    column: string;
    operation: Aggregation;
    operationColumn?: string;
    /** The largest categories sent one by one; the rest come as one "others" value. */
    othersThreshold?: number;
  };
  histogram: { column: string; ticks: number[]; operation?: Aggregation };
  range: { column: string };
  scatter: { xAxisColumn: string; yAxisColumn: string };
  table: {
    columns: string[];
    sortBy?: string;
    sortDirection?: 'asc' | 'desc';
    offset?: number;
    limit?: number;
  };
  timeseries: {
    column: string;
    stepSize: 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';
    operation: Aggregation;
    operationColumn?: string;
  };
}

export type WidgetModel = keyof WidgetParams;

export type WidgetArgs = {
  [M in WidgetModel]: {
    source: SourceRequest;
    model: M;
    params: WidgetParams[M];
    filters: Filters;
    /** [west, south, east, north] in view, or null for no spatial filter. */
    viewport: BBox | null;
  };
}[WidgetModel];
