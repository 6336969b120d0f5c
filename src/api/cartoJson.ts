import type { CartoCredentials } from '../../protocol/oauthTypes';

export type Fetcher = (url: string, init?: RequestInit) => Promise<Response>;

export class CartoRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'CartoRequestError';
  }
}

/**
 * GETs a CARTO API URL as JSON with the credentials' Bearer token. A non-2xx answer becomes a
 * CartoRequestError with CARTO's `error` text. Pass `createCartoFetch(store)` as `fetcher` to
 * get the latest token and one renewal on 401.
 */
export async function cartoJson<T>(
  url: string,
  {
    credentials,
    signal,
    fetcher = fetch,
  }: { credentials: CartoCredentials; signal?: AbortSignal; fetcher?: Fetcher },
): Promise<T> {
  const response = await fetcher(url, {
    headers: { Authorization: `Bearer ${credentials.accessToken}` },
    ...(signal ? { signal } : {}),
  });
  const body = (await response.json().catch(() => null)) as { error?: string } | null;
  if (!response.ok) {
    throw new CartoRequestError(
      body?.error ?? `CARTO answered ${response.status}`,
      response.status,
    );
  }
  return body as T;
}
