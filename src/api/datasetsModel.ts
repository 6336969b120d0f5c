import { apiUrl, cartoJson, type ModelContext } from './cartoJson';

interface DatasetColumn {
  name: string;
  type: string;
}

export interface DatasetInfo {
  id: string;
  connection: string;
  schema: string;
  name: string;
  /** `schema.name`, what a table source takes. */
  tableName: string;
  description: string;
  rows: number | null;
  /** 'geo', 'h3' or 'quadbin'. */
  spatialDataType: string;
  geometryType: string | null;
  bounds: [number, number, number, number] | null;
  columns: DatasetColumn[];
}

interface Resource {
  id: string;
  name: string;
  type: string;
  description?: string;
  rows?: number;
  spatialDataType?: string;
  geometryType?: string | null;
  bounds?: [number, number, number, number] | null;
  columns?: DatasetColumn[];
}

const resourcesPath = (connection: string, path?: string) =>
  `v3/connections/${encodeURIComponent(connection)}/resources${path ? `/${encodeURIComponent(path)}` : ''}`;

function toDataset(connection: string, schema: string, table: Resource): DatasetInfo {
  return {
    id: `${connection}.${schema}.${table.name}`,
    connection,
    schema,
    name: table.name,
    tableName: `${schema}.${table.name}`,
    description: table.description ?? '',
    rows: table.rows ?? null,
    spatialDataType: table.spatialDataType ?? 'geo',
    geometryType: table.geometryType ?? null,
    bounds: table.bounds ?? null,
    columns: table.columns ?? [],
  };
}

/**
 * The datasets the logged-in user may read, per connection, through the connections and
 * resources listing (the CARTO platform emulator's shape; see carto-api.md "Listing").
 */
export async function listDatasets(context: ModelContext): Promise<DatasetInfo[]> {
  const { credentials } = context;
  const connections = await cartoJson<{ name: string }[]>(
    apiUrl(credentials, 'v3/connections'),
    context,
  );
  const datasets: DatasetInfo[] = [];
  for (const connection of connections) {
    const root = await cartoJson<{ children: Resource[] }>(
      apiUrl(credentials, resourcesPath(connection.name)),
      context,
    );
    for (const schema of root.children.filter((c) => c.type === 'schema')) {
      const tables = await cartoJson<{ children: Resource[] }>(
        apiUrl(credentials, resourcesPath(connection.name, schema.name)),
        context,
      );
      for (const table of tables.children.filter((c) => c.type === 'table')) {
        datasets.push(toDataset(connection.name, schema.name, table));
      }
    }
  }
  return datasets;
}

/** One table's description and columns (`tableName` is `schema.table`). */
export async function getDatasetSchema(
  { connection, tableName }: { connection: string; tableName: string },
  context: ModelContext,
): Promise<DatasetInfo> {
  const [schema = '', ...rest] = tableName.split('.');
  if (!schema || rest.length === 0)
    throw new RangeError(`"${tableName}" is not a schema-qualified table name.`);
  const table = await cartoJson<Resource>(
    apiUrl(context.credentials, resourcesPath(connection, tableName)),
    context,
  );
  return toDataset(connection, schema, table);
}
