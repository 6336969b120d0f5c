import { createSelector, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { userDataCleared } from '../oauth/oauthSlice';
import {
  addFilter,
  getApplicableFilters,
  removeFilter,
  type AddFilterOptions,
  type Filters,
  type RemoveFilterOptions,
} from './filters';

type WidgetStatus = 'idle' | 'loading' | 'success' | 'error';

export interface WidgetState {
  status: WidgetStatus;
  error: string | null;
}

export interface WidgetsState {
  /** Filters per source id, in the @carto/api-client `Filters` shape. */
  filters: Record<string, Filters>;
  widgets: Record<string, WidgetState>;
}

const initialState: WidgetsState = { filters: {}, widgets: {} };

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
    widgetLoadingStarted(state, action: PayloadAction<string>) {
      state.widgets[action.payload] = { status: 'loading', error: null };
    },
    widgetLoadingSucceeded(state, action: PayloadAction<string>) {
      state.widgets[action.payload] = { status: 'success', error: null };
    },
    widgetLoadingFailed(state, action: PayloadAction<{ id: string; error: string }>) {
      state.widgets[action.payload.id] = { status: 'error', error: action.payload.error };
    },
    widgetRemoved(state, action: PayloadAction<string>) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- keyed by widget id
      delete state.widgets[action.payload];
    },
  },
  extraReducers: (builder) => {
    // Logged out: filters on the user's data go with it.
    builder.addCase(userDataCleared, () => initialState);
  },
  selectors: {
    selectWidgetState: (state, id: string): WidgetState =>
      state.widgets[id] ?? { status: 'idle', error: null },
  },
});

export const {
  filterAdded,
  filterRemoved,
  filtersCleared,
  widgetLoadingStarted,
  widgetLoadingSucceeded,
  widgetLoadingFailed,
  widgetRemoved,
} = widgetsSlice.actions;
export const { selectWidgetState } = widgetsSlice.selectors;

const EMPTY: Filters = {};

/** All filters of a source. */
export const selectSourceFilters = (state: { widgets: WidgetsState }, sourceId: string) =>
  state.widgets.filters[sourceId] ?? EMPTY;

/**
 * The filters a widget should apply to its own query: everything on the source except what the
 * widget itself set, so a category widget keeps showing the categories it filters by.
 */
export const selectApplicableFilters = createSelector(
  [selectSourceFilters, (_state: unknown, _sourceId: string, owner?: string) => owner],
  (filters, owner) => (owner ? getApplicableFilters(owner, filters) : filters),
);
