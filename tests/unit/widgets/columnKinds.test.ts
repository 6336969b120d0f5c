import { describe, expect, it } from 'vitest';
import {
  columnsByKind,
  defaultWidgets,
  nextWidgetId,
} from '../../../src/features/widgets/builder/columnKinds';

describe('widget builder: columns and a first panel', () => {
  it('sorts columns by what widgets can do with them, in any warehouse’s type names', () => {
    expect(
      columnsByKind([
        { name: 'cartodb_id', type: 'BIGINT' },
        { name: 'geom', type: 'GEOMETRY' },
        { name: 'name', type: 'VARCHAR' },
        { name: 'kind', type: 'STRING' },
        { name: 'pop', type: 'INT64' },
        { name: 'area', type: 'FLOAT64' },
        { name: 'opened', type: 'DATE' },
        { name: 'seen', type: 'TIMESTAMP WITH TIME ZONE' },
        { name: 'tags', type: 'VARCHAR[]' },
      ]),
    ).toEqual({
      number: ['pop', 'area'],
      text: ['name', 'kind'],
      date: ['opened', 'seen'],
      other: ['tags'],
    });
  });

  it('builds a first panel from the schema, skipping per-feature names as categories', () => {
    const specs = defaultWidgets([
      { name: 'name', type: 'VARCHAR' },
      { name: 'country', type: 'VARCHAR' },
      { name: 'population', type: 'BIGINT' },
    ]);
    expect(specs.map((s) => [s.type, 'column' in s ? s.column : undefined])).toEqual([
      ['formula', undefined],
      ['category', 'country'],
      ['histogram', 'population'],
    ]);
    expect(defaultWidgets([{ name: 'name', type: 'VARCHAR' }])[1]).toMatchObject({
      type: 'category',
      column: 'name',
    });
    expect(nextWidgetId(specs)).toBe('w4');
    expect(nextWidgetId([...specs, { ...specs[0]!, id: 'w4' }])).toBe('w5');
  });
});
