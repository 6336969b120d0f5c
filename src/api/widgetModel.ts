/**
 * Widget data through @carto/api-client's widget models (the SQL model API): the server
 * aggregates, the browser only draws. Loaded on demand with the library, like the sources.
 */
import {
  WidgetQuerySource,
  WidgetTableSource,
  type CategoryResponse,
  type FormulaResponse,
  type HistogramResponse,
  type RangeResponse,
  type ScatterResponse,
  type TableResponse,
  type TimeSeriesResponse,
} from '@carto/api-client';
import type { WidgetArgs } from './widgetArgs';
import { retryTransient } from './transientRetry';

/** What each model answers. */
export interface WidgetResponses {
  formula: FormulaResponse;
  category: CategoryResponse;
  histogram: HistogramResponse;
  range: RangeResponse;
  scatter: ScatterResponse;
  table: TableResponse;
  timeseries: TimeSeriesResponse;
}

/** The viewport as the models' spatial filter; none when it spans the whole world. */
function spatialFilter(viewport: WidgetArgs['viewport']) {
  if (!viewport) return undefined;
  const [west, south, east, north] = viewport;
  const box = (w: number, e: number) => [
    [
      [w, south],
      [e, south],
      [e, north],
      [w, north],
      [w, south],
    ],
  ];
  // West > east: the view crosses the antimeridian, two boxes either side of it.
  return west > east
    ? { type: 'MultiPolygon' as const, coordinates: [box(west, 180), box(-180, east)] }
    : { type: 'Polygon' as const, coordinates: box(west, east) };
}

export async function runWidget(
  args: WidgetArgs,
  credentials: { accessToken: string; apiBaseUrl: string },
  signal: AbortSignal,
): Promise<WidgetResponses[WidgetArgs['model']]> {
  const { source } = args;
  const props = {
    accessToken: credentials.accessToken,
    apiBaseUrl: credentials.apiBaseUrl,
    connectionName: source.connection,
    ...(source.spatialDataColumn ? { spatialDataColumn: source.spatialDataColumn } : {}),
  };
  let widgets: WidgetTableSource | WidgetQuerySource;
  if (source.type === 'table')
    widgets = new WidgetTableSource({ ...props, tableName: source.data });
  else if (source.type === 'query')
    widgets = new WidgetQuerySource({
      ...props,
      sqlQuery: source.data,
      ...(source.queryParameters ? { queryParameters: source.queryParameters } : {}),
    });
  else throw new RangeError(`Widgets need a table or query source, not "${source.type}".`);

  const spatial = spatialFilter(args.viewport);
  const common = { filters: args.filters, signal, ...(spatial ? { spatialFilter: spatial } : {}) };
  // A read: tried again when the server is briefly unavailable or the connection dropped.
  return retryTransient(() => ask(widgets, args, common), signal);
}

type Common = {
  filters: WidgetArgs['filters'];
  signal: AbortSignal;
  spatialFilter?: ReturnType<typeof spatialFilter>;
};

function ask(
  widgets: WidgetTableSource | WidgetQuerySource,
  args: WidgetArgs,
  common: Common,
): Promise<WidgetResponses[WidgetArgs['model']]> {
  switch (args.model) {
    case 'formula':
      return widgets.getFormula({ ...args.params, ...common });
    case 'category':
      return widgets.getCategories({ ...args.params, ...common });
    case 'histogram':
      return widgets.getHistogram({ ...args.params, ...common });
    case 'range':
      return widgets.getRange({ ...args.params, ...common });
    case 'scatter':
      return widgets.getScatter({ ...args.params, ...common });
    case 'table':
      return widgets.getTable({ ...args.params, ...common });
    case 'timeseries':
      return widgets.getTimeSeries({ ...args.params, ...common });
  }
}
