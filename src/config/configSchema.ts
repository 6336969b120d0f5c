/**
 * The one description of the app's configuration: its shape and rules (`configSchema`; the types in
 * configTypes.ts are inferred from it) and the `VITE_*` variables that override parts of it
 * (`ENV_VARIABLES`, each mapped to a path in the schema). `.env.example` documents the same list;
 * a test keeps the two in step.
 *
 * Valibot rather than zod: this module is on the first screen, and for this schema valibot's
 * modular functions weigh 2 kB gzip against zod/mini's 7 kB.
 */
import * as v from 'valibot';

const httpUrl = v.pipe(
  v.string(),
  v.url('must be an http(s) URL'),
  v.regex(/^https?:\/\//i, 'must be an http(s) URL'),
);
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  v.picklist(values, `must be one of ${values.map((value) => `"${value}"`).join(', ')}`);
const between = (min: number, max: number) => {
  const error = `must be between ${min} and ${max}`;
  return v.pipe(v.number(), v.minValue(min, error), v.maxValue(max, error));
};
const scope = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_:.*\-/]+$/, 'contains characters a scope cannot have'),
);

export const configSchema = v.object({
  appName: v.pipe(v.string(), v.minLength(1, 'must not be empty')),
  oauth: v.object({
    clientId: v.string(),
    scopes: v.array(scope),
    authorizationServer: httpUrl,
    audience: v.string(),
    organization: v.string(),
    flow: oneOf(['pkce', 'implicit']),
    forceOAuthLogin: v.boolean(),
    persist: oneOf(['memory', 'session']),
  }),
  apiBaseUrl: httpUrl,
  apiAccessToken: v.string(),
  viewState: v.object({
    longitude: between(-180, 180),
    latitude: between(-85.06, 85.06),
    zoom: between(0, 24),
    pitch: between(0, 85),
    bearing: v.number(),
  }),
  basemap: oneOf(['auto', 'positron', 'voyager', 'dark-matter', 'offline']),
});

type Config = v.InferOutput<typeof configSchema>;

/** Dotted paths to the leaves of the config ("oauth.clientId", "apiBaseUrl", ...). */
type LeafPath<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends readonly unknown[] | string | number | boolean
    ? `${Prefix}${K}`
    : LeafPath<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
type ConfigPath = LeafPath<Config>;

export interface EnvVariable {
  readonly name: `VITE_${string}`;
  /** The field of the schema this variable overrides. */
  readonly path: ConfigPath;
  /** How to fix a wrong value, shown on the configuration error screen. */
  readonly fix: string;
  /**
   * An empty variable keeps the default, so a field whose empty value means something (no OAuth
   * client) is emptied with this word instead.
   */
  readonly clearWith?: string;
}

/**
 * Every variable the app reads, in the order of `.env.example`. How a value is read (text, a
 * list, a boolean, a number) follows the schema's type at `path`; the schema then checks it.
 */
export const ENV_VARIABLES: readonly EnvVariable[] = [
  { name: 'VITE_APP_NAME', path: 'appName', fix: 'Any non-empty text.' },
  {
    name: 'VITE_CARTO_CLIENT_ID',
    path: 'oauth.clientId',
    fix: 'The Client ID of the SPA OAuth client registered in your CARTO workspace (or the emulator), or "none" to use VITE_CARTO_API_ACCESS_TOKEN without login.',
    clearWith: 'none',
  },
  {
    name: 'VITE_CARTO_SCOPES',
    path: 'oauth.scopes',
    fix: 'Space-separated scopes, e.g. "read:current_user datasets:r:* offline_access".',
  },
  {
    name: 'VITE_CARTO_AUTH_SERVER',
    path: 'oauth.authorizationServer',
    fix: 'The issuer URL: https://auth.carto.com for CARTO, http://localhost:8600 for the emulator.',
  },
  { name: 'VITE_CARTO_AUDIENCE', path: 'oauth.audience', fix: 'Usually carto-cloud-native-api.' },
  {
    name: 'VITE_CARTO_ORGANIZATION',
    path: 'oauth.organization',
    fix: 'Your organization id for SSO logins, or leave empty.',
  },
  {
    name: 'VITE_CARTO_OAUTH_FLOW',
    path: 'oauth.flow',
    fix: 'Use "pkce" (recommended) or "implicit" for legacy CARTO 2 accounts.',
  },
  { name: 'VITE_CARTO_FORCE_LOGIN', path: 'oauth.forceOAuthLogin', fix: 'Use "true" or "false".' },
  {
    name: 'VITE_CARTO_PERSIST',
    path: 'oauth.persist',
    fix: 'Use "memory" (default) or "session" to keep the login across reloads of a tab.',
  },
  {
    name: 'VITE_CARTO_API_BASE_URL',
    path: 'apiBaseUrl',
    fix: 'The CARTO API URL of your region (e.g. https://gcp-us-east1.api.carto.com) or http://localhost:8600.',
  },
  {
    name: 'VITE_CARTO_API_ACCESS_TOKEN',
    path: 'apiAccessToken',
    fix: 'A CARTO API access token for public data, or leave empty to log in with OAuth.',
  },
];
