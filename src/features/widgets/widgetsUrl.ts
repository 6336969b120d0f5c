/**
 * The widgets' part of the map link: the filters they set (`filters=`) and the panels the user
 * built (`widgets=`), each the base64url of UTF-8 JSON keyed by source id, after the map's own
 * parts (src/features/map/mapUrl.ts). A filtered view, or a dataset with its widgets, is a link
 * that can be shared. A lazy chunk, loaded only when there are filters or panels to write or a
 * link that has them.
 *
 * Untrusted input, like the rest of the link: every filter and widget is validated, what is
 * invalid is dropped with one warning naming it, and the rest applies. Filters are data
 * (values, never SQL): they reach the API as JSON it validates itself.
 */
import * as v from 'valibot';
import {
  apiColumn,
  between,
  describeIssues,
  fromBase64Url,
  list,
  text,
  toBase64Url,
} from '../map/mapUrl';
import type { Filters } from './filters';
import type { WidgetsState } from './widgetsSlice';
import type { WidgetSpec } from './widgetSpecs';

const MAX_SOURCES = 50;
const MAX_PARAM = 50_000;

// Only the valibot schemas the first screen already has (object, strictObject, array,
// picklist, ...): valibot is one module, and a schema used here would otherwise be bundled on
// the first screen with the configuration's.
const owner = v.optional(text(1, 200));
const finite = between(-1e15, 1e15);
const interval = v.strictTuple([finite, finite], 'must be [from, to]');
const intervals = v.strictObject({ values: list(interval, 50), owner });
const flag = v.optional(v.boolean('must be true or false'));
const filterSchema = v.strictObject({
  in: v.optional(v.strictObject({ values: list(v.unknown(), 500), owner })),
  between: v.optional(intervals),
  closed_open: v.optional(intervals),
  time: v.optional(intervals),
  stringSearch: v.optional(
    v.strictObject({
      values: list(text(0, 500), 50),
      params: v.optional(
        v.strictObject({
          useRegExp: flag,
          mustStart: flag,
          mustEnd: flag,
          caseSensitive: flag,
          keepSpecialCharacters: flag,
        }),
      ),
      owner,
    }),
  ),
});
type FilterOut = v.InferOutput<typeof filterSchema>;

/** A column's filters, or why not: `in` takes texts or numbers, one kind at a time. */
function parseFilter(raw: unknown): FilterOut | string {
  const result = v.safeParse(filterSchema, raw);
  if (!result.success) return describeIssues(result.issues);
  const values = result.output.in?.values;
  if (values && !v.is(list(text(0, 500), 500), values) && !v.is(list(finite, 500), values))
    return 'in.values must be a list of texts or of numbers';
  return result.output;
}

const aggregation = v.picklist(['count', 'avg', 'min', 'max', 'sum'], 'must be an aggregation');
const kind = <T extends string>(type: T) => v.picklist([type]);
const base = { id: text(1, 100), title: text(0, 200) };
const grouped = (type: 'category' | 'pie') =>
  v.strictObject({
    ...base,
    type: kind(type),
    column: apiColumn,
    operation: aggregation,
    operationColumn: v.optional(apiColumn),
  });
/** Each widget type's schema. */
const specSchemas = {
  formula: v.strictObject({
    ...base,
    type: kind('formula'),
    operation: aggregation,
    column: v.optional(apiColumn),
    currency: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'must be a currency code'))),
  }),
  category: grouped('category'),
  pie: grouped('pie'),
  histogram: v.strictObject({
    ...base,
    type: kind('histogram'),
    column: apiColumn,
    bins: v.pipe(between(2, 50), v.integer('must be an integer')),
  }),
  timeseries: v.strictObject({
    ...base,
    type: kind('timeseries'),
    column: apiColumn,
    step: v.picklist(['day', 'week', 'month', 'year'], 'must be day, week, month or year'),
    operation: aggregation,
    operationColumn: v.optional(apiColumn),
  }),
  range: v.strictObject({ ...base, type: kind('range'), column: apiColumn }),
  scatter: v.strictObject({
    ...base,
    type: kind('scatter'),
    xColumn: apiColumn,
    yColumn: apiColumn,
  }),
  table: v.strictObject({ ...base, type: kind('table'), columns: list(apiColumn, 20) }),
} as const satisfies Record<WidgetSpec['type'], v.GenericSchema>;

/** A widget spec, or why not. */
function parseSpec(raw: unknown): WidgetSpec | string {
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(specSchemas, type))
    return `type must be one of ${Object.keys(specSchemas).join(', ')}`;
  const result = v.safeParse(specSchemas[type as WidgetSpec['type']], raw);
  return result.success ? result.output : describeIssues(result.issues);
}

/** What the schemas accept are widget specs (checked by the compiler). */
type Assert<T extends true> = T;
/** @public Exported so that the compiler evaluates it. */
export type SpecCheck = Assert<
  [v.InferOutput<(typeof specSchemas)[keyof typeof specSchemas]>] extends [WidgetSpec]
    ? true
    : false
>;

function encodeParam(name: string, value: Record<string, unknown>): string {
  return Object.keys(value).length > 0 ? `&${name}=${toBase64Url(JSON.stringify(value))}` : '';
}

/** `&filters=...&widgets=...` for what the widgets hold ('' when they hold nothing). */
export function encodeWidgetsHash(widgets: WidgetsState): string {
  const panels = Object.fromEntries(
    Object.entries(widgets.panels).filter(([, specs]) => specs.length > 0),
  );
  return encodeParam('filters', widgets.filters) + encodeParam('widgets', panels);
}

/** The entries of a `filters=` or `widgets=` value, by source id; problems go to `ignored`. */
function decodeParam(name: string, value: string | undefined, ignored: string[]) {
  if (value === undefined) return [];
  if (value.length > MAX_PARAM) {
    ignored.push(`${name} (longer than ${MAX_PARAM} characters)`);
    return [];
  }
  try {
    const json: unknown = JSON.parse(fromBase64Url(value));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error();
    const entries = Object.entries(json as Record<string, unknown>);
    if (entries.length > MAX_SOURCES)
      ignored.push(`${name} of ${entries.length - MAX_SOURCES} sources beyond ${MAX_SOURCES}`);
    return entries.slice(0, MAX_SOURCES).filter(([sourceId]) => {
      const ok = v.is(text(1, 200), sourceId);
      if (!ok) ignored.push(`${name} of a source with an invalid id`);
      return ok;
    });
  } catch {
    ignored.push(`${name} (not base64url-encoded JSON of sources)`);
    return [];
  }
}

/**
 * The widgets' state a link gives: its valid filters and panels. Invalid parts are left out and
 * named in one `console.warn`. Never throws.
 */
export function decodeWidgetsLink(
  link: { filters?: string; widgets?: string },
  warn: (message: string) => void = console.warn,
): WidgetsState {
  const ignored: string[] = [];
  const state: WidgetsState = { filters: {}, panels: {} };
  for (const [sourceId, raw] of decodeParam('filters', link.filters, ignored)) {
    const name = `filters of ${JSON.stringify(sourceId)}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      ignored.push(`${name} (must be an object of columns)`);
      continue;
    }
    const filters: Filters = {};
    for (const [column, value] of Object.entries(raw as Record<string, unknown>).slice(0, 200)) {
      const filter = v.is(apiColumn, column) ? parseFilter(value) : 'is not a plain column name';
      if (typeof filter === 'string')
        ignored.push(`${name}, column ${JSON.stringify(column)} (${filter})`);
      else if (Object.keys(filter).length > 0) filters[column] = filter as Filters[string];
    }
    if (Object.keys(filters).length > 0) state.filters[sourceId] = filters;
  }
  for (const [sourceId, raw] of decodeParam('widgets', link.widgets, ignored)) {
    const items = v.safeParse(list(v.unknown(), 30), raw);
    if (!items.success) {
      ignored.push(`widgets of ${JSON.stringify(sourceId)} (${describeIssues(items.issues)})`);
      continue;
    }
    const specs: WidgetSpec[] = [];
    for (const item of items.output) {
      const spec = parseSpec(item);
      if (typeof spec === 'string')
        ignored.push(`a widget of ${JSON.stringify(sourceId)} (${spec})`);
      else if (specs.some((other) => other.id === spec.id))
        ignored.push(`a second widget ${JSON.stringify(spec.id)}`);
      else specs.push(spec);
    }
    if (specs.length > 0) state.panels[sourceId] = specs;
  }
  if (ignored.length > 0)
    warn(`Parts of the map link's widgets were ignored: ${ignored.slice(0, 20).join('; ')}.`);
  return state;
}
