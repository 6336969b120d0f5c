import { apiUrl, cartoJson, CartoRequestError, type ModelContext } from './cartoJson';
import { NAMED_SOURCE_NAME } from '../../protocol/namedSources';

/** A name that stands for a SQL query kept by CARTO (its Named Sources API). */
export interface NamedSource {
  name: string;
  connectionName: string;
  /** The SQL it stands for. */
  source: string;
  description: string;
  /** Who created it (null: the platform's own, read-only). */
  createdBy: string | null;
}

/** Why `name` cannot name a named source, or null when it can. */
export function namedSourceNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 51) return 'A name has 3 to 51 characters.';
  if (!NAMED_SOURCE_NAME.test(name))
    return 'Use lowercase letters, digits, - and _; start with a letter or digit, and do not end in - or _.';
  return null;
}

const PATH = 'v3/named-sources';
const PAGE_SIZE = 100;

/** Every named source the user may use (the API's pages, read to the end). */
export async function listNamedSources(context: ModelContext): Promise<NamedSource[]> {
  const all: NamedSource[] = [];
  for (let page = 1; ; page++) {
    const body = await cartoJson<{ data?: unknown; meta?: { total?: unknown } } | null>(
      apiUrl(context.credentials, PATH, { page: String(page), pageSize: String(PAGE_SIZE) }),
      context,
    );
    if (!Array.isArray(body?.data) || typeof body.meta?.total !== 'number')
      throw new CartoRequestError('The Named Sources API answered in an unexpected shape.', 502);
    all.push(...(body.data as NamedSource[]));
    if (body.data.length < PAGE_SIZE || all.length >= body.meta.total) return all;
  }
}

export interface SaveNamedSourceArgs {
  name: string;
  connectionName: string;
  source: string;
  description?: string;
  /** Replace the SQL of an existing named source (PATCH) instead of creating one. */
  replace: boolean;
}

/** Creates a named source, or replaces the SQL of one the user created. */
export function saveNamedSource(
  { name, connectionName, source, description, replace }: SaveNamedSourceArgs,
  context: ModelContext,
): Promise<NamedSource> {
  const problem = namedSourceNameProblem(name);
  if (problem) throw new RangeError(problem);
  if (source.trim() === '') throw new RangeError('Write the query to save first.');
  const extra = description === undefined ? {} : { description };
  return replace
    ? cartoJson<NamedSource>(
        apiUrl(context.credentials, `${PATH}/${encodeURIComponent(name)}`),
        context,
        { method: 'PATCH', body: { source, ...extra } },
      )
    : cartoJson<NamedSource>(apiUrl(context.credentials, PATH), context, {
        method: 'POST',
        body: { name, connectionName, source, ...extra },
      });
}

export async function deleteNamedSource(name: string, context: ModelContext): Promise<void> {
  await cartoJson<null>(
    apiUrl(context.credentials, `${PATH}/${encodeURIComponent(name)}`),
    context,
    { method: 'DELETE' },
  );
}
