import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { userDataCleared } from '../oauth/oauthSlice';
import {
  addFilter,
  removeFilter,
  type AddFilterOptions,
  type Filters,
  type RemoveFilterOptions,
} from './filters';
import type { WidgetSpec } from './widgetSpecs';

export interface WidgetsState {
  /** Filters per source id, in the @carto/api-client `Filters` shape. */
  filters: Record<string, Filters>;
  /** Widgets the user built per source id (the Datasets view's panels), in order. */
  panels: Record<string, WidgetSpec[]>;
}

const initialState: WidgetsState = { filters: {}, panels: {} };

export type FilterAddedPayload = AddFilterOptions & { sourceId: string };
export type FilterRemovedPayload = RemoveFilterOptions & { sourceId: string };

export const widgetsSlice = createSlice({
  name: 'widgets',
  initialState,
  reducers: {
    /** Adds (or replaces) the filter of a column and type; `owner` is the widget that set it. */
    filterAdded(state, action: PayloadAction<FilterAddedPayload>) {
      const { sourceId, ...options } = action.payload;
      // The filter helpers mutate the object they get: here that is an Immer draft.
      addFilter((state.filters[sourceId] ??= {}), options);
    },
    /** Removes a column's filters; with `owner`, only those that widget set. */
    filterRemoved(state, action: PayloadAction<FilterRemovedPayload>) {
      const { sourceId, ...options } = action.payload;
      const filters = state.filters[sourceId];
      if (!filters) return;
      removeFilter(filters, options);
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- keyed by source id
      if (Object.keys(filters).length === 0) delete state.filters[sourceId];
    },
    filtersCleared(state, action: PayloadAction<string>) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- keyed by source id
      delete state.filters[action.payload];
    },
    /** Adds a widget at the end of a source's panel (unless its id is there already). */
    widgetAdded(state, action: PayloadAction<{ sourceId: string; spec: WidgetSpec }>) {
      const { sourceId, spec } = action.payload;
      const panel = (state.panels[sourceId] ??= []);
      // Ids are unique in a panel: adding one twice (e.g. a panel's first widgets) adds it once.
      if (!panel.some((other) => other.id === spec.id)) panel.push(spec);
    },
    /** Removes a widget from its panel, and the filters it set. */
    widgetRemoved(state, action: PayloadAction<{ sourceId: string; id: string }>) {
      const { sourceId, id } = action.payload;
      const panel = state.panels[sourceId]?.filter((spec) => spec.id !== id) ?? [];
      state.panels[sourceId] = panel;
      const filters = state.filters[sourceId];
      for (const column of Object.keys(filters ?? {}))
        removeFilter(filters ?? {}, { column, owner: id });
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- keyed by source id
      if (filters && Object.keys(filters).length === 0) delete state.filters[sourceId];
    },
    /** Moves a widget to `index` in its panel. */
    widgetMoved(state, action: PayloadAction<{ sourceId: string; id: string; index: number }>) {
      const { sourceId, id, index } = action.payload;
      const panel = state.panels[sourceId];
      const from = panel?.findIndex((spec) => spec.id === id) ?? -1;
      if (!panel || from < 0) return;
      const [spec] = panel.splice(from, 1);
      if (spec) panel.splice(Math.max(0, Math.min(index, panel.length)), 0, spec);
    },
  },
  extraReducers: (builder) => {
    // Logged out: filters and panels on the user's data go with it.
    builder.addCase(userDataCleared, () => initialState);
  },
});

export const {
  filterAdded,
  filterRemoved,
  filtersCleared,
  widgetAdded,
  widgetRemoved,
  widgetMoved,
} = widgetsSlice.actions;
