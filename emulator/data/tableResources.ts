import type { Principal } from '../auth/tokens';
import { canReadTable } from './access';
import type { DataContext } from './dataContext';
import type { TableInfo } from './database';

/** The tables of a connection that the caller's token may read. */
export function readableTables(ctx: DataContext, principal: Principal, connection: string) {
  return [...ctx.db.tables.values()].filter(
    (t) => t.connection === connection && canReadTable(ctx.auth.config, principal, t),
  );
}

/** A table as the workspace's resources listing describes it. */
export function tableResource(table: TableInfo) {
  return {
    id: `${table.connection}.${table.qualifiedName}`,
    name: table.name,
    type: 'table',
    schema: table.schema,
    description: table.description,
    rows: table.rowCount,
    spatialDataType: table.spatial,
    geometryType: table.geometryType,
    // [west, south, east, north]; west > east when the table straddles the antimeridian
    // (RFC 7946 §5.2), e.g. us_states [144.6, -14.4, -64.6, 71.4]: clients fit across ±180.
    bounds: table.bounds,
    columns: table.columns.map((c) => ({ name: c.name, type: c.type.toLowerCase() })),
    updatedAt: table.updatedAt,
  };
}
