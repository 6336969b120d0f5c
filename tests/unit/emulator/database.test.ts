import { describe, expect, it } from 'vitest';
import { qualified } from '../../../emulator/data/database';
import { quoteIdentifier } from '../../../protocol/sql';

describe('quoteIdentifier', () => {
  it('double-quotes and doubles inner quotes', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(qualified('demo', 'x y')).toBe('"demo"."x y"');
  });
});
