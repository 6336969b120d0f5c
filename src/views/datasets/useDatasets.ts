import { useCallback, useEffect, useMemo, useState } from 'react';
import { useAppDispatch, useAppSelector, useAppStore } from '../../store/hooks';
import { selectOAuthCredentials } from '../../features/oauth/oauthSlice';
import { createCartoFetch } from '../../api/cartoFetch';
import { listDatasets, type DatasetInfo } from '../../api/datasetsModel';

export type DatasetsState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'success'; datasets: DatasetInfo[] }
  | { status: 'error'; error: string };

/**
 * Loads the user's datasets when logged in. A load answers for one key (API URL + attempt):
 * a stale answer is ignored and aborted; `retry` loads again.
 */
export function useDatasets() {
  const store = useAppStore();
  const dispatch = useAppDispatch();
  const credentials = useAppSelector(selectOAuthCredentials);
  const apiBaseUrl = credentials?.apiBaseUrl ?? null;
  const [attempt, setAttempt] = useState(0);
  const key = apiBaseUrl ? `${apiBaseUrl}#${attempt}` : null;
  const [result, setResult] = useState<{ key: string; state: DatasetsState } | null>(null);
  const fetcher = useMemo(
    () => createCartoFetch({ getState: () => store.getState(), dispatch }),
    [store, dispatch],
  );

  useEffect(() => {
    if (!key || !apiBaseUrl) return;
    const controller = new AbortController();
    // The token is read when the request starts, not a dependency (a renewal must not refetch);
    // cartoFetch then sends the latest one and renews once on a 401.
    listDatasets({
      credentials: {
        accessToken: selectOAuthCredentials(store.getState())?.accessToken ?? '',
        apiBaseUrl,
      },
      signal: controller.signal,
      fetcher,
    }).then(
      (datasets) => setResult({ key, state: { status: 'success', datasets } }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setResult({
          key,
          state: { status: 'error', error: error instanceof Error ? error.message : String(error) },
        });
      },
    );
    return () => controller.abort();
  }, [key, apiBaseUrl, fetcher, store]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const state: DatasetsState = !key
    ? { status: 'idle' }
    : result?.key === key
      ? result.state
      : { status: 'loading' };
  return { state, retry, loggedIn: key !== null };
}
