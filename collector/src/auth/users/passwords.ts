/**
 * Password hashes: scrypt from node:crypto (memory-hard, no native dependency to build), with the
 * parameters stored in each hash so they can be raised later without invalidating old hashes.
 * Defaults: N = 2^15, r = 8, p = 3 (32 MiB and about 0.1–0.3 s per hash), one of OWASP's
 * recommended scrypt settings. At most two hashes run at once, so a flood of sign-in attempts
 * queues instead of taking 32 MiB each.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptCost {
  /** log2 of N, the CPU/memory cost. */
  logN: number;
  r: number;
  p: number;
}

export const DEFAULT_COST: ScryptCost = { logN: 15, r: 8, p: 3 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const MAX_CONCURRENT = 2;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.logN;
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 128 * N * cost.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

let running = 0;
const waiting: Array<() => void> = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** `$scrypt$ln=15,r=8,p=3$<salt>$<key>`, salt and key in base64. */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await limited(() => derive(password, salt, cost));
  return `$scrypt$ln=${cost.logN},r=${cost.r},p=${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/**
 * Whether `password` matches `stored`; compared in constant time. A malformed or empty hash
 * matches nothing, after the same work as a real check at `dummyCost` (so an unknown email or an
 * account without a password is not told apart by the time of the answer).
 */
export async function verifyPassword(stored: string, password: string, dummyCost: ScryptCost = DEFAULT_COST): Promise<boolean> {
  const m = FORMAT.exec(stored);
  if (!m) {
    await limited(() => derive(password, DUMMY_SALT, dummyCost));
    return false;
  }
  const cost = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (cost.logN < 10 || cost.logN > 20 || cost.r < 1 || cost.p < 1) return false;
  const expected = Buffer.from(m[5]!, 'base64');
  const actual = await limited(() => derive(password, Buffer.from(m[4]!, 'base64'), cost));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const DUMMY_SALT = randomBytes(SALT_BYTES);

/** Hashing at one cost: the collector's default; tests of the sign-in flow pass a cheaper one to stay fast. */
export class PasswordHasher {
  constructor(readonly cost: ScryptCost = DEFAULT_COST) {}

  hash(password: string): Promise<string> {
    return hashPassword(password, this.cost);
  }

  verify(stored: string, password: string): Promise<boolean> {
    return verifyPassword(stored, password, this.cost);
  }
}
