import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

/** N = 2^15, r = 8, p = 1: OWASP's scrypt minimum (≈32 MB, ≈0.1 s here); stored with the hash so it can grow. */
const DEFAULT = { logN: 15, r: 8, p: 1 };
const KEY_LEN = 32;

/**
 * Hashes a password with scrypt and a random 16-byte salt. The result is self-describing:
 * `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (base64url), so the cost can be raised without a migration.
 */
export async function hashPassword(password: string, params = DEFAULT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LEN, costOf(params));
  return ['scrypt', params.logN, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`. Constant-time comparison; a malformed `stored` never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![logN, r, p].every(Number.isInteger) || logN < 10 || logN > 20) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (expected.length !== KEY_LEN) return false;
  const key = await scrypt(password, salt, KEY_LEN, costOf({ logN, r, p }));
  return timingSafeEqual(key, expected);
}

/**
 * A hash of a password nobody has: the login verifies against it when the email is unknown, so an
 * unknown address takes as long as a wrong password (no user enumeration through timing).
 */
export const dummyHashPromise = (): Promise<string> => hashPassword(randomBytes(18).toString('base64url'));

function costOf(params: { logN: number; r: number; p: number }): ScryptOptions {
  const N = 2 ** params.logN;
  // Node refuses scrypt above 32 MB unless maxmem says otherwise; 128·N·r bytes plus headroom.
  return { N, r: params.r, p: params.p, maxmem: 128 * N * params.r * 2 };
}

/** Password rules shared by the API, the CLI and ADMIN_PASSWORD: length, not composition (NIST 800-63B). */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
