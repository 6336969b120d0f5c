/**
 * What a widget can do with a column, from its SQL type as the warehouse names it (DuckDB's
 * VARCHAR/BIGINT/DATE, BigQuery's STRING/INT64/FLOAT64/TIMESTAMP, Postgres', Snowflake's):
 * numbers are summed, binned and ranged; texts are categories; dates are time series.
 */
import { isInternalColumn } from '../../map/featureFormat';
import type { WidgetSpec } from '../widgetSpecs';

export type ColumnKind = 'number' | 'text' | 'date' | 'other';

export interface Column {
  name: string;
  type: string;
}

function columnKind(type: string): ColumnKind {
  const t = type.toUpperCase();
  if (/GEOM|GEOG|BLOB|BYTES|STRUCT|ARRAY|MAP|JSON|\[\]/.test(t)) return 'other';
  if (/DATE|TIME/.test(t)) return 'date';
  if (/INT|FLOAT|DOUBLE|DECIMAL|NUMERIC|REAL|NUMBER|HUGEINT/.test(t)) return 'number';
  if (/CHAR|STRING|TEXT|BOOL/.test(t)) return 'text';
  return 'other';
}

/** The columns a widget may use, by kind (ids and internals left out). */
export function columnsByKind(columns: readonly Column[]): Record<ColumnKind, string[]> {
  const out: Record<ColumnKind, string[]> = { number: [], text: [], date: [], other: [] };
  for (const column of columns)
    if (!isInternalColumn(column.name)) out[columnKind(column.type)].push(column.name);
  return out;
}

/** An id for a new widget of a panel, unlike the ones it has. */
export function nextWidgetId(panel: readonly WidgetSpec[]): string {
  const used = new Set(panel.map((spec) => spec.id));
  let n = panel.length + 1;
  while (used.has(`w${n}`)) n++;
  return `w${n}`;
}

/** Text columns whose values are mostly one per feature. */
const PER_FEATURE = /(^|_)(name|title|label|address|description|id)$/i;

/**
 * A first panel for a dataset, from its schema: how many features are in view, then the first
 * text column as categories, the first numeric one as a histogram and the first date as a
 * time series (those it has).
 */
export function defaultWidgets(columns: readonly Column[]): WidgetSpec[] {
  const kinds = columnsByKind(columns);
  const specs: WidgetSpec[] = [
    { id: 'w1', type: 'formula', title: 'Features', operation: 'count' },
  ];
  // Names, titles and ids have a category per feature: a poor first choice of categories.
  const categorical = kinds.text.filter((name) => !PER_FEATURE.test(name));
  const [text] = categorical.length > 0 ? categorical : kinds.text;
  const [number] = kinds.number;
  const [date] = kinds.date;
  if (text)
    specs.push({ id: 'w2', type: 'category', title: text, column: text, operation: 'count' });
  if (number)
    specs.push({
      id: 'w3',
      type: 'histogram',
      title: `${number} distribution`,
      column: number,
      bins: 10,
    });
  if (date)
    specs.push({
      id: 'w4',
      type: 'timeseries',
      title: `${date} by year`,
      column: date,
      step: 'year',
      operation: 'count',
    });
  return specs;
}
