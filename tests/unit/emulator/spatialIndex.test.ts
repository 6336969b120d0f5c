import { describe, expect, it } from 'vitest';
import { cellToParent, getResolution, tileToCell } from 'quadbin';
import {
  childRange,
  fastTileToCell,
  parseTileCell,
  pointToCell,
} from '../../../emulator/data/spatialIndex';

describe('quadbin helpers of the emulator', () => {
  it('fastTileToCell matches the quadbin package at every resolution', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let z = 0; z <= 26; z++) {
      const n = 2 ** z;
      for (const [x, y] of [
        [0, 0],
        [n - 1, n - 1],
        [Math.floor(random() * n), Math.floor(random() * n)],
        [Math.floor(random() * n), Math.floor(random() * n)],
      ] as const) {
        expect(fastTileToCell(z, x, y)).toBe(tileToCell({ z, x, y }));
      }
    }
  });

  it("a tile's cells at a finer resolution are exactly one range", () => {
    const [lo, hi] = childRange(3, 5, 2, 6);
    const inside: bigint[] = [];
    for (let x = 0; x < 64; x++) {
      for (let y = 0; y < 64; y++) {
        const cell = tileToCell({ z: 6, x, y });
        let parent = cell;
        while (getResolution(parent) > 3n) parent = cellToParent(parent);
        if (parent === tileToCell({ z: 3, x: 5, y: 2 })) inside.push(cell);
        else expect(cell < lo || cell > hi).toBe(true);
      }
    }
    expect(inside).toHaveLength(64);
    for (const cell of inside) expect(cell >= lo && cell <= hi).toBe(true);
  });

  it('points and tile indices', () => {
    // Null Island is in the south-east quadrant's north-west corner at zoom 1.
    expect(pointToCell(0.001, -0.001, 1)).toBe(tileToCell({ z: 1, x: 1, y: 1 }));
    expect(parseTileCell('480fffffffffffff')).toMatchObject({ z: 0, x: 0, y: 0 });
    expect(() => parseTileCell('not-a-cell')).toThrow(/Invalid quadbin/);
  });
});
