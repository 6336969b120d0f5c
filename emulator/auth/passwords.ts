import { randomBytes, scrypt, timingSafeEqual, createHash } from 'node:crypto';

/**
 * Password and secret hashes: `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>`.
 * scrypt is in Node's standard library and memory-hard; comparisons are constant time.
 */
const KEY_LENGTH = 32;
const DEFAULTS: ScryptCost = { N: 16384, r: 8, p: 1 };

/** scrypt's cost parameters. They are written into each hash, and verifying reads them there. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

function scryptAsync(secret: string, salt: Buffer, params: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, { ...params, maxmem: 64 * 1024 * 1024 }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** A hash of `secret` at the default cost (33 ms on the development machine), or at `cost`. */
export async function hashSecret(secret: string, cost: ScryptCost = DEFAULTS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, cost);
  return [
    'scrypt',
    cost.N,
    cost.r,
    cost.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/**
 * A well-formed hash no secret matches: verified against when the user or client is unknown, so
 * that case takes as long as a wrong password.
 */
export const DUMMY_HASH = `scrypt$${DEFAULTS.N}$${DEFAULTS.r}$${DEFAULTS.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`;

const HASH_FORMAT = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export function isSecretHash(value: string): boolean {
  return HASH_FORMAT.test(value);
}

/** Constant-time check of `secret` against a hash made by `hashSecret`. */
export async function verifySecret(secret: string, hash: string): Promise<boolean> {
  const match = HASH_FORMAT.exec(hash);
  if (!match) return false;
  const [, N, r, p, salt = '', expected = ''] = match;
  const expectedKey = Buffer.from(expected, 'base64url');
  let key: Buffer;
  try {
    key = await scryptAsync(secret, Buffer.from(salt, 'base64url'), {
      N: Number(N),
      r: Number(r),
      p: Number(p),
    });
  } catch {
    return false; // parameters scrypt refuses: no secret can match
  }
  return key.length === expectedKey.length && timingSafeEqual(key, expectedKey);
}

/** Constant-time equality of two strings (compared as SHA-256 digests, so lengths may differ). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A random URL-safe token with `bytes` of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
