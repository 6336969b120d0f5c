import { WidgetPanel } from '../../features/widgets/ui/WidgetPanel';
import type { WidgetSpec } from '../../features/widgets/widgetSpecs';
import { STORES_SOURCE } from '../../data/sources';

/** The Stores view's widgets, over the stores in view. */
const STORES_WIDGETS: readonly WidgetSpec[] = [
  { id: 'stores-count', type: 'formula', title: 'Stores', operation: 'count' },
  {
    id: 'stores-revenue',
    type: 'formula',
    title: 'Revenue',
    operation: 'sum',
    column: 'revenue',
    currency: 'USD',
  },
  {
    id: 'stores-type',
    type: 'category',
    title: 'Store type',
    column: 'store_type',
    operation: 'count',
  },
  {
    id: 'stores-revenue-histogram',
    type: 'histogram',
    title: 'Revenue per store',
    column: 'revenue',
    bins: 10,
  },
  {
    id: 'stores-opened',
    type: 'timeseries',
    title: 'Stores opened',
    column: 'opened_at',
    step: 'year',
    operation: 'count',
  },
  { id: 'stores-size', type: 'range', title: 'Store size (m²)', column: 'size_m2' },
  {
    id: 'stores-size-revenue',
    type: 'scatter',
    title: 'Size and revenue',
    xColumn: 'size_m2',
    yColumn: 'revenue',
  },
  {
    id: 'stores-table',
    type: 'table',
    title: 'Stores in view',
    columns: ['name', 'store_type', 'revenue'],
  },
];

/** The stores in view, summarised; clicking a widget filters the map and the other widgets. */
export default function StoresWidgets() {
  return (
    <WidgetPanel
      sourceId={STORES_SOURCE.id}
      label="Store widgets"
      subject="the stores"
      widgets={STORES_WIDGETS}
    />
  );
}
