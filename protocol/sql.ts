/** SQL text shared by the app (aggregation expressions) and the emulator (its queries). */

/** A double-quoted SQL identifier (standard SQL, DuckDB, Postgres, Snowflake). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
