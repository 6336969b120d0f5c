import * as z from 'zod/mini';
import type { AppConfig } from './configTypes';

/** One thing wrong with the configuration, phrased for the developer who has to fix it. */
export interface ConfigProblem {
  /** The env variable, or the field of src/store/initialStateSlice.ts, that holds the bad value. */
  setting: string;
  message: string;
  fix: string;
}

export type ConfigResult =
  { ok: true; config: AppConfig } | { ok: false; problems: ConfigProblem[] };

type Env = Readonly<Record<string, string | boolean | undefined>>;

interface EnvVariable {
  name: string;
  /** Dotted path into AppConfig that this variable overrides. */
  path: string;
  fix: string;
  parse: (raw: string) => { value: unknown } | { error: string };
}

const text = (raw: string) => ({ value: raw.trim() });
const oneOf =
  (...allowed: string[]) =>
  (raw: string) =>
    allowed.includes(raw.trim())
      ? { value: raw.trim() }
      : { error: `"${raw}" is not one of ${allowed.map((a) => `"${a}"`).join(', ')}.` };
const bool = (raw: string) => {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1') return { value: true };
  if (v === 'false' || v === '0' || v === '') return { value: false };
  return { error: `"${raw}" is not a boolean.` };
};
const list = (raw: string) => ({
  value: raw
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean),
});

/** Every variable the app reads. `.env.example` documents the same list. */
export const ENV_VARIABLES: readonly EnvVariable[] = [
  { name: 'VITE_APP_NAME', path: 'appName', fix: 'Any non-empty text.', parse: text },
  {
    name: 'VITE_CARTO_CLIENT_ID',
    path: 'oauth.clientId',
    fix: 'The Client ID of the SPA OAuth client registered in your CARTO workspace (or the emulator).',
    parse: text,
  },
  {
    name: 'VITE_CARTO_SCOPES',
    path: 'oauth.scopes',
    fix: 'Space-separated scopes, e.g. "read:current_user datasets:r:* offline_access".',
    parse: list,
  },
  {
    name: 'VITE_CARTO_AUTH_SERVER',
    path: 'oauth.authorizationServer',
    fix: 'The issuer URL: https://auth.carto.com for CARTO, http://localhost:8600 for the emulator.',
    parse: text,
  },
  {
    name: 'VITE_CARTO_AUDIENCE',
    path: 'oauth.audience',
    fix: 'Usually carto-cloud-native-api.',
    parse: text,
  },
  {
    name: 'VITE_CARTO_ORGANIZATION',
    path: 'oauth.organization',
    fix: 'Your organization id for SSO logins, or leave empty.',
    parse: text,
  },
  {
    name: 'VITE_CARTO_OAUTH_FLOW',
    path: 'oauth.flow',
    fix: 'Use "pkce" (recommended) or "implicit" for legacy CARTO 2 accounts.',
    parse: oneOf('pkce', 'implicit'),
  },
  {
    name: 'VITE_CARTO_FORCE_LOGIN',
    path: 'oauth.forceOAuthLogin',
    fix: 'Use "true" or "false".',
    parse: bool,
  },
  {
    name: 'VITE_CARTO_PERSIST',
    path: 'oauth.persist',
    fix: 'Use "memory" (default) or "session" to keep the login across reloads of a tab.',
    parse: oneOf('memory', 'session'),
  },
  {
    name: 'VITE_CARTO_API_BASE_URL',
    path: 'apiBaseUrl',
    fix: 'The CARTO API URL of your region (e.g. https://gcp-us-east1.api.carto.com) or http://localhost:8600.',
    parse: text,
  },
  {
    name: 'VITE_CARTO_API_ACCESS_TOKEN',
    path: 'apiAccessToken',
    fix: 'A CARTO API access token for public data, or leave empty to log in with OAuth.',
    parse: text,
  },
];

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const scope = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_:.*\-/]+$/, { error: 'contains characters a scope cannot have' }));

const configSchema = z.object({
  appName: z.string().check(z.minLength(1, { error: 'must not be empty' })),
  oauth: z.object({
    clientId: z.string(),
    scopes: z.array(scope),
    authorizationServer: httpUrl,
    audience: z.string(),
    organization: z.string(),
    flow: z.enum(['pkce', 'implicit']),
    forceOAuthLogin: z.boolean(),
    persist: z.enum(['memory', 'session']),
  }),
  apiBaseUrl: httpUrl,
  apiAccessToken: z.string(),
  viewState: z.object({
    longitude: z.number().check(z.gte(-180), z.lte(180)),
    latitude: z.number().check(z.gte(-85.06), z.lte(85.06)),
    zoom: z.number().check(z.gte(0), z.lte(24)),
    pitch: z.number().check(z.gte(0), z.lte(85)),
    bearing: z.number(),
  }),
  basemap: z.enum(['positron', 'voyager', 'dark-matter', 'offline']),
});

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop();
  let node = target;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (last) node[last] = value;
}

function settingFor(path: string, fromEnv: ReadonlyMap<string, string>): string {
  return fromEnv.get(path) ?? `initialStateSlice.ts → ${path}`;
}

/**
 * Merges `VITE_*` overrides into the defaults from initialStateSlice.ts and validates the result.
 * Pure: takes the env as an argument so tests can pass any.
 */
export function loadConfig(defaults: AppConfig, env: Env): ConfigResult {
  const merged = structuredClone(defaults) as unknown as Record<string, unknown>;
  const problems: ConfigProblem[] = [];
  const fromEnv = new Map<string, string>();

  for (const variable of ENV_VARIABLES) {
    const raw = env[variable.name];
    if (typeof raw !== 'string') continue;
    const parsed = variable.parse(raw);
    if ('error' in parsed) {
      problems.push({ setting: variable.name, message: parsed.error, fix: variable.fix });
      continue;
    }
    setPath(merged, variable.path, parsed.value);
    fromEnv.set(variable.path, variable.name);
  }

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.filter((p) => typeof p === 'string').join('.');
      const variable = ENV_VARIABLES.find((v) => v.path === path);
      problems.push({
        setting: settingFor(path, fromEnv),
        message: `${path} ${issue.message}`,
        fix: variable?.fix ?? 'See the comments in src/store/initialStateSlice.ts.',
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const config = merged as unknown as AppConfig;
  if (!config.oauth.clientId && !config.apiAccessToken) {
    problems.push({
      setting: settingFor('oauth.clientId', fromEnv),
      message: 'Neither an OAuth client id nor an API access token is set.',
      fix: 'Set VITE_CARTO_CLIENT_ID (log in with CARTO) or VITE_CARTO_API_ACCESS_TOKEN (public data only).',
    });
  }
  if (config.oauth.forceOAuthLogin && !config.oauth.clientId) {
    problems.push({
      setting: settingFor('oauth.forceOAuthLogin', fromEnv),
      message: 'forceOAuthLogin is on, but there is no OAuth client id to log in with.',
      fix: 'Set VITE_CARTO_CLIENT_ID, or turn VITE_CARTO_FORCE_LOGIN off.',
    });
  }
  if (config.oauth.flow === 'implicit' && config.oauth.scopes.includes('offline')) {
    problems.push({
      setting: settingFor('oauth.scopes', fromEnv),
      message: 'The implicit flow cannot request the "offline" scope (CARTO refuses it).',
      fix: 'Remove "offline" from the scopes, or use the "pkce" flow.',
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}
