import { useMemo } from 'react';
import { skipToken } from '@reduxjs/toolkit/query';
import { useAppSelector } from '../../store/hooks';
import { sourceRequest, useWidgetQuery, type CartoQueryError } from '../../api/cartoApi';
import { useAbortSuperseded } from '../../api/useAbortSuperseded';
import type { WidgetArgs, WidgetModel, WidgetParams } from '../../api/widgetArgs';
import type { WidgetResponses } from '../../api/widgetModel';
import { selectSourceById } from '../sources/sourcesSlice';
import { selectOAuthCredentials } from '../oauth/oauthSlice';
import { selectViewportBounds } from '../map/viewport';
import { getApplicableFilters, type Filters } from './filters';

const NO_FILTERS: Filters = {};

type WidgetStatus = 'idle' | 'loading' | 'success' | 'error';

export interface WidgetResult<M extends WidgetModel> {
  /** The latest answer; while newer arguments load, the previous answer (status `loading`). */
  data: WidgetResponses[M] | undefined;
  status: WidgetStatus;
  error: CartoQueryError | undefined;
  refetch: () => void;
}

/**
 * A widget's data: `model` with `params` over the source `sourceId`, with the filters the
 * other widgets set on it (never its own: `id` is its owner name) and the view the map settled
 * on. Requests go out once the map settles (the store's view is written then), a superseded
 * one is aborted, and answers are cached by all of it, so panning back reuses them.
 */
export function useWidget<M extends WidgetModel>(
  sourceId: string,
  id: string,
  model: M,
  params: WidgetParams[M],
  {
    viewportFilter = true,
    enabled = true,
  }: {
    /** Whether the view the map shows filters the data (it does by default). */
    viewportFilter?: boolean;
    /** False while what the request needs is not known yet (e.g. a histogram's range). */
    enabled?: boolean;
  } = {},
): WidgetResult<M> {
  const descriptor = useAppSelector((state) => selectSourceById(state, sourceId));
  const loggedIn = useAppSelector(selectOAuthCredentials) !== null;
  const filters = useAppSelector((state) => state.widgets.filters[sourceId] ?? NO_FILTERS);
  const viewport = useAppSelector(selectViewportBounds);
  const paramsKey = JSON.stringify(params);

  // Until the map has measured itself, what is in view is not known: asking then would answer
  // for the whole table, shown as "in view" until the map catches up.
  const waitingForMap = viewportFilter && viewport === undefined;

  const args = useMemo((): WidgetArgs | typeof skipToken => {
    if (!enabled || waitingForMap || !descriptor || (!loggedIn && !descriptor.credentials))
      return skipToken;
    return {
      source: sourceRequest(descriptor),
      model,
      params: JSON.parse(paramsKey) as WidgetParams[M],
      filters: getApplicableFilters(id, filters),
      viewport: viewportFilter ? (viewport ?? null) : null,
    } as WidgetArgs;
  }, [
    descriptor,
    enabled,
    filters,
    id,
    loggedIn,
    model,
    paramsKey,
    viewport,
    viewportFilter,
    waitingForMap,
  ]);

  const query = useWidgetQuery(args);
  useAbortSuperseded('widget', args);
  const status: WidgetStatus =
    query.isFetching || (waitingForMap && enabled)
      ? 'loading'
      : query.isError
        ? 'error'
        : query.data !== undefined
          ? 'success'
          : 'idle';
  return {
    data: query.data as WidgetResponses[M] | undefined,
    status,
    error: query.error as CartoQueryError | undefined,
    refetch: () => {
      if (args !== skipToken) void query.refetch();
    },
  };
}
