import type { CartoCredentials } from '../../protocol/oauthTypes';
import { bearerFetch, type CartoFetch } from './cartoFetch';

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
 * What every model module takes besides its arguments. `fetch` defaults to one that sends
 * `credentials.accessToken`; the app's data layer passes one that renews the token on a 401.
 */
export interface ModelContext {
  credentials: CartoCredentials;
  signal?: AbortSignal;
  fetch?: CartoFetch;
}

/** An absolute URL under the credentials' API base URL, with query parameters. */
export function apiUrl(
  credentials: CartoCredentials,
  path: string,
  params: Record<string, string> = {},
): string {
  // Relative to the base URL's path: a base such as https://host/api keeps its /api.
  const url = new URL(path.replace(/^\//, ''), `${credentials.apiBaseUrl.replace(/\/$/, '')}/`);
  url.search = new URLSearchParams(params).toString();
  return url.href;
}

/**
 * Requests a CARTO API URL as JSON. A non-2xx answer becomes a CartoRequestError with CARTO's
 * `error` text.
 */
export async function cartoJson<T>(
  url: string,
  context: ModelContext,
  init: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown } = {},
): Promise<T> {
  const send =
    context.fetch ?? bearerFetch({ token: () => context.credentials.accessToken || null });
  const response = await send(url, {
    method: init.method ?? 'GET',
    headers: {
      Accept: 'application/json',
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  if (!response.ok) {
    const text = typeof body?.error === 'string' ? body.error : `CARTO answered ${response.status}`;
    throw new CartoRequestError(text, response.status);
  }
  return body as T;
}
