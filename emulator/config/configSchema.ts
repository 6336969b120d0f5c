import { z } from 'zod';
import { isSecretHash } from '../auth/passwords';
import { InvalidUrlPatternError, parseUrlPattern } from '../auth/redirectUris';
import { unknownScopes } from '../../protocol/scopes';
import { PROVIDERS, type Provider } from '../data/warehouseNames';
import { MAX_NAMED_SOURCE_SQL } from '../data/namedSources';
import { NAMED_SOURCE_NAME } from '../../protocol/namedSources';

const urlPattern = z.string().superRefine((value, ctx) => {
  try {
    parseUrlPattern(value);
  } catch (error) {
    if (!(error instanceof InvalidUrlPatternError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
  }
});

const secretHash = z
  .string()
  .refine(isSecretHash, 'must be a hash made by `npm run emulator -- hash-secret <secret>`');

const scopeList = z.array(z.string()).superRefine((scopes, ctx) => {
  const unknown = unknownScopes(scopes);
  if (unknown.length > 0)
    ctx.addIssue({ code: 'custom', message: `unknown scopes: ${unknown.join(', ')}` });
});

const id = z.string().regex(/^[A-Za-z0-9_.|@-]+$/, 'may only have letters, digits and _.|@-');

const organizationSchema = z.strictObject({
  id,
  name: z.string().min(1),
  /** When true, logins for this organization say they go through its identity provider. */
  sso: z.boolean().default(false),
});

const userSchema = z.strictObject({
  id,
  email: z.email(),
  passwordHash: secretHash,
  name: z.string().min(1),
  /** CARTO account name (used in tokens and legacy user info). */
  account: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and - only'),
  avatarUrl: z.url().optional(),
  organization: id.optional(),
});

const spaClientSchema = z
  .strictObject({
    clientId: id,
    name: z.string().min(1),
    /** Either this (callback, logout and origins all derive from it) or the explicit lists. */
    applicationLoginUrl: urlPattern.optional(),
    allowedCallbackUrls: z.array(urlPattern).default([]),
    allowedLogoutUrls: z.array(urlPattern).default([]),
    allowedWebOrigins: z.array(urlPattern).default([]),
    allowedOrigins: z.array(urlPattern).default([]),
    /** Legacy CARTO 2 client: may use the implicit flow (response_type=token). */
    legacy: z.boolean().default(false),
  })
  .superRefine((client, ctx) => {
    if (!client.applicationLoginUrl && client.allowedCallbackUrls.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['allowedCallbackUrls'],
        message: 'needs at least one URL (or set applicationLoginUrl)',
      });
    }
  });

const m2mClientSchema = z.strictObject({
  clientId: id,
  name: z.string().min(1),
  clientSecretHash: secretHash,
  /** The user whose data the client acts on. */
  user: id,
  scopes: scopeList,
});

const apiTokenSchema = z.strictObject({
  name: z.string().min(1),
  /** SHA-256 (hex) of the token: the token itself is never stored. */
  tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'),
  user: id,
  grants: scopeList,
});

const connectionSchema = z.strictObject({
  name: id,
  /** The user who owns the connection. */
  owner: id,
  /** Members of this organization may use it too. */
  organization: id.optional(),
  /**
   * The warehouse it stands for: how table names are written and quoted, and which SQL dialect
   * client SQL is in. Default: `bigquery` for `carto_dw` (CARTO's Data Warehouse is BigQuery),
   * `postgres` for any other.
   */
  provider: z.enum(PROVIDERS).optional(),
  /**
   * Named sources of this connection: a name an app sends instead of SQL (CARTO's Named
   * Sources). Read-only; users may create more through /v3/named-sources.
   */
  namedSources: z
    .array(
      z.strictObject({
        name: z
          .string()
          .regex(
            NAMED_SOURCE_NAME,
            '3 to 51 lowercase letters, digits, - and _; not ending in - or _',
          ),
        sql: z.string().min(1).max(MAX_NAMED_SOURCE_SQL),
        description: z.string().max(500).optional(),
      }),
    )
    .default([]),
  /** When true, the connection refuses raw SQL: queries must name a named source. */
  namedSourcesOnly: z.boolean().default(false),
});

/** A connection's provider: as configured, else `bigquery` for `carto_dw`, else `postgres`. */
export function connectionProvider(connection: { name: string; provider?: Provider }): Provider {
  return connection.provider ?? (connection.name === 'carto_dw' ? 'bigquery' : 'postgres');
}

const emulatorConfigSchema = z
  .strictObject({
    /** Demo mode: the login page suggests the demo user. */
    demo: z.boolean().default(false),
    /** Public URL of the emulator; defaults to http://localhost:<port>. */
    issuer: z.url().optional(),
    audience: z.string().default('carto-cloud-native-api'),
    accessTokenTtlSeconds: z.number().int().min(1).max(86400).default(3600),
    refreshTokenTtlSeconds: z
      .number()
      .int()
      .min(60)
      .default(30 * 86400),
    organizations: z.array(organizationSchema).default([]),
    users: z.array(userSchema).min(1),
    spaClients: z.array(spaClientSchema).default([]),
    m2mClients: z.array(m2mClientSchema).default([]),
    apiTokens: z.array(apiTokenSchema).default([]),
    /** Data warehouse connections; the sample data lives in `carto_dw`. */
    connections: z.array(connectionSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const userIds = new Set(config.users.map((u) => u.id));
    const orgIds = new Set(config.organizations.map((o) => o.id));
    config.users.forEach((user, i) => {
      if (user.organization && !orgIds.has(user.organization)) {
        ctx.addIssue({
          code: 'custom',
          path: ['users', i, 'organization'],
          message: `no organization "${user.organization}"`,
        });
      }
    });
    const checkUser = (path: (string | number)[], user: string) => {
      if (!userIds.has(user)) ctx.addIssue({ code: 'custom', path, message: `no user "${user}"` });
    };
    config.m2mClients.forEach((c, i) => checkUser(['m2mClients', i, 'user'], c.user));
    config.apiTokens.forEach((t, i) => checkUser(['apiTokens', i, 'user'], t.user));
    config.connections.forEach((c, i) => checkUser(['connections', i, 'owner'], c.owner));
    const clientIds = [...config.spaClients, ...config.m2mClients].map((c) => c.clientId);
    clientIds.forEach((clientId, i) => {
      if (clientIds.indexOf(clientId) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['spaClients'],
          message: `duplicate clientId "${clientId}"`,
        });
      }
    });
    const named = config.connections.flatMap((c) => c.namedSources.map((s) => s.name));
    named.forEach((name, i) => {
      if (named.indexOf(name) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['connections'],
          message: `duplicate named source "${name}" (names are unique across connections)`,
        });
      }
    });
    const emails = config.users.map((u) => u.email.toLowerCase());
    emails.forEach((email, i) => {
      if (emails.indexOf(email) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['users', i, 'email'],
          message: `duplicate email "${email}"`,
        });
      }
    });
  });

export type EmulatorConfigInput = z.input<typeof emulatorConfigSchema>;
export type EmulatorConfig = z.output<typeof emulatorConfigSchema>;
export type SpaClient = EmulatorConfig['spaClients'][number];
export type M2mClient = EmulatorConfig['m2mClients'][number];
export type EmulatorUser = EmulatorConfig['users'][number];

export class EmulatorConfigError extends Error {
  constructor(
    readonly problems: string[],
    source: string,
  ) {
    super(`Invalid emulator config (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates a parsed config; the error names each bad field (e.g. `spaClients[0].allowedCallbackUrls[1]`). */
export function parseEmulatorConfig(input: unknown, source = 'config'): EmulatorConfig {
  const result = emulatorConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join('');
    return `${path || '(root)'}: ${issue.message}`;
  });
  throw new EmulatorConfigError(problems, source);
}
