/** The warehouses a CARTO connection may be on; each writes table names its own way. */
export const PROVIDERS = ['bigquery', 'postgres', 'snowflake', 'databricks', 'redshift'] as const;
export type Provider = (typeof PROVIDERS)[number];

/**
 * How a provider quotes identifiers: BigQuery and Databricks with backticks (BigQuery also
 * around a whole dotted path, `` `my-project.ds.t` ``), the others with double quotes. Double
 * quotes are taken on every provider, as the emulator always has.
 */
const BACKTICKS: ReadonlySet<Provider> = new Set(['bigquery', 'databricks']);

/** A table name that cannot be read on its connection's provider (a 400 to the client). */
export class BadTableNameError extends Error {}

const badName = (text: string, why: string) =>
  new BadTableNameError(`Bad table name ${JSON.stringify(text)}: ${why}.`);

/**
 * Splits a table name written the provider's way into its parts: `project.dataset.table`
 * (BigQuery, with hyphens in a project id), `DB.SCHEMA.TABLE` (Snowflake), `schema.table`
 * (Postgres), or one part. A small tokenizer over the name alone (never over SQL): quoted parts
 * are taken as they are, a BigQuery backtick part may hold dots (it is a path).
 */
export function splitTableName(provider: Provider, text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let i = 0;
  const push = () => {
    if (current === '' && !quoted) throw badName(text, 'a part of it is empty');
    parts.push(current);
    current = '';
    quoted = false;
  };
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '.') {
      push();
      i++;
    } else if (ch === '"' || ch === '`') {
      if (ch === '`' && !BACKTICKS.has(provider))
        throw badName(
          text,
          `a ${provider} connection quotes names with double quotes, not backticks`,
        );
      let j = i + 1;
      let inner = '';
      for (;;) {
        if (j >= text.length) throw badName(text, `the quote ${ch} at ${i + 1} is not closed`);
        if (text[j] === ch && text[j + 1] === ch) {
          inner += ch;
          j += 2;
        } else if (text[j] === ch) break;
        else inner += text[j++] ?? '';
      }
      if (current !== '' || quoted)
        throw badName(text, `a quote starts inside a part (at ${i + 1})`);
      i = j + 1;
      if (i < text.length && text[i] !== '.')
        throw badName(text, `text follows a closing quote (at ${i + 1})`);
      if (ch === '`' && provider === 'bigquery' && inner.includes('.')) {
        // `my-project.ds.t` or `my-project.ds`.t: a quoted path.
        const pieces = inner.split('.');
        pieces.slice(0, -1).forEach((piece) => {
          current = piece;
          push();
        });
        current = pieces.at(-1) ?? '';
      } else current = inner;
      quoted = true;
    } else if (/\s/.test(ch)) {
      throw badName(text, `it has a space (at ${i + 1}); quote the part that holds it`);
    } else {
      if (quoted) throw badName(text, `text follows a closing quote (at ${i + 1})`);
      current += ch;
      i++;
    }
  }
  push();
  if (parts.some((p) => p === '')) throw badName(text, 'a part of it is empty');
  if (parts.length > 3)
    throw badName(text, `it has ${parts.length} parts; at most 3 (${exampleName(provider)})`);
  return parts;
}

/** How a fully qualified name looks on a provider (for messages). */
export function exampleName(provider: Provider): string {
  switch (provider) {
    case 'bigquery':
      return 'project.dataset.table';
    case 'snowflake':
      return 'DATABASE.SCHEMA.TABLE';
    case 'databricks':
      return 'catalog.schema.table';
    default:
      return 'database.schema.table, or schema.table';
  }
}

/** Catalogs, and schemas, that no data folder may name (DuckDB's own, and the emulator's). */
export const RESERVED_CATALOGS: ReadonlySet<string> = new Set(['memory', 'system', 'temp', 'main']);
export const RESERVED_SCHEMAS: ReadonlySet<string> = new Set([
  'main',
  'information_schema',
  'pg_catalog',
  '__sources',
]);
