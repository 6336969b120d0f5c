// @vitest-environment node
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
