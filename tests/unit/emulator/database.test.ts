import { describe, expect, it } from 'vitest';
import { qualified } from '../../../emulator/data/database';
import { quoteIdentifier } from '../../../protocol/sql';
import { bboxOf as bbox } from '../../../protocol/geojson';

// The emulator's table bounds use protocol/geojson.ts; these cases are the ones it fixed.
describe('bboxOf, as the emulator uses it', () => {
  it('spans every member of a GeometryCollection, max corners included', () => {
    expect(
      bbox({
        type: 'GeometryCollection',
        geometries: [
          {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [10, 0],
                [10, 10],
                [0, 10],
                [0, 0],
              ],
            ],
          },
          {
            type: 'LineString',
            coordinates: [
              [20, 20],
              [30, 30],
            ],
          },
        ],
      }),
    ).toEqual([0, 0, 30, 30]);
  });

  it('nested collections and empty members', () => {
    expect(
      bbox({
        type: 'GeometryCollection',
        geometries: [
          { type: 'GeometryCollection', geometries: [] },
          {
            type: 'GeometryCollection',
            geometries: [{ type: 'Point', coordinates: [-5, 2] }],
          },
          {
            type: 'MultiPoint',
            coordinates: [
              [1, -3],
              [4, 8],
            ],
          },
        ],
      }),
    ).toEqual([-5, -3, 4, 8]);
  });

  it('a point is its own box', () => {
    expect(bbox({ type: 'Point', coordinates: [3, 4] })).toEqual([3, 4, 3, 4]);
  });
});

describe('quoteIdentifier', () => {
  it('double-quotes and doubles inner quotes', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(qualified('demo', 'x y')).toBe('"demo"."x y"');
  });
});
