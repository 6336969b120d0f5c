/**
 * What a widget panel shows, as plain JSON: each widget's kind, column(s) and options. Views
 * declare their widgets this way (the Stores view), and the widget builder edits such a list
 * for any dataset and keeps it in the map link; the panel (ui/WidgetPanel.tsx) draws it.
 */
import type { WidgetParams } from '../../api/widgetArgs';

export type Aggregation = WidgetParams['formula']['operation'];
export type TimeStep = 'year' | 'month' | 'week' | 'day';

interface Base {
  /** Unique in its panel: the owner of the filters the widget sets. */
  id: string;
  title: string;
}

export type WidgetSpec = Base &
  (
    | {
        type: 'formula';
        operation: Aggregation;
        column?: string;
        /** ISO 4217 code: the value is money in that currency. */
        currency?: string;
      }
    | { type: 'category'; column: string; operation: Aggregation; operationColumn?: string }
    | { type: 'pie'; column: string; operation: Aggregation; operationColumn?: string }
    | { type: 'histogram'; column: string; bins: number }
    | {
        type: 'timeseries';
        column: string;
        step: TimeStep;
        operation: Aggregation;
        operationColumn?: string;
      }
    | { type: 'range'; column: string }
    | { type: 'scatter'; xColumn: string; yColumn: string }
    | { type: 'table'; columns: string[] }
  );
