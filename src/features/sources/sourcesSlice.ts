import { createEntityAdapter, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { CartoCredentials } from '../../../protocol/oauthTypes';
import { userDataCleared } from '../oauth/oauthSlice';
import type { Filters } from '../widgets/filters';

type SourceType =
  | 'table'
  | 'query'
  | 'tileset'
  | 'h3-table'
  | 'h3-query'
  | 'h3-tileset'
  | 'quadbin-table'
  | 'quadbin-query'
  /** Inline GeoJSON (a model's result, e.g. an isochrone); `data` is the JSON text. */
  | 'geojson';

/**
 * A plain, serializable description of a CARTO data source. It becomes a @carto/api-client
 * source (with the current credentials injected) only where a layer or widget needs it.
 */
export interface SourceDescriptor {
  id: string;
  type: SourceType;
  /** Connection name in CARTO (the emulator's demo connection is `carto_dw`). */
  connection: string;
  /** Table / tileset name, or SQL text for query sources. */
  data: string;
  columns?: string[];
  spatialDataColumn?: string;
  /** Values for the query's positional `?`, in order; a list (a multi-select) is one value. */
  queryParameters?: (string | number | boolean | (string | number | boolean)[])[];
  aggregationExp?: string;
  aggregationResLevel?: number;
  /** Own credentials; when absent the logged-in user's are injected. */
  credentials?: CartoCredentials;
}

/**
 * A source as a layer asks for it: with the widgets' filters on it (they are not part of the
 * descriptor: they live in the widgets slice), so the Maps API serves filtered tiles.
 */
export type FilteredSource = SourceDescriptor & { filters?: Filters };

const sourcesAdapter = createEntityAdapter<SourceDescriptor>();

export type SourceUpdate = Partial<Omit<SourceDescriptor, 'id'>> & { id: string };

export const sourcesSlice = createSlice({
  name: 'sources',
  initialState: sourcesAdapter.getInitialState(),
  reducers: {
    /** Adds a source, or replaces the one with the same id. */
    sourceAdded(state, action: PayloadAction<SourceDescriptor>) {
      sourcesAdapter.setOne(state, action.payload);
    },
    sourceUpdated(state, action: PayloadAction<SourceUpdate>) {
      const { id, ...changes } = action.payload;
      sourcesAdapter.updateOne(state, { id, changes });
    },
    sourceRemoved(state, action: PayloadAction<string>) {
      sourcesAdapter.removeOne(state, action.payload);
    },
  },
  extraReducers: (builder) => {
    // Logged out: sources read with the user's token go; those with their own credentials stay.
    builder.addCase(userDataCleared, (state) => {
      const users = Object.values(state.entities).filter((source) => !source.credentials);
      sourcesAdapter.removeMany(
        state,
        users.map((source) => source.id),
      );
    });
  },
});

/** @public The sources' actions, named for what happened. */
export const { sourceAdded, sourceUpdated, sourceRemoved } = sourcesSlice.actions;
/** @public CARTO for React's names for the same actions, kept for developers coming from it. */
export { sourceAdded as addSource, sourceUpdated as updateSource, sourceRemoved as removeSource };

const adapterSelectors = sourcesAdapter.getSelectors(
  (state: { sources: ReturnType<typeof sourcesSlice.getInitialState> }) => state.sources,
);
export const selectAllSources = adapterSelectors.selectAll;
export const selectSourceById = adapterSelectors.selectById;
