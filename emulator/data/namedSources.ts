/**
 * Named sources (CARTO's Named Sources API): a name that stands for a SQL query kept on the
 * server, so that an app's bundle and its network requests carry the name, not the SQL. Wherever
 * the Maps and SQL APIs take a query (`q`, a query source's `sqlQuery`, a widget model's
 * `source`), a name of this connection runs its query instead.
 *
 * A name grants nothing: the stored query runs as the caller, through the same sandbox and the
 * same table checks as SQL sent by the client. Named sources come from the emulator's config
 * (per connection; read-only) or are created through the API by a logged-in user (OAuth tokens
 * only, as CARTO's), who alone may change or delete them. They live as long as the emulator.
 */
import type { Principal } from '../auth/tokens';
import type { EmulatorConfig } from '../config/configSchema';
import { QueryError } from './database';
import { NAMED_SOURCE_NAME } from '../../protocol/namedSources';

/** The longest stored query (the SQL API's whole body may be 1 MiB; a stored query needs less). */
export const MAX_NAMED_SOURCE_SQL = 64 * 1024;
/** How many named sources one user may create. */
export const MAX_NAMED_SOURCES_PER_USER = 100;
const MAX_DESCRIPTION = 500;

export interface NamedSource {
  name: string;
  connectionName: string;
  /** The SQL the name stands for. */
  source: string;
  description: string;
  /** The user who created it; null when it comes from the emulator's config. */
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

class NamedSourceError extends QueryError {}

const notFound = (name: string) => new NamedSourceError(`Named source "${name}" not found`, 404);

/** The text of a field of a create/update body, or an error naming the field. */
function textField(body: Record<string, unknown>, field: string, max: number): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new NamedSourceError(`"${field}" must be a string.`);
  if (value.length > max)
    throw new NamedSourceError(
      `"${field}" is too long: at most ${max.toLocaleString('en-US')} characters.`,
    );
  return value;
}

export function checkName(name: unknown): string {
  if (typeof name !== 'string' || !NAMED_SOURCE_NAME.test(name)) {
    throw new NamedSourceError(
      'A named source\u2019s name has 3 to 51 lowercase letters, digits, - and _, starts with a letter or digit and does not end in - or _.',
    );
  }
  return name;
}

export class NamedSources {
  private readonly byName = new Map<string, NamedSource>();
  /** Connections that take named sources only (raw SQL is refused). */
  private readonly namedOnly: Set<string>;

  constructor(
    config: EmulatorConfig,
    private readonly now: () => Date = () => new Date(),
  ) {
    const at = this.now().toISOString();
    for (const connection of config.connections) {
      for (const declared of connection.namedSources) {
        this.byName.set(declared.name, {
          name: declared.name,
          connectionName: connection.name,
          source: declared.sql,
          description: declared.description ?? '',
          createdBy: null,
          createdAt: at,
          updatedAt: at,
        });
      }
    }
    this.namedOnly = new Set(
      config.connections.filter((c) => c.namedSourcesOnly).map((c) => c.name),
    );
  }

  /**
   * The SQL that `q` stands for on a connection: a named source's when `q` is the name of one
   * (404 when it looks like a name and none has it), else `q` itself, unless the connection
   * takes named sources only.
   */
  resolve(connection: string, q: string): string {
    const name = q.trim();
    if (NAMED_SOURCE_NAME.test(name)) {
      const named = this.byName.get(name);
      if (named?.connectionName !== connection)
        throw new NamedSourceError(
          `Named source "${name}" not found in connection "${connection}"`,
          404,
        );
      return named.source;
    }
    if (this.namedOnly.has(connection))
      throw new NamedSourceError(
        `Connection "${connection}" runs named sources only: send the name of one instead of SQL.`,
        403,
      );
    return q;
  }

  /** The named sources of the connections `mayUse` allows, by name; `search` in name or text. */
  list(mayUse: (connection: string) => boolean, search = ''): NamedSource[] {
    const needle = search.toLowerCase();
    return [...this.byName.values()]
      .filter((s) => mayUse(s.connectionName))
      .filter(
        (s) =>
          needle === '' ||
          s.name.includes(needle) ||
          s.description.toLowerCase().includes(needle) ||
          s.source.toLowerCase().includes(needle),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string, mayUse: (connection: string) => boolean): NamedSource {
    const named = this.byName.get(name);
    if (!named || !mayUse(named.connectionName)) throw notFound(name);
    return named;
  }

  /**
   * A new named source from a create body (`name`, `connectionName`, `source`, `description`);
   * `check` validates the connection and the SQL (as the caller) before it is kept.
   */
  async create(
    principal: Principal,
    body: Record<string, unknown>,
    check: (connection: string, sql: string) => Promise<void>,
  ): Promise<NamedSource> {
    mustBeOAuth(principal);
    const name = checkName(body.name);
    const connectionName = textField(body, 'connectionName', 200);
    const source = textField(body, 'source', MAX_NAMED_SOURCE_SQL);
    if (!connectionName) throw new NamedSourceError('"connectionName" is required.');
    if (!source?.trim()) throw new NamedSourceError('"source" (the SQL query) is required.');
    const description = textField(body, 'description', MAX_DESCRIPTION) ?? '';
    await check(connectionName, source);
    if (this.byName.has(name))
      throw new NamedSourceError(`A named source called "${name}" already exists.`, 409);
    const own = [...this.byName.values()].filter((s) => s.createdBy === principal.userId);
    if (own.length >= MAX_NAMED_SOURCES_PER_USER)
      throw new NamedSourceError(
        `A user may keep at most ${MAX_NAMED_SOURCES_PER_USER} named sources: delete one first.`,
        409,
      );
    const at = this.now().toISOString();
    const created: NamedSource = {
      name,
      connectionName,
      source,
      description,
      createdBy: principal.userId,
      createdAt: at,
      updatedAt: at,
    };
    this.byName.set(name, created);
    return created;
  }

  /** Changes `source` and/or `description` of one of the caller's named sources. */
  async update(
    principal: Principal,
    name: string,
    body: Record<string, unknown>,
    mayUse: (connection: string) => boolean,
    check: (connection: string, sql: string) => Promise<void>,
  ): Promise<NamedSource> {
    const named = this.owned(principal, name, mayUse);
    for (const field of Object.keys(body)) {
      if (field !== 'source' && field !== 'description')
        throw new NamedSourceError(
          `"${field}" cannot be changed: a named source's source and description can.`,
        );
    }
    const source = textField(body, 'source', MAX_NAMED_SOURCE_SQL);
    const description = textField(body, 'description', MAX_DESCRIPTION);
    if (source !== undefined) {
      if (!source.trim()) throw new NamedSourceError('"source" (the SQL query) is empty.');
      await check(named.connectionName, source);
    }
    const updated: NamedSource = {
      ...named,
      ...(source !== undefined ? { source } : {}),
      ...(description !== undefined ? { description } : {}),
      updatedAt: this.now().toISOString(),
    };
    this.byName.set(name, updated);
    return updated;
  }

  delete(principal: Principal, name: string, mayUse: (connection: string) => boolean): void {
    this.owned(principal, name, mayUse);
    this.byName.delete(name);
  }

  private owned(
    principal: Principal,
    name: string,
    mayUse: (connection: string) => boolean,
  ): NamedSource {
    mustBeOAuth(principal);
    const named = this.get(name, mayUse);
    if (named.createdBy === null)
      throw new NamedSourceError(
        `Named source "${name}" comes from the emulator's config: change it there.`,
        403,
      );
    if (named.createdBy !== principal.userId)
      throw new NamedSourceError(
        `Named source "${name}" belongs to another user: only they may change it.`,
        403,
      );
    return named;
  }
}

/** CARTO's Named Sources API takes OAuth access tokens only, not API access tokens. */
function mustBeOAuth(principal: Principal): void {
  if (principal.kind === 'api_token')
    throw new NamedSourceError(
      'Named sources are managed with an OAuth access token, not an API access token.',
      403,
    );
}
