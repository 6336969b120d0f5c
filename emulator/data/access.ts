import type { Principal } from '../auth/tokens';
import type { EmulatorConfig } from '../config/configSchema';
import type { TableInfo } from './database';
import { hasScope, parseScope } from '../../protocol/scopes';

/**
 * Who may read what. A connection belongs to a user (and may be shared with their
 * organization). Within it, a token with CARTO 2 dataset scopes reads only the tables those
 * scopes name; a CARTO 3 token without dataset scopes reads the connection's tables when it
 * has `read:connections`.
 */
export function canUseConnection(
  config: EmulatorConfig,
  principal: Principal,
  connection: string,
): boolean {
  const entry = config.connections.find((c) => c.name === connection);
  if (!entry) return false;
  if (entry.owner === principal.userId) return true;
  const user = config.users.find((u) => u.id === principal.userId);
  return entry.organization !== undefined && user?.organization === entry.organization;
}

const isDatasetScope = (scope: string) => parseScope(scope)?.kind === 'datasets';

export function canReadTable(
  config: EmulatorConfig,
  principal: Principal,
  table: TableInfo,
): boolean {
  if (!canUseConnection(config, principal, table.connection)) return false;
  const datasetScopes = principal.scopes.filter(isDatasetScope);
  if (datasetScopes.length > 0) {
    return (
      hasScope(datasetScopes, `datasets:r:${table.name}`) ||
      hasScope(datasetScopes, `datasets:r:${table.qualifiedName}`) ||
      hasScope(datasetScopes, `datasets:r:${table.fullName}`)
    );
  }
  return principal.scopes.includes('read:connections');
}

export function canListDatasets(principal: Principal): boolean {
  return (
    principal.scopes.includes('datasets:metadata') || principal.scopes.includes('read:connections')
  );
}

/**
 * Whether the token may run SQL on a connection it may use: SQL that reads tables needs read
 * access to each of them (checked by the caller); SQL that reads none needs `read:connections`
 * (a token limited to some datasets may not run anything else).
 */
export function canRunSql(principal: Principal, reads: readonly TableInfo[]): boolean {
  return reads.length > 0 || principal.scopes.includes('read:connections');
}
