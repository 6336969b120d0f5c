import type { CartoCredentials } from '../../protocol/oauthTypes';
import { cartoJson, type Fetcher } from './cartoJson';

export { CartoRequestError } from './cartoJson';

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
  columns: { name: string; type: string }[];
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
  columns?: { name: string; type: string }[];
}

/**
 * The datasets the logged-in user may read, per connection, through the connections and
 * resources listing (the CARTO platform emulator's shape; see carto-api.md "Listing").
 */
export async function listDatasets({
  credentials,
  signal,
  fetcher = fetch,
}: {
  credentials: CartoCredentials;
  signal?: AbortSignal;
  fetcher?: Fetcher;
}): Promise<DatasetInfo[]> {
  const base = credentials.apiBaseUrl.replace(/\/$/, '');
  const request = { credentials, fetcher, ...(signal ? { signal } : {}) };
  const connections = await cartoJson<{ name: string }[]>(`${base}/v3/connections`, request);
  const datasets: DatasetInfo[] = [];
  for (const connection of connections) {
    const root = await cartoJson<{ children: Resource[] }>(
      `${base}/v3/connections/${encodeURIComponent(connection.name)}/resources`,
      request,
    );
    for (const schema of root.children.filter((c) => c.type === 'schema')) {
      const tables = await cartoJson<{ children: Resource[] }>(
        `${base}/v3/connections/${encodeURIComponent(connection.name)}/resources/${encodeURIComponent(schema.name)}`,
        request,
      );
      for (const table of tables.children.filter((c) => c.type === 'table')) {
        datasets.push({
          id: `${connection.name}.${schema.name}.${table.name}`,
          connection: connection.name,
          schema: schema.name,
          name: table.name,
          tableName: `${schema.name}.${table.name}`,
          description: table.description ?? '',
          rows: table.rows ?? null,
          spatialDataType: table.spatialDataType ?? 'geo',
          geometryType: table.geometryType ?? null,
          bounds: table.bounds ?? null,
          columns: table.columns ?? [],
        });
      }
    }
  }
  return datasets;
}
