import * as v from 'valibot';
import { configSchema, ENV_VARIABLES, type EnvVariable } from './configSchema';
import type { AppConfig } from './configTypes';

export { ENV_VARIABLES };

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
type Parsed = { value: unknown } | { error: string };

/** The schema of the field at a dotted path, e.g. "oauth.scopes". */
function fieldAt(path: string): v.GenericSchema | undefined {
  let node: v.GenericSchema | undefined = configSchema;
  for (const key of path.split('.')) {
    node =
      node?.type === 'object'
        ? (node as v.ObjectSchema<v.ObjectEntries, undefined>).entries[key]
        : undefined;
  }
  return node;
}

function show(value: unknown): string {
  const text = value === undefined ? '(missing)' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Turns the text of a (non-empty) variable into a value of its field's type; the schema checks it. */
function fromEnvText(variable: EnvVariable, raw: string): Parsed {
  const text = raw.trim();
  if (variable.clearWith !== undefined && text === variable.clearWith) return { value: '' };
  const field = fieldAt(variable.path);
  if (field?.type === 'array') return { value: text.split(/[\s,]+/).filter(Boolean) };
  if (field?.type === 'boolean') {
    const lower = text.toLowerCase();
    if (lower === 'true' || lower === '1') return { value: true };
    if (lower === 'false' || lower === '0') return { value: false };
    return { error: `${show(raw)} must be true or false.` };
  }
  if (field?.type === 'number') {
    const number = Number(text);
    return Number.isFinite(number) ? { value: number } : { error: `${show(raw)} is not a number.` };
  }
  return { value: text };
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop();
  let node = target;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (last) node[last] = value;
}

function valueAt(source: unknown, path: readonly PropertyKey[]): unknown {
  let node = source;
  for (const key of path)
    node =
      typeof node === 'object' && node !== null
        ? (node as Record<PropertyKey, unknown>)[key]
        : undefined;
  return node;
}

function settingFor(path: string, fromEnv: ReadonlyMap<string, string>): string {
  return fromEnv.get(path) ?? `initialStateSlice.ts → ${path}`;
}

/**
 * Merges `VITE_*` overrides into the defaults from initialStateSlice.ts and validates the result.
 * An empty (or blank) variable is not an override: the default stands, so `.env.example` copied
 * as-is gives the defaults. Pure: takes the env as an argument so tests can pass any.
 */
export function loadConfig(defaults: AppConfig, env: Env): ConfigResult {
  const merged = structuredClone(defaults) as unknown as Record<string, unknown>;
  const problems: ConfigProblem[] = [];
  const fromEnv = new Map<string, string>();

  for (const variable of ENV_VARIABLES) {
    const raw = env[variable.name];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const parsed = fromEnvText(variable, raw);
    if ('error' in parsed) {
      problems.push({ setting: variable.name, message: parsed.error, fix: variable.fix });
      continue;
    }
    setPath(merged, variable.path, parsed.value);
    fromEnv.set(variable.path, variable.name);
  }

  const result = v.safeParse(configSchema, merged, { abortPipeEarly: true });
  if (!result.success) {
    for (const issue of result.issues) {
      const keys = (issue.path ?? []).map((item) => item.key as PropertyKey);
      const path = keys.filter((p) => typeof p === 'string').join('.');
      const variable = ENV_VARIABLES.find((v) => v.path === path);
      problems.push({
        setting: settingFor(path, fromEnv),
        message: `${show(valueAt(merged, keys))} ${issue.message}.`,
        fix: variable?.fix ?? 'See the comments in src/store/initialStateSlice.ts.',
      });
    }
  }
  if (problems.length > 0 || !result.success) return { ok: false, problems };

  const config = result.output;
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
