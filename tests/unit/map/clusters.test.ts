import { describe, expect, it } from 'vitest';
import type { PickingInfo } from '@deck.gl/core';
import { clusterSource, isPointDataset } from '../../../src/views/datasets/datasetLayer';
import { clusterLabel, clusterRadius } from '../../../src/features/map/layers/clusterStyle';
import { plainProperties } from '../../../src/features/map/pickedFeature';
import { makeTooltip } from '../../../src/features/map/DeckLayers';
import type { DatasetInfo } from '../../../src/api/datasetsModel';
import { dataset as fixture } from './datasetFixture';
import type { LayerConfig } from '../../../src/features/map/mapSlice';

/** The fixture dataset, named `places`. */
const dataset = (over: Partial<DatasetInfo>): DatasetInfo =>
  fixture({ id: 'carto_dw.demo.places', name: 'places', tableName: 'demo.places', ...over });

describe('clusters of points', () => {
  it('only point datasets can be clustered, through a quadbin query source', () => {
    expect(isPointDataset(dataset({}))).toBe(true);
    expect(isPointDataset(dataset({ geometryType: 'MultiPoint' }))).toBe(true);
    expect(isPointDataset(dataset({ geometryType: 'Polygon' }))).toBe(false);
    expect(isPointDataset(dataset({ spatialDataType: 'quadbin', geometryType: null }))).toBe(false);
    expect(clusterSource(dataset({ tableName: 'my-project.ds.t"x' }))).toEqual({
      id: 'dataset:carto_dw.demo.places:clusters',
      type: 'quadbin-query',
      connection: 'carto_dw',
      data: 'SELECT QUADBIN_FROMGEOGPOINT(geom, 18) AS quadbin FROM "my-project"."ds"."t""x"',
      spatialDataColumn: 'quadbin',
      aggregationExp: 'COUNT(*) AS points_count',
    });
    expect(clusterSource(dataset({})).data).toBe(
      'SELECT QUADBIN_FROMGEOGPOINT(geom, 18) AS quadbin FROM demo.places',
    );
  });

  it('labels and sizes grow with the number of points', () => {
    expect([1, 950, 1000, 1234, 35_400, 999_999, 1_400_000].map(clusterLabel)).toEqual([
      '1',
      '950',
      '1k',
      '1.2k',
      '35k',
      '1000k',
      '1.4M',
    ]);
    expect(clusterRadius(1)).toBe(8);
    expect(clusterRadius(1000)).toBe(32);
    expect(clusterRadius(0)).toBe(8);
  });

  it('a picked cluster (64-bit id) becomes plain properties; its tooltip says how many points', () => {
    const cluster = { properties: { id: 5188146770730811392n, count: 1234, position: [1, 2] } };
    expect(plainProperties(cluster)).toEqual({
      id: '5188146770730811392',
      count: 1234,
      position: '[1,2]',
    });
    expect(plainProperties({ properties: { nested: { id: 1n } } })).toEqual({
      nested: '{"id":"1"}',
    });
    const layer: LayerConfig = {
      id: 'layer:c',
      sourceId: 's',
      kind: 'cluster',
      title: 'places (clusters)',
      visible: true,
      style: {},
    };
    const tooltip = makeTooltip([layer])({
      object: cluster,
      layer: { id: 'layer:c' },
      x: 10,
      y: 10,
    } as unknown as PickingInfo);
    expect(tooltip?.text).toBe('1,234 points of places');
  });
});
