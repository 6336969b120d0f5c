/**
 * The one data layer: every CARTO API call the views make goes through these endpoints, which
 * cache answers by their arguments, drop stale ones and hand the views loading and error
 * states. Each endpoint calls a plain model function (usable outside React) with the one
 * authenticated fetch: the store's token as a Bearer header, one renewal and retry on a 401.
 *
 * Injected into the store when this module loads (from the workspace chunk), so the first
 * screen does not carry RTK Query.
 */
import { createApi, fakeBaseQuery, type BaseQueryApi } from '@reduxjs/toolkit/query/react';
import type { TilejsonResult } from '@carto/api-client';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { createAction, type Middleware, type WithSlice } from '@reduxjs/toolkit';
import { dynamicMiddleware, rootReducer, type RootState } from '../store/store';
import type { CartoCredentials } from '../../protocol/oauthTypes';
import { loggedOut, loginSucceeded, selectOAuthCredentials } from '../features/oauth/oauthSlice';
import { selectSourceById, type FilteredSource } from '../features/sources/sourcesSlice';
import {
  createCartoFetch,
  NotLoggedInError,
  storeTokenSource,
  withRenewal,
  type TokenSource,
} from './cartoFetch';
import { CartoRequestError, type ModelContext } from './cartoJson';
import { getDatasetSchema, listDatasets, type DatasetInfo } from './datasetsModel';
import type { IsochroneArgs } from './isochroneModel';
import type { GeocodeArgs, GeocodedPlace } from './geocodingModel';
import type { SqlArgs, SqlResult } from './sqlModel';
import type { NamedSource, SaveNamedSourceArgs } from './namedSourcesModel';
import type { WidgetArgs, WidgetModel } from './widgetArgs';
import type { WidgetResponses } from './widgetModel';

/** Why a request failed, as plain data (the store keeps it). */
export interface CartoQueryError {
  /** The HTTP status, or what went wrong before there was one. */
  status: number | 'NOT_LOGGED_IN' | 'FETCH_ERROR' | 'ABORTED' | 'BAD_INPUT' | 'UNKNOWN';
  message: string;
}

/** A source's TileJSON without its token or widget helpers: what the cache may hold. */
export type SourceTilejson = Omit<TilejsonResult, 'accessToken'>;

/**
 * What `createSource` takes: a descriptor without a token of its own, so no token ends up in
 * the cache's arguments. A source's own credentials are read from the sources slice by its id.
 */
export type SourceRequest = Omit<FilteredSource, 'credentials'>;

export function sourceRequest(descriptor: FilteredSource): SourceRequest {
  const request: Partial<FilteredSource> = { ...descriptor };
  delete request.credentials;
  return request as SourceRequest;
}

/** @carto/api-client reports HTTP failures as errors that carry the response. */
function httpStatusOf(error: unknown): number | null {
  if (error instanceof CartoRequestError) return error.status;
  const status = (error as { response?: { status?: unknown } } | null)?.response?.status;
  return typeof status === 'number' ? status : null;
}

function toQueryError(error: unknown): CartoQueryError {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof NotLoggedInError) return { status: 'NOT_LOGGED_IN', message };
  if ((error as { name?: unknown } | null)?.name === 'AbortError')
    return { status: 'ABORTED', message: 'The request was cancelled.' };
  if (error instanceof RangeError) return { status: 'BAD_INPUT', message };
  const status = httpStatusOf(error);
  if (status !== null) return { status, message };
  if (error instanceof TypeError)
    return { status: 'FETCH_ERROR', message: `Could not reach CARTO (${message}).` };
  return { status: 'UNKNOWN', message };
}

/** The logged-in user's credentials, or a NotLoggedInError. */
function currentCredentials(api: BaseQueryApi): CartoCredentials {
  const credentials = selectOAuthCredentials(api.getState() as RootState);
  if (!credentials) throw new NotLoggedInError();
  return credentials;
}

/** Runs a model with the request's abort signal and the store's authenticated fetch. */
async function callModel<T>(
  api: BaseQueryApi,
  model: (context: ModelContext) => Promise<T>,
): Promise<{ data: T } | { error: CartoQueryError }> {
  try {
    const credentials = currentCredentials(api);
    return {
      data: await model({ credentials, signal: api.signal, fetch: createCartoFetch(api) }),
    };
  } catch (error) {
    return { error: toQueryError(error) };
  }
}

/**
 * Instantiates a CARTO source (the Maps API call and its TileJSON) with @carto/api-client,
 * with the same renewal on a 401 as every other call. The library is loaded on demand: it
 * belongs with the map, not the side panel.
 */
/**
 * Runs a call made with a source's token: the source's own credentials when it has them,
 * otherwise the logged-in user's, renewed once on a 401 like every other CARTO call.
 */
function withSourceToken<T>(
  request: SourceRequest,
  api: BaseQueryApi,
  run: (credentials: CartoCredentials) => Promise<T>,
): Promise<T> {
  // A source with credentials of its own keeps them in the sources slice, not in the request.
  const own = selectSourceById(api.getState() as RootState, request.id)?.credentials;
  const source: TokenSource = own ? { token: () => own.accessToken } : storeTokenSource(api);
  const apiBaseUrl = own?.apiBaseUrl ?? currentCredentials(api).apiBaseUrl;
  return withRenewal(
    source,
    (accessToken) => run({ accessToken, apiBaseUrl }),
    (outcome) => 'error' in outcome && httpStatusOf(outcome.error) === 401,
  );
}

async function createSource(request: SourceRequest, api: BaseQueryApi): Promise<SourceTilejson> {
  const { toCartoSource } = await import('../features/sources/cartoSources');
  const own = selectSourceById(api.getState() as RootState, request.id)?.credentials;
  const descriptor: FilteredSource = { ...request, ...(own ? { credentials: own } : {}) };
  const result = await withSourceToken(request, api, (credentials) =>
    toCartoSource(descriptor, credentials),
  );
  // Neither the token (it is renewed) nor the widget helpers (class instances) are cached.
  const tilejson: Partial<TilejsonResult & { widgetSource: unknown }> = { ...result };
  delete tilejson.accessToken;
  delete tilejson.widgetSource;
  return tilejson as SourceTilejson;
}

/** The widget models' module, once loaded. */
let widgetModel: typeof import('./widgetModel') | undefined;

/** How long a widget's answer for one set of arguments stays cached (panning back reuses it). */
const WIDGET_CACHE_SECONDS = 300;

export const cartoApi = createApi({
  reducerPath: 'cartoApi',
  baseQuery: fakeBaseQuery<CartoQueryError>(),
  // Named sources by name ('LIST': the list): saving or deleting one asks again for what used it.
  tagTypes: ['NamedSource'],
  // A renewed token changes no argument: nothing cached is fetched again.
  endpoints: (build) => ({
    /** Connections and the tables the user may read in each. */
    listDatasets: build.query<DatasetInfo[], undefined>({
      queryFn: (_arg, api) => callModel(api, (context) => listDatasets(context)),
    }),
    /** One table's description and columns. */
    datasetSchema: build.query<DatasetInfo, { connection: string; tableName: string }>({
      queryFn: (arg, api) => callModel(api, (context) => getDatasetSchema(arg, context)),
    }),
    /** The area reachable from a point (LDS isolines). */
    isolines: build.query<FeatureCollection<Polygon | MultiPolygon>, IsochroneArgs>({
      // Models of one view each load with their first call, not with the side panel.
      queryFn: (arg, api) =>
        callModel(api, async (context) =>
          (await import('./isochroneModel')).isochroneModel(arg, context),
        ),
    }),
    /** Places matching an address (LDS geocoding). */
    geocode: build.query<GeocodedPlace[], GeocodeArgs>({
      queryFn: (arg, api) =>
        callModel(api, async (context) =>
          (await import('./geocodingModel')).geocodeModel(arg, context),
        ),
    }),
    /** Rows of a query, through the SQL API. */
    sql: build.query<SqlResult, SqlArgs>({
      queryFn: (arg, api) =>
        callModel(api, async (context) => (await import('./sqlModel')).sqlModel(arg, context)),
      providesTags: (_result, _error, arg) => [{ type: 'NamedSource', id: arg.q.trim() }],
    }),
    /** The named sources the user may use (names that stand for SQL kept by CARTO). */
    namedSources: build.query<NamedSource[], undefined>({
      queryFn: (_arg, api) =>
        callModel(api, async (context) =>
          (await import('./namedSourcesModel')).listNamedSources(context),
        ),
      providesTags: [{ type: 'NamedSource', id: 'LIST' }],
    }),
    /** Saves the query as a named source (new, or the user's own replaced). */
    saveNamedSource: build.mutation<NamedSource, SaveNamedSourceArgs>({
      queryFn: (arg, api) =>
        callModel(api, async (context) =>
          (await import('./namedSourcesModel')).saveNamedSource(arg, context),
        ),
      invalidatesTags: (_result, error, arg) =>
        error
          ? []
          : [
              { type: 'NamedSource', id: 'LIST' },
              { type: 'NamedSource', id: arg.name },
            ],
    }),
    deleteNamedSource: build.mutation<undefined, string>({
      queryFn: (name, api) =>
        callModel(api, async (context) => {
          await (await import('./namedSourcesModel')).deleteNamedSource(name, context);
          return undefined;
        }),
      invalidatesTags: (_result, error, name) =>
        error
          ? []
          : [
              { type: 'NamedSource', id: 'LIST' },
              { type: 'NamedSource', id: name },
            ],
    }),
    /**
     * A widget's data (@carto/api-client's widget models, aggregated by the server), keyed by
     * source, model, options, the filters that apply to it and the viewport.
     */
    widget: build.query<WidgetResponses[WidgetModel], WidgetArgs>({
      queryFn: async (args, api) => {
        try {
          // Once loaded, used as is: a dynamic import resolves in a task of its own, which a busy
          // page (a render after a pan) would delay past the request it is needed for.
          const { runWidget } = (widgetModel ??= await import('./widgetModel'));
          const data = await withSourceToken(args.source, api, (credentials) =>
            runWidget(args, credentials, api.signal),
          );
          return { data };
        } catch (error) {
          return { error: toQueryError(error) };
        }
      },
      keepUnusedDataFor: WIDGET_CACHE_SECONDS,
      providesTags: (_result, _error, args) =>
        args.source.type === 'query' ? [{ type: 'NamedSource', id: args.source.data.trim() }] : [],
    }),
    /** A source's TileJSON (the Maps API step), keyed by its descriptor (without a token). */
    createSource: build.query<SourceTilejson, SourceRequest>({
      queryFn: async (descriptor, api) => {
        try {
          return { data: await createSource(descriptor, api) };
        } catch (error) {
          return { error: toQueryError(error) };
        }
      },
      // A query source may be a named source's name: its SQL can change under it.
      providesTags: (_result, _error, descriptor) =>
        descriptor.type === 'query' ? [{ type: 'NamedSource', id: descriptor.data.trim() }] : [],
    }),
  }),
});

export const {
  useListDatasetsQuery,
  useIsolinesQuery,
  useCreateSourceQuery,
  useLazyCreateSourceQuery,
  useWidgetQuery,
} = cartoApi;

declare module '../store/store' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- adds the slice to the store's state type
  export interface LazyLoadedSlices extends WithSlice<typeof cartoApi> {}
}

/**
 * Cached answers belong to one user: they go at logout, and when another user logs in (in
 * this tab or another). A renewed token for the same user keeps them.
 */
const forgetOtherUsersData: Middleware<object, RootState> = (api) => (next) => (action) => {
  const before = api.getState().oauth.session?.user?.id ?? null;
  const result = next(action);
  const after = api.getState().oauth.session?.user?.id ?? null;
  const switched = loginSucceeded.match(action) && before !== null && before !== after;
  if (loggedOut.match(action) || switched) api.dispatch(cartoApi.util.resetApiState());
  return result;
};

rootReducer.inject(cartoApi);
dynamicMiddleware.addMiddleware(cartoApi.middleware, forgetOtherUsersData);

export const isCartoApiReady = (state: RootState) => state.cartoApi !== undefined;

/**
 * For a store made before this module loaded: any action creates the injected slice's state
 * (the middleware is already there, added above for every store).
 */
export const dataLayerAttached = createAction('cartoApi/attached');
