/**
 * Channel secrets (Slack URLs, webhook signing secrets) at rest: AES-256-GCM, one random IV per
 * value, under SIGHTLINE_SECRET_KEY or, when it is unset, a key generated once into
 * `<data dir>/secret.key` (mode 0600). Values written before encryption existed have no prefix
 * and are read as they are; the next write of their rule or delivery stores them encrypted.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('secret key: 32 bytes expected');
  }

  seal(plain: string): string {
    if (plain === '') return '';
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The plain text; a value without the prefix is a legacy plain one. Throws when the key does not match. */
  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** SIGHTLINE_SECRET_KEY: 32 bytes, as 64 hex digits or base64. */
export function parseSecretKey(text: string): Buffer | undefined {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  return key.length === 32 ? key : undefined;
}

/** The configured key, else the data dir's key file, created (0600, exclusively) on first use. */
export function loadSecretBox(configured: string | undefined, dataDir: string): SecretBox {
  if (configured) {
    const key = parseSecretKey(configured);
    if (!key) throw new Error('SIGHTLINE_SECRET_KEY: 32 bytes expected, as 64 hex digits or base64');
    return new SecretBox(key);
  }
  const file = path.join(dataDir, 'secret.key');
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const key = parseSecretKey(readFileSync(file, 'utf8'));
  if (!key) throw new Error(`${file}: not a 32-byte key`);
  return new SecretBox(key);
}
