/**
 * The scope grammar CARTO understands, shared by the app (login screen, `hasScope`, incremental
 * consent) and the emulator (validation, consent page, enforcement).
 *
 * - CARTO 3 permissions: `read:current_user`, `read:connections`, `write:maps`, ...
 * - OIDC / Auth0: `openid`, `profile`, `email`, `offline_access`.
 * - CARTO 2 grammar: `datasets:r|rw:<table>|*`, `datasets:metadata`, `schemas:c[:<schema>]`,
 *   `dataservices:geocoding|isolines|routing|observatory`, `user:profile`, `offline`.
 */

export const CARTO3_PERMISSIONS = {
  'read:current_user': 'See your user profile (name, email, organization)',
  'update:current_user': 'Change your user profile',
  'read:connections': 'List your data warehouse connections',
  'write:connections': 'Create and change data warehouse connections',
  'read:maps': 'See your maps',
  'write:maps': 'Create and change maps',
  'read:account': 'See your account and organization settings',
  'admin:account': 'Administer your account',
  'read:imports': 'See your data imports',
  'write:imports': 'Import data into your connections',
  'read:tokens': 'See your API access tokens',
  'write:tokens': 'Create and revoke API access tokens',
  'read:apps': 'See your OAuth apps',
  'write:apps': 'Create and change OAuth apps',
} as const;

const OIDC_SCOPES = {
  openid: 'Confirm who you are',
  profile: 'See your name and picture',
  email: 'See your email address',
  offline_access: 'Stay logged in (renew access without asking you again)',
} as const;

export const DATASERVICES = ['geocoding', 'isolines', 'routing', 'observatory'] as const;
type DataService = (typeof DATASERVICES)[number];

export type ParsedScope =
  | { kind: 'permission'; scope: keyof typeof CARTO3_PERMISSIONS }
  | { kind: 'oidc'; scope: keyof typeof OIDC_SCOPES }
  | { kind: 'datasets'; access: 'r' | 'rw'; table: string }
  | { kind: 'datasets_metadata' }
  | { kind: 'schemas'; schema: string | null }
  | { kind: 'dataservices'; service: DataService }
  | { kind: 'user_profile' }
  | { kind: 'offline' };

/** A table name, optionally `schema.table` (or `project.dataset.table`), or `*`. */
const TABLE = /^(\*|[A-Za-z_][\w$-]*(\.[A-Za-z_][\w$-]*){0,2})$/;
const SCHEMA = /^[A-Za-z_][\w$-]*$/;

/** Parses one scope, or returns null when CARTO would not understand it. */
export function parseScope(scope: string): ParsedScope | null {
  if (Object.hasOwn(CARTO3_PERMISSIONS, scope)) {
    return { kind: 'permission', scope: scope as keyof typeof CARTO3_PERMISSIONS };
  }
  if (Object.hasOwn(OIDC_SCOPES, scope)) {
    return { kind: 'oidc', scope: scope as keyof typeof OIDC_SCOPES };
  }
  if (scope === 'datasets:metadata') return { kind: 'datasets_metadata' };
  if (scope === 'user:profile') return { kind: 'user_profile' };
  if (scope === 'offline') return { kind: 'offline' };
  const parts = scope.split(':');
  if (parts[0] === 'datasets' && parts.length === 3) {
    const [, access, table = ''] = parts;
    if ((access === 'r' || access === 'rw') && TABLE.test(table)) {
      return { kind: 'datasets', access, table };
    }
    return null;
  }
  if (parts[0] === 'schemas' && parts[1] === 'c') {
    if (parts.length === 2) return { kind: 'schemas', schema: null };
    if (parts.length === 3 && SCHEMA.test(parts[2] ?? '')) {
      return { kind: 'schemas', schema: parts[2] ?? null };
    }
    return null;
  }
  if (parts[0] === 'dataservices' && parts.length === 2) {
    const service = parts[1] as DataService;
    return DATASERVICES.includes(service) ? { kind: 'dataservices', service } : null;
  }
  return null;
}

/** Splits a space-separated scope string, dropping empty parts and duplicates. */
export function splitScopes(scope: string | null | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))];
}

export function unknownScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => parseScope(s) === null);
}

const SERVICE_WORDS: Record<DataService, string> = {
  geocoding: 'Turn addresses into locations (geocoding)',
  isolines: 'Compute areas reachable in a given time (isolines)',
  routing: 'Compute routes between places',
  observatory: 'Use the Data Observatory',
};

/** The scope in plain words, as a consent screen shows it. */
export function describeScope(scope: string): string {
  const parsed = parseScope(scope);
  if (!parsed) return `Unknown permission "${scope}"`;
  switch (parsed.kind) {
    case 'permission':
      return CARTO3_PERMISSIONS[parsed.scope];
    case 'oidc':
      return OIDC_SCOPES[parsed.scope];
    case 'datasets': {
      const verb = parsed.access === 'rw' ? 'Read and change' : 'Read';
      return parsed.table === '*'
        ? `${verb} all your datasets`
        : `${verb} your dataset "${parsed.table}"`;
    }
    case 'datasets_metadata':
      return 'List your datasets and see their metadata';
    case 'schemas':
      return parsed.schema ? `Create tables in schema "${parsed.schema}"` : 'Create schemas';
    case 'dataservices':
      return SERVICE_WORDS[parsed.service];
    case 'user_profile':
      return 'See your user profile (name, avatar, organization)';
    case 'offline':
      return 'Stay logged in (renew access without asking you again)';
  }
}

/**
 * Whether `granted` covers `required`. `datasets:rw:x` covers `datasets:r:x`, `*` covers any
 * table, `schemas:c` covers every schema; anything else must be granted as written.
 */
function scopeCovers(granted: string, required: string): boolean {
  if (granted === required) return true;
  const g = parseScope(granted);
  const r = parseScope(required);
  if (!g || !r) return false;
  if (g.kind === 'datasets' && r.kind === 'datasets') {
    const accessOk = g.access === 'rw' || r.access === 'r';
    const tableOk = g.table === '*' || g.table.toLowerCase() === r.table.toLowerCase();
    return accessOk && tableOk;
  }
  if (g.kind === 'schemas' && r.kind === 'schemas') return g.schema === null;
  return false;
}

export function hasScope(grantedScopes: readonly string[], required: string): boolean {
  return grantedScopes.some((granted) => scopeCovers(granted, required));
}
