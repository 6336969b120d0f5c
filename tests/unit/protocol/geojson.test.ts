import { describe, expect, it } from 'vitest';
import { bboxOf } from '../../../protocol/geojson';

describe('bboxOf', () => {
  it('keeps the max corner of every GeometryCollection member', () => {
    expect(
      bboxOf({
        type: 'GeometryCollection',
        geometries: [
          {
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [10, 0],
                [10, 10],
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
          { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [-5, 40] }] },
        ],
      }),
    ).toEqual([-5, 0, 30, 40]);
  });

  it('reads bare coordinates at any nesting, and several geometries', () => {
    expect(
      bboxOf([
        [
          [1, 2],
          [3, -4],
        ],
        [[5, 6]],
      ]),
    ).toEqual([1, -4, 5, 6]);
    expect(
      bboxOf([
        { type: 'Point', coordinates: [1, 1] },
        { type: 'Point', coordinates: [-1, 2] },
      ]),
    ).toEqual([-1, 1, 1, 2]);
  });

  it('a point is its own box; empty members add nothing', () => {
    expect(bboxOf({ type: 'Point', coordinates: [3, 4] })).toEqual([3, 4, 3, 4]);
    expect(
      bboxOf({
        type: 'GeometryCollection',
        geometries: [
          { type: 'GeometryCollection', geometries: [] },
          {
            type: 'MultiPoint',
            coordinates: [
              [1, -3],
              [4, 8],
            ],
          },
        ],
      }),
    ).toEqual([1, -3, 4, 8]);
  });

  it('is null without a position', () => {
    expect(bboxOf({ type: 'GeometryCollection', geometries: [] })).toBeNull();
    expect(bboxOf([])).toBeNull();
    expect(bboxOf(null)).toBeNull();
  });

  it('handles a polygon of 200,000 vertices (no spread into Math.min)', () => {
    const ring = Array.from({ length: 200_000 }, (_, i) => [Math.cos(i) * 10, Math.sin(i) * 5]);
    const box = bboxOf({ type: 'Polygon', coordinates: [ring] });
    expect(box?.[0]).toBeCloseTo(-10, 3);
    expect(box?.[3]).toBeCloseTo(5, 3);
  });
});
