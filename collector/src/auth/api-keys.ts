/**
 * The shape of a project API key: `sl_<prefix>_<secret>`. The prefix (12 lowercase base-32
 * characters, 60 bits) is public: it names the key in lists and finds its row; the secret (32
 * random bytes, base64url) is shown once and only its digest is kept. node:crypto's CSPRNG makes
 * both; no library is needed for that.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY = /^sl_([a-z0-9]{4,32})_([A-Za-z0-9_-]{32,128})$/;
const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const PREFIX_LENGTH = 12;

export interface NewKey {
  prefix: string;
  /** The whole key, to hand to the caller once. */
  key: string;
  sha256: string;
}

/** SHA-256 of the whole key, hex. The key carries 256 random bits, so a fast digest is safe here. */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function newKey(): NewKey {
  const bytes = randomBytes(PREFIX_LENGTH);
  let prefix = '';
  for (const b of bytes) prefix += PREFIX_ALPHABET[b & 31];
  const key = `sl_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { prefix, key, sha256: keyDigest(key) };
}

/** The prefix of a string shaped like a key, or undefined. */
export function keyPrefix(value: string): string | undefined {
  return KEY.exec(value)?.[1];
}

/** Whether `key` has the digest `sha256` (constant time in the digest). */
export function matchesDigest(key: string, sha256: string): boolean {
  const a = Buffer.from(keyDigest(key), 'hex');
  const b = Buffer.from(sha256, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
