import { describe, expect, it } from 'vitest';
import { featureFields, formatValue } from '../../../src/features/map/featureFormat';

describe('feature values as people read them', () => {
  it('numbers in the user’s locale, with sensible decimals', () => {
    expect(formatValue(3_255_944, 'en-US')).toBe('3,255,944');
    expect(formatValue(3_255_944, 'de-DE')).toBe('3.255.944');
    expect(formatValue(1234.5678, 'en-US')).toBe('1,235');
    expect(formatValue(12.3456, 'fr-FR')).toBe('12,35');
    expect(formatValue(0.012345, 'en-US')).toBe('0.0123');
    expect(formatValue(Number.NaN, 'en-US')).toBe('NaN');
  });

  it('dates as dates, timestamps with their time; other strings as they are', () => {
    expect(formatValue('2024-03-05', 'en-US')).toBe('Mar 5, 2024');
    expect(formatValue('2024-03-05', 'es-ES')).toBe('5 mar 2024');
    expect(formatValue('2024-03-05T14:30:00Z', 'en-US')).toMatch(/Mar 5, 2024/);
    expect(formatValue('2024-03-05 14:30:00', 'en-US')).toMatch(/2024/);
    // A date stored as a timestamp (midnight UTC) reads as the date.
    expect(formatValue('2012-10-28T00:00:00', 'en-US')).toBe('Oct 28, 2012');
    expect(formatValue('2024-13-45', 'en-US')).toBe('2024-13-45');
    expect(formatValue('Madrid', 'en-US')).toBe('Madrid');
  });

  it('yes/no, and a dash for no value', () => {
    expect(formatValue(true)).toBe('Yes');
    expect(formatValue(false)).toBe('No');
    expect(formatValue(null)).toBe('—');
    expect(formatValue('')).toBe('—');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
  });

  it('leaves out ids and internals, keeps the order, and stops at max', () => {
    const properties = {
      cartodb_id: 1,
      store_id: 'S-1',
      name: 'Shop',
      __xmin: 3,
      quadbin: '5200',
      revenue: 1500.25,
      opened: '2020-01-31',
    };
    expect(featureFields(properties, { idColumn: 'store_id', locale: 'en-US' })).toEqual([
      { name: 'name', value: 'Shop' },
      { name: 'revenue', value: '1,500' },
      { name: 'opened', value: 'Jan 31, 2020' },
    ]);
    expect(featureFields(properties, { max: 1, locale: 'en-US' })).toEqual([
      { name: 'store_id', value: 'S-1' },
    ]);
  });
});
