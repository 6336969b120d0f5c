import { describe, expect, it } from 'vitest';
import {
  categoriesRule,
  classesRule,
  styleColumns,
} from '../../../src/features/map/layers/styleRules';
import { equalThresholds, magnitudeThresholds } from '../../../src/features/map/layers/classBreaks';
import { isInternalColumn } from '../../../src/features/map/featureFormat';
import { paletteColors } from '../../../src/features/map/layers/palettes';
import type { RGBA } from '../../../src/features/map/mapSlice';

const tilejson = {
  tilestats: {
    layers: [
      {
        attributes: [
          { attribute: 'cartodb_id', type: 'Number', min: 1, max: 900 },
          {
            attribute: 'name',
            type: 'String',
            categories: [{ category: 'Lima' }, { category: '' }],
          },
          { attribute: 'population', type: 'Number', min: 0, max: 35_000_000 },
          { attribute: 'quadbin', type: 'String', categories: [{ category: '5200' }] },
          { attribute: 'broken', type: 'Number', min: null, max: 'x' },
          { attribute: 'empty', type: 'String', categories: [] },
        ],
      },
    ],
  },
};

describe('style rules from tilestats', () => {
  it('offers the columns worth colouring by: not ids, cells, or columns without statistics', () => {
    expect(styleColumns(tilejson)).toEqual([
      { name: 'name', type: 'string', categories: ['Lima'] },
      { name: 'population', type: 'number', min: 0, max: 35_000_000 },
    ]);
    expect(styleColumns({})).toEqual([]);
    expect(isInternalColumn('store_id', 'store_id')).toBe(true);
    expect(isInternalColumn('__xmin')).toBe(true);
    expect(isInternalColumn('revenue')).toBe(false);
  });

  it('categories: one colour per value, as many values as colours', () => {
    const colors: RGBA[] = [
      [1, 1, 1, 255],
      [2, 2, 2, 255],
    ];
    expect(categoriesRule('type', ['a', 'b', 'c'], colors)).toEqual({
      column: 'type',
      domain: ['a', 'b'],
      colors,
    });
    expect(categoriesRule('type', ['a'], colors).colors).toEqual([[1, 1, 1, 255]]);
  });

  it('equal intervals: rounded breaks strictly inside the range', () => {
    expect(equalThresholds(0, 100, 4)).toEqual([25, 50, 75]);
    expect(equalThresholds(0, 1187.33, 2)).toEqual([590]);
    expect(equalThresholds(5, 5, 4)).toEqual([]);
    expect(equalThresholds(0, 10, 1)).toEqual([]);
  });

  it('classes: thresholds by method and one colour per class, darkest last', () => {
    const ramp = (n: number) => paletteColors('Sunset', n);
    const equal = classesRule({ name: 'v', min: 0, max: 100 }, 'equal', ramp, 5);
    expect(equal.thresholds).toEqual([20, 40, 60, 80]);
    expect(equal.colors).toHaveLength(5);
    const powers = classesRule({ name: 'v', min: 0, max: 3_000_000 }, 'magnitude', ramp, 4);
    expect(powers.thresholds).toEqual(magnitudeThresholds(3_000_000, 4));
    expect(powers.thresholds).toEqual([1e4, 1e5, 1e6]);
    expect(powers.colors).toHaveLength(4);
  });
});

describe('CARTOColors palettes', () => {
  it('a sequential palette gives its own ramp of the size asked, light to dark', () => {
    const colors = paletteColors('Sunset', 3, 200);
    expect(colors).toEqual([
      [243, 231, 155, 200],
      [235, 127, 134, 200],
      [92, 83, 165, 200],
    ]);
  });

  it('a qualitative palette gives distinct hues, never its trailing grey, cycling past its end', () => {
    const colors = paletteColors('Bold', 13);
    expect(colors[0]).toEqual([127, 60, 141, 255]);
    expect(colors).not.toContainEqual([165, 170, 153, 255]);
    expect(colors[11]).toEqual(colors[0]);
  });

  it('nothing for a palette it does not have', () => {
    expect(paletteColors('NoSuchPalette', 3)).toEqual([]);
    expect(paletteColors('Bold', 0)).toEqual([]);
  });
});
