import { describe, expect, it } from 'vitest';
import { duckdbThreads, qualified } from '../../../emulator/data/database';
import { quoteIdentifier } from '../../../protocol/sql';

describe('quoteIdentifier', () => {
  it('double-quotes and doubles inner quotes', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(qualified('demo', 'x y')).toBe('"demo"."x y"');
  });
});

describe('EMULATOR_DUCKDB_THREADS', () => {
  it('is 2 when unset, the number when a whole one, and an error naming the variable otherwise', () => {
    const threads = (value?: string) => duckdbThreads({ EMULATOR_DUCKDB_THREADS: value });
    expect(threads(undefined)).toBe('2');
    expect(threads('')).toBe('2');
    expect(threads('1')).toBe('1');
    expect(threads('16')).toBe('16');
    for (const bad of ['0', '-1', '1.5', 'two', ' 2', '1000']) {
      expect(() => threads(bad)).toThrow(
        `EMULATOR_DUCKDB_THREADS=${bad}: DuckDB's threads per query must be a whole number from 1 to 999`,
      );
    }
  });
});
