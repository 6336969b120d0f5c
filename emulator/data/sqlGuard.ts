import type { Database } from './database';
import { QueryError } from './database';

export interface TableReference {
  schema: string;
  name: string;
}

interface Serialized {
  error: boolean;
  error_message?: string;
  /** Character offset of a parse error. */
  position?: string;
  statements?: { node: unknown }[];
}

/**
 * Checks SQL written by a client by parsing it with DuckDB (json_serialize_sql), never by
 * matching text: exactly one SELECT statement, no table functions (read_csv, ...) and the list
 * of tables it reads, for the caller to check against the token.
 */
export async function analyzeSelect(db: Database, sql: string): Promise<TableReference[]> {
  if (sql.length > 100_000)
    throw new QueryError('The query is too long (over 100,000 characters).');
  const result = await db.query('SELECT json_serialize_sql(?::VARCHAR) AS tree', [sql]);
  const tree = JSON.parse(String(result.rows[0]?.tree)) as Serialized;
  if (tree.error) {
    const message = tree.error_message ?? 'The query could not be parsed.';
    if (message.includes('Only SELECT')) throw new QueryError('Only SELECT queries are allowed.');
    const offset = Number(tree.position);
    if (Number.isInteger(offset) && offset >= 0) {
      const before = sql.slice(0, offset).split('\n');
      const column = (before.at(-1)?.length ?? 0) + 1;
      throw new QueryError(`${message} (line ${before.length}, column ${column})`);
    }
    throw new QueryError(message);
  }
  if ((tree.statements?.length ?? 0) !== 1)
    throw new QueryError('Send exactly one SELECT statement.');
  const tables: TableReference[] = [];
  const cteNames = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'TABLE_FUNCTION') {
      throw new QueryError('Table functions (read_csv, read_parquet, ...) are not allowed.', 403);
    }
    const cteMap = record.cte_map as { map?: { key: string }[] } | undefined;
    for (const entry of cteMap?.map ?? []) cteNames.add(entry.key.toLowerCase());
    if (record.type === 'BASE_TABLE' && typeof record.table_name === 'string') {
      tables.push({
        schema: typeof record.schema_name === 'string' ? record.schema_name : '',
        name: record.table_name,
      });
    }
    Object.values(record).forEach(walk);
  };
  walk(tree.statements);
  return tables.filter((t) => t.schema !== '' || !cteNames.has(t.name.toLowerCase()));
}
