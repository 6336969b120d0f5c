import type { CategoryResponse } from '@carto/api-client';
import type { WidgetParams } from '../../../api/widgetArgs';
import { useAppDispatch, useAppSelector } from '../../../store/hooks';
import { useWidget } from '../useWidget';
import { filterAdded, filterRemoved } from '../widgetsSlice';

/**
 * The categories of `column` that widget `id` filters its source by (an `in` filter it owns),
 * and how to change them: what category and pie widgets share.
 */
function useCategorySelection(sourceId: string, id: string, column: string) {
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
const CATEGORY_LIMIT = 100;
/** @carto/api-client's name for the "others" entry it appends. */
const OTHERS_NAME = '_carto_others';

/**
 * A category answer as widgets draw it: the named categories, largest first, and the total of
 * the ones the server grouped as "others" (0 when it sent them all).
 */
function splitCategories(data: CategoryResponse | undefined) {
  const named = (data ?? [])
    .filter((entry) => entry.name !== OTHERS_NAME)
    .sort((a, b) => b.value - a.value);
  const others = (data ?? []).find((entry) => entry.name === OTHERS_NAME)?.value ?? 0;
  return { named, others };
}

/** What category and pie widgets take. */
export interface CategoryWidgetProps {
  id: string;
  sourceId: string;
  title: string;
  params: WidgetParams['category'];
  /** Categories (bars or slices) shown before "Others". */
  top?: number;
}

/**
 * A category widget's data and selection: the model's answer for the largest categories, split
 * into the named ones (largest first) and the server's "others" total, and the categories the
 * widget filters by.
 */
export function useCategoryWidget({ id, sourceId, params }: CategoryWidgetProps) {
  const widget = useWidget(sourceId, id, 'category', {
    ...params,
    othersThreshold: CATEGORY_LIMIT,
  });
  return {
    widget,
    ...splitCategories(widget.data),
    ...useCategorySelection(sourceId, id, params.column),
  };
}
