import type { CategoryResponse } from '@carto/api-client';
import { useAppDispatch, useAppSelector } from '../../../store/hooks';
import { filterAdded, filterRemoved } from '../widgetsSlice';

/**
 * The categories of `column` that widget `id` filters its source by (an `in` filter it owns),
 * and how to change them: what category and pie widgets share.
 */
export function useCategorySelection(sourceId: string, id: string, column: string) {
  const dispatch = useAppDispatch();
  const own = useAppSelector((state) => state.widgets.filters[sourceId]?.[column]?.in);
  const selected = new Set(
    own?.owner === id ? (own.values as (string | number)[]).map(String) : [],
  );
  const setSelection = (values: string[]) => {
    if (values.length === 0) dispatch(filterRemoved({ sourceId, column, owner: id }));
    else dispatch(filterAdded({ sourceId, column, type: 'in', values, owner: id }));
  };
  const toggle = (name: string) => {
    const next = new Set(selected);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    setSelection([...next]);
  };
  return { selected, setSelection, toggle };
}

/** How many categories the server sends one by one (the rest arrive as one "others" value). */
export const CATEGORY_LIMIT = 100;
/** @carto/api-client's name for the "others" entry it appends. */
const OTHERS_NAME = '_carto_others';

/**
 * A category answer as widgets draw it: the named categories, largest first, and the total of
 * the ones the server grouped as "others" (0 when it sent them all).
 */
export function splitCategories(data: CategoryResponse | undefined) {
  const named = (data ?? [])
    .filter((entry) => entry.name !== OTHERS_NAME)
    .sort((a, b) => b.value - a.value);
  const others = (data ?? []).find((entry) => entry.name === OTHERS_NAME)?.value ?? 0;
  return { named, others };
}
