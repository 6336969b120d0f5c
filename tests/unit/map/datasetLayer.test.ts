import { describe, expect, it } from 'vitest';
import type { TilejsonResult } from '@carto/api-client';
import {
  aggregationFor,
  datasetSource,
  spatialIndexStyle,
} from '../../../src/views/datasets/datasetLayer';
import { magnitudeThresholds } from '../../../src/features/map/layers/classBreaks';
import { dataset } from './datasetFixture';
import { binLabels } from '../../../src/features/map/layers/layerStyle';

describe('datasets on the map', () => {
  it('geo tables are table sources; quadbin and H3 tables are aggregated', () => {
    expect(datasetSource(dataset({}))).toEqual({
      id: 'dataset:carto_dw.demo.t',
      type: 'table',
      connection: 'carto_dw',
      data: 'demo.t',
    });
    const cells = dataset({
      spatialDataType: 'quadbin',
      columns: [
        { name: 'quadbin', type: 'bigint' },
        { name: 'name', type: 'varchar' },
        { name: 'pop"ulation', type: 'double' },
      ],
    });
    expect(datasetSource(cells)).toMatchObject({
      type: 'quadbin-table',
      spatialDataColumn: 'quadbin',
      aggregationExp: 'SUM("pop""ulation") AS "pop""ulation"',
    });
    expect(aggregationFor(cells).colorColumn).toBe('pop"ulation');
    expect(aggregationFor(dataset({ spatialDataType: 'quadbin' }))).toEqual({
      expression: 'COUNT(*) AS count',
      colorColumn: 'count',
    });
    expect(
      datasetSource(
        dataset({
          spatialDataType: 'h3',
          columns: [
            { name: 'h3', type: 'varchar' },
            { name: 'population', type: 'bigint' },
          ],
        }),
      ),
    ).toMatchObject({
      type: 'h3-table',
      spatialDataColumn: 'h3',
      aggregationExp: 'SUM("population") AS "population"',
    });
    expect(datasetSource(dataset({ spatialDataType: 'raster' }))).toBeNull();
  });

  it('class breaks by order of magnitude, as many as there are colours', () => {
    expect(magnitudeThresholds(3_000_000)).toEqual([10, 100, 1e3, 1e4, 1e5, 1e6]);
    expect(magnitudeThresholds(40_000_000)).toEqual([100, 1e3, 1e4, 1e5, 1e6, 1e7]);
    expect(magnitudeThresholds(50)).toEqual([10]);
    expect(magnitudeThresholds(1)).toEqual([]);
    expect(magnitudeThresholds(NaN)).toEqual([]);
  });

  it('the style reads the value range from the TileJSON, with one colour per class', () => {
    const tilejson = {
      tilestats: { layers: [{ attributes: [{ attribute: 'n', type: 'Number', max: 500 }] }] },
    } as unknown as TilejsonResult;
    const style = spatialIndexStyle(tilejson, 'n');
    expect(style.colorBins?.thresholds).toEqual([10, 100]);
    expect(style.colorBins?.colors).toHaveLength(3);
    expect(spatialIndexStyle(tilejson, 'missing').colorBins?.colors).toHaveLength(1);
    expect(binLabels([10, 100, 1_000_000])).toEqual(['< 10', '10 – 100', '100 – 1M', '≥ 1M']);
    expect(binLabels([])).toEqual(['All values']);
  });
});
