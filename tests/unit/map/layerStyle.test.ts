import { describe, expect, it } from 'vitest';
import { colorBins as deckColorBins, colorCategories as deckColorCategories } from '@deck.gl/carto';
import {
  colorBins,
  colorCategories,
  NULL_COLOR,
  OTHERS_COLOR,
} from '../../../src/features/map/layers/layerStyle';
import type { RGBA } from '../../../src/features/map/mapSlice';

const red: RGBA = [255, 0, 0, 255];
const green: RGBA = [0, 255, 0, 255];
const blue: RGBA = [0, 0, 255, 255];
const feature = (value: unknown) => ({ properties: { v: value } });
/** deck.gl reads [r, g, b] as opaque: compare as RGBA. */
const rgba = (color: Iterable<number>) => [...color];
const opaque = (color: readonly number[]) => (color.length === 3 ? [...color, 255] : rgba(color));
const samples = ['a', 'b', 'c', '', 0, 1, 5, 10, 11, -3, null, undefined, NaN, Infinity, true];

describe('colour accessors', () => {
  it('categories: one colour per value, others and nulls like @deck.gl/carto', () => {
    const rule = { column: 'v', domain: ['a', 'b', '1'], colors: [red, green, blue] };
    const ours = colorCategories(rule);
    expect(ours(feature('a'))).toEqual(red);
    expect(ours(feature(1))).toEqual(blue);
    expect(ours(feature('zzz'))).toEqual(OTHERS_COLOR);
    expect(ours(feature(null))).toEqual(NULL_COLOR);
    expect(ours({ properties: null })).toEqual(NULL_COLOR);
    const theirs = deckColorCategories({ attr: 'v', domain: rule.domain, colors: rule.colors });
    for (const value of samples)
      expect(ours(feature(value))).toEqual(
        opaque(theirs(feature(value) as never, {} as never) as readonly number[]),
      );
  });

  it('bins: n thresholds, n + 1 colours, like @deck.gl/carto', () => {
    const rule = { column: 'v', thresholds: [1, 10], colors: [red, green, blue] };
    const ours = colorBins(rule);
    expect(ours(feature(0))).toEqual(red);
    expect(ours(feature(1))).toEqual(green);
    expect(ours(feature(9.99))).toEqual(green);
    expect(ours(feature(10))).toEqual(blue);
    expect(ours(feature('7'))).toEqual(NULL_COLOR);
    const theirs = deckColorBins({ attr: 'v', domain: rule.thresholds, colors: rule.colors });
    for (const value of samples.filter((v) => typeof v === 'number' && Number.isFinite(v)))
      expect(ours(feature(value))).toEqual(
        opaque(theirs(feature(value) as never, {} as never) as readonly number[]),
      );
  });
});
