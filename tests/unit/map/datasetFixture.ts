import type { DatasetInfo } from '../../../src/api/datasetsModel';

/** A dataset as the listing gives it: a point table `demo.t`, with whatever `over` changes. */
export const dataset = (over: Partial<DatasetInfo>): DatasetInfo => ({
  id: 'carto_dw.demo.t',
  connection: 'carto_dw',
  schema: 'demo',
  name: 't',
  tableName: 'demo.t',
  description: '',
  rows: 10,
  spatialDataType: 'geo',
  geometryType: 'Point',
  bounds: null,
  columns: [],
  ...over,
});
