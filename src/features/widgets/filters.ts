/**
 * Filter-set operations in the exact shape @carto/api-client uses (`Record<column, Filter>`),
 * written here instead of imported: @carto/api-client ships as one pre-bundled module that
 * bundlers cannot tree-shake, and the store is on the first screen (JS budget: 100 KB gzip).
 * tests/unit/widgets/filters.test.ts checks these against the library's own helpers.
 */

/** Values per filter type, as @carto/api-client's `Filter` defines them. */
interface FilterValues {
  in: { values: number[] | string[] };
  /** [a, b], both included. */
  between: { values: number[][] };
  /** [a, b), a included, b not. */
  closed_open: { values: number[][] };
  time: { values: number[][] };
  stringSearch: { values: string[]; params?: Record<string, boolean | undefined> };
}

type FilterTypeName = keyof FilterValues;
type Filter = { [T in FilterTypeName]?: FilterValues[T] & { owner?: string } };
export type Filters = Record<string, Filter>;

const FILTER_TYPES: readonly FilterTypeName[] = [
  'in',
  'between',
  'closed_open',
  'time',
  'stringSearch',
];

export type AddFilterOptions = {
  [T in FilterTypeName]: { column: string; type: T; owner?: string } & FilterValues[T];
}[FilterTypeName];

export interface RemoveFilterOptions {
  column: string;
  owner?: string;
}

/** Sets the filter of `column` and `type`, replacing any previous one. Mutates `filters`. */
export function addFilter(filters: Filters, options: AddFilterOptions): Filters {
  const { column, type, ...rest } = options;
  const columnFilters = (filters[column] ??= {}) as Record<string, unknown>;
  columnFilters[type] = rest;
  return filters;
}

/** Removes a column's filters; with `owner`, only those that owner set. Mutates `filters`. */
export function removeFilter(filters: Filters, { column, owner }: RemoveFilterOptions): Filters {
  const filter = filters[column] as Record<string, { owner?: string } | undefined> | undefined;
  if (!filter) return filters;
  if (owner) {
    for (const type of FILTER_TYPES) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- keyed by filter type
      if (filter[type]?.owner === owner) delete filter[type];
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- keyed by column name
  if (!owner || Object.keys(filter).length === 0) delete filters[column];
  return filters;
}

/** The filters `owner` should apply to its own query: all but the ones it set itself. */
export function getApplicableFilters(owner: string | undefined, filters: Filters): Filters {
  const applicable: Filters = {};
  for (const [column, filter] of Object.entries(filters)) {
    const kept = Object.fromEntries(
      Object.entries(filter).filter(
        ([type, entry]) =>
          FILTER_TYPES.includes(type as FilterTypeName) && (!owner || entry.owner !== owner),
      ),
    ) as Filter;
    if (Object.keys(kept).length > 0) applicable[column] = kept;
  }
  return applicable;
}
