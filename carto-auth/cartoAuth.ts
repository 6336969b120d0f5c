/**
 * carto-auth for Node: CARTO tokens for scripts, ETL jobs and CI, like CARTO's Python package
 * (`CartoAuth.from_m2m`, `CartoAuth.from_oauth`), with the same token cache format.
 */
import { readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import {
  clientCredentials,
  finishAuthorization,
  startAuthorization,
  type OAuthClientConfig,
} from '../protocol/oauthClient';
import { OAuthFlowError } from '../protocol/oauthErrors';
import { startLoopback } from './loopback';
import {
  defaultCacheFile,
  readCachedToken,
  writeCachedToken,
  type CachedToken,
} from './tokenCache';

const CARTO_AUTH_SERVER = 'https://auth.carto.com';
const CARTO_AUDIENCE = 'carto-cloud-native-api';
export const DEFAULT_API_BASE_URL = 'https://gcp-us-east1.api.carto.com';

export class CartoAuthError extends Error {
  constructor(
    message: string,
    /** Process exit code for the CLI: 2 for bad input, 1 for a failed request. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CartoAuthError';
  }
}

/** The emulator serves auth and APIs on one origin; real CARTO authenticates at auth.carto.com. */
function authServerFor(apiBaseUrl: string): string {
  const { hostname, origin } = new URL(apiBaseUrl);
  return hostname === 'localhost' || hostname === '127.0.0.1' ? origin : CARTO_AUTH_SERVER;
}

export interface CartoCredentialsForClient {
  accessToken: string;
  apiBaseUrl: string;
}

interface CommonOptions {
  /** Where to cache the token; `false` turns the cache off. */
  cacheFile?: string | false;
  /** Authorization server (default: derived from the API base URL). */
  authServer?: string;
  now?: () => number;
  warn?: (message: string) => void;
}

export type M2MOptions = CommonOptions;

export interface OAuthOptions extends CommonOptions {
  clientId: string;
  apiBaseUrl?: string;
  scopes?: string[];
  organization?: string;
  port?: number;
  /** false: print the URL instead of opening a browser. */
  openBrowser?: boolean;
  /** Called with the URL to visit (printing or opening it). */
  onAuthorizationUrl?: (url: string) => void;
  timeoutMs?: number;
}

function describeFailure(error: unknown, server: string): CartoAuthError {
  if (error instanceof CartoAuthError) return error;
  if (error instanceof OAuthFlowError) {
    const parts = [error.serverCode, error.detail].filter(Boolean).join(': ');
    return new CartoAuthError(parts ? `${error.message} (${parts})` : error.message);
  }
  if (error instanceof TypeError) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return new CartoAuthError(
      `could not reach ${server}: ${cause?.code ?? cause?.message ?? error.message}`,
    );
  }
  return new CartoAuthError(error instanceof Error ? error.message : String(error));
}

async function readCredentialsFile(
  path: string,
): Promise<{ api_base_url: string; client_id: string; client_secret: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CartoAuthError(
      `cannot read the credentials file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      2,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CartoAuthError(`the credentials file ${path} is not valid JSON`, 2);
  }
  if (!json || typeof json !== 'object')
    throw new CartoAuthError(`the credentials file ${path} must hold a JSON object`, 2);
  const record = json as Record<string, unknown>;
  for (const key of ['api_base_url', 'client_id', 'client_secret']) {
    if (typeof record[key] !== 'string' || record[key] === '') {
      throw new CartoAuthError(`the credentials file ${path} is missing "${key}"`, 2);
    }
  }
  try {
    new URL(record.api_base_url as string);
  } catch {
    throw new CartoAuthError(`"api_base_url" in ${path} is not a URL`, 2);
  }
  return record as { api_base_url: string; client_id: string; client_secret: string };
}

function openInBrowser(url: string): boolean {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '""', url] : [url];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

export class CartoAuth {
  private constructor(
    private token: CachedToken,
    private readonly refresh: (() => Promise<CachedToken>) | null,
    private readonly now: () => number,
  ) {}

  /** Machine-to-machine: `{api_base_url, client_id, client_secret}` from a JSON file. */
  static async fromM2M(path: string, options: M2MOptions = {}): Promise<CartoAuth> {
    const credentials = await readCredentialsFile(path);
    const now = options.now ?? Date.now;
    const cacheFile = options.cacheFile ?? defaultCacheFile('m2m');
    const authServer = options.authServer ?? authServerFor(credentials.api_base_url);
    const fetchToken = async (): Promise<CachedToken> => {
      try {
        const tokens = await clientCredentials(
          {
            clientId: credentials.client_id,
            authorizationServer: authServer,
            audience: CARTO_AUDIENCE,
          },
          credentials.client_secret,
        );
        const token: CachedToken = {
          api_base_url: credentials.api_base_url,
          access_token: tokens.accessToken,
          expiration: Math.floor(now() / 1000) + (tokens.expiresIn ?? 86_400),
        };
        if (cacheFile) await writeCachedToken(cacheFile, token);
        return token;
      } catch (error) {
        throw describeFailure(error, authServer);
      }
    };
    const cached = cacheFile
      ? await readCachedToken(cacheFile, credentials.api_base_url, {
          now: now(),
          warn: options.warn,
        })
      : null;
    return new CartoAuth(cached ?? (await fetchToken()), fetchToken, now);
  }

  /** Authorization code + PKCE through a one-shot loopback callback server (RFC 8252). */
  static async fromOAuth(options: OAuthOptions): Promise<CartoAuth> {
    const apiBaseUrl = options.apiBaseUrl ?? DEFAULT_API_BASE_URL;
    const now = options.now ?? Date.now;
    const cacheFile = options.cacheFile ?? defaultCacheFile('oauth');
    const cached = cacheFile
      ? await readCachedToken(cacheFile, apiBaseUrl, { now: now(), warn: options.warn })
      : null;
    if (cached) return new CartoAuth(cached, null, now);

    const authServer = options.authServer ?? authServerFor(apiBaseUrl);
    const config: OAuthClientConfig = {
      clientId: options.clientId,
      authorizationServer: authServer,
      audience: CARTO_AUDIENCE,
      organization: options.organization ?? '',
      scopes: options.scopes ?? [
        'read:current_user',
        'read:connections',
        'datasets:metadata',
        'datasets:r:*',
      ],
      flow: 'pkce',
    };
    const loopback = await startLoopback({
      port: options.port ?? 10000,
      timeoutMs: options.timeoutMs,
    }).catch((error: unknown) => {
      throw new CartoAuthError(error instanceof Error ? error.message : String(error));
    });
    try {
      const pending = await startAuthorization(config, { redirectUri: loopback.redirectUri }).catch(
        (error: unknown) => {
          throw describeFailure(error, authServer);
        },
      );
      options.onAuthorizationUrl?.(pending.url);
      if (options.openBrowser !== false) openInBrowser(pending.url);
      const callback = await loopback.callback.catch((error: unknown) => {
        throw new CartoAuthError(error instanceof Error ? error.message : String(error));
      });
      let tokens;
      try {
        tokens = await finishAuthorization(config, callback, pending);
      } catch (error) {
        const failure = describeFailure(error, authServer);
        loopback.finish(false, failure.message);
        throw failure;
      }
      loopback.finish(true, 'carto-auth has your token.');
      const token: CachedToken = {
        api_base_url: apiBaseUrl,
        access_token: tokens.accessToken,
        expiration: Math.floor(now() / 1000) + (tokens.expiresIn ?? 3600),
      };
      if (cacheFile) await writeCachedToken(cacheFile, token);
      return new CartoAuth(token, null, now);
    } finally {
      await loopback.close();
    }
  }

  /** The access token; an expired M2M token is fetched again. */
  async getAccessToken(): Promise<string> {
    if (this.token.expiration - 60 <= Math.floor(this.now() / 1000) && this.refresh) {
      this.token = await this.refresh();
    }
    return this.token.access_token;
  }

  /** What @carto/api-client sources and query() need. */
  async getCredentials(): Promise<CartoCredentialsForClient> {
    return { accessToken: await this.getAccessToken(), apiBaseUrl: this.token.api_base_url };
  }

  get expiration(): number {
    return this.token.expiration;
  }
}
