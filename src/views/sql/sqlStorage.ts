import {
  parseParameterState,
  type ParameterState,
} from '../../features/sqlParameters/sqlParameters';

/**
 * What the SQL console keeps across views and reloads, in Web Storage under namespaced keys.
 * SQL text is not a secret (no token or credential is ever part of it), so it may be stored.
 *
 * - the editor's text, its parameters (declarations and values) and the history of recent
 *   queries: `localStorage`, across visits;
 * - the last query run: `sessionStorage`, this tab only, so that coming back to the view shows
 *   its results and layer again (from the RTK Query cache, or asked again) while a new visit
 *   does not re-run a query the user did not ask for.
 *
 * Storage can be missing or full (private modes, quotas): reads fall back to defaults and
 * failed writes are ignored; the console works without it.
 */

const TEXT_KEY = 'carto-login-starter:sql:text';
const HISTORY_KEY = 'carto-login-starter:sql:history';
const LAST_RUN_KEY = 'carto-login-starter:sql:last-run';
const PARAMETERS_KEY = 'carto-login-starter:sql:parameters';

/** How many distinct queries the history keeps. */
const HISTORY_SIZE = 20;

function read(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
}

function write(storage: () => Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    // Unavailable or full: the value lives only in memory.
  }
}

const local = () => window.localStorage;
const session = () => window.sessionStorage;

export const loadText = (fallback: string): string => read(local, TEXT_KEY) ?? fallback;
export const saveText = (text: string): void => write(local, TEXT_KEY, text);

/** The parameters as last saved; whatever does not parse is dropped (see parseParameterState). */
export function loadParameters(): ParameterState {
  const raw = read(local, PARAMETERS_KEY);
  if (!raw) return parseParameterState(null);
  try {
    return parseParameterState(JSON.parse(raw));
  } catch {
    return parseParameterState(null);
  }
}

export const saveParameters = (state: ParameterState): void =>
  write(local, PARAMETERS_KEY, state.declarations.length ? JSON.stringify(state) : null);

export const loadLastRun = (): string | null => read(session, LAST_RUN_KEY);
export const saveLastRun = (q: string | null): void => write(session, LAST_RUN_KEY, q);

export function loadHistory(): string[] {
  const raw = read(local, HISTORY_KEY);
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed)
      ? parsed.filter((q): q is string => typeof q === 'string').slice(0, HISTORY_SIZE)
      : [];
  } catch {
    return [];
  }
}

export const saveHistory = (history: readonly string[]): void =>
  write(local, HISTORY_KEY, history.length ? JSON.stringify(history) : null);

/** `history` with `q` first, once, and at most HISTORY_SIZE entries. */
export function withQuery(history: readonly string[], q: string): string[] {
  return [q, ...history.filter((entry) => entry !== q)].slice(0, HISTORY_SIZE);
}
