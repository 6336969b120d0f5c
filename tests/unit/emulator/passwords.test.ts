import { describe, expect, it } from 'vitest';
import {
  DUMMY_HASH,
  hashSecret,
  isSecretHash,
  safeEqual,
  verifySecret,
} from '../../../emulator/auth/passwords';

describe('password hashing', () => {
  it('hashes with a random salt and verifies only the right secret', async () => {
    const a = await hashSecret('s3cret');
    const b = await hashSecret('s3cret');
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cret');
    expect(isSecretHash(a)).toBe(true);
    expect(await verifySecret('s3cret', a)).toBe(true);
    expect(await verifySecret('s3cret!', a)).toBe(false);
    expect(await verifySecret('', a)).toBe(false);
  });

  it('writes the cost into the hash (16384 by default), and verifies at the cost it reads', async () => {
    expect((await hashSecret('s3cret')).split('$').slice(1, 4)).toEqual(['16384', '8', '1']);
    const cheap = await hashSecret('s3cret', { N: 1024, r: 8, p: 1 });
    expect(cheap.split('$').slice(1, 4)).toEqual(['1024', '8', '1']);
    expect(await verifySecret('s3cret', cheap)).toBe(true);
    expect(await verifySecret('s3cret!', cheap)).toBe(false);
    // The same key at another cost is another hash: the cost is part of what is checked.
    const [, , r, p, salt, key] = cheap.split('$');
    expect(await verifySecret('s3cret', ['scrypt', 2048, r, p, salt, key].join('$'))).toBe(false);
  });

  it('never matches the dummy hash or a malformed one, and never throws', async () => {
    expect(isSecretHash(DUMMY_HASH)).toBe(true);
    expect(await verifySecret('', DUMMY_HASH)).toBe(false);
    expect(await verifySecret('x', 'scrypt$1$1$1$AA$AA')).toBe(false);
    expect(await verifySecret('x', 'plain-text')).toBe(false);
  });

  it('compares strings of any length in constant time', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
