import { useEffect, useRef } from 'react';
import { skipToken } from '@reduxjs/toolkit/query';
import { useAppDispatch } from '../store/hooks';
import { cartoApi } from './cartoApi';

type Endpoints = typeof cartoApi.endpoints;
type QueryName =
  'listDatasets' | 'datasetSchema' | 'isolines' | 'geocode' | 'sql' | 'createSource' | 'widget';
type QueryArg<E extends QueryName> = Parameters<Endpoints[E]['initiate']>[0];

/**
 * RTK Query keeps a request running when a component moves on to other arguments (it only
 * unsubscribes). Next to a `useXQuery(arg)`, this aborts the request for the previous
 * arguments if it is still running: a newer click or setting cancels the one in flight, and
 * so does leaving the view. The abort waits a tick, so a remount with the same arguments
 * (React's StrictMode) keeps its request.
 */
export function useAbortSuperseded<E extends QueryName>(
  endpoint: E,
  arg: QueryArg<E> | typeof skipToken,
): void {
  const dispatch = useAppDispatch();
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  // Query arguments are plain JSON: the key is the value the effect needs, not an identity.
  const key = arg === skipToken ? null : JSON.stringify(arg);

  useEffect(() => {
    if (key === null) return;
    const current = JSON.parse(key) as QueryArg<'isolines'>;
    const pending = timers.current;
    clearTimeout(pending.get(key));
    pending.delete(key);
    return () => {
      const timer = setTimeout(() => {
        pending.delete(key);
        // Typed per endpoint by the caller's signature; the util's overloads need one name.
        const running = dispatch(
          cartoApi.util.getRunningQueryThunk(endpoint as 'isolines', current),
        );
        running?.abort();
      }, 0);
      pending.set(key, timer);
    };
  }, [dispatch, endpoint, key]);
}
