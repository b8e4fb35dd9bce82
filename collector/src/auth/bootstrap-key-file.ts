/**
 * SIGHTLINE_BOOTSTRAP_API_KEY_FILE: the bootstrap key kept in a file, so a fresh install (the
 * docker-compose start) has an instance administrator's credential without any other step. At
 * first start the file does not exist: a random key is written to it (mode 0600, created
 * exclusively, so two collectors starting together keep the one written first) and its path, never
 * the key, is logged. Whoever can read the file (the host's administrator) holds the key.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../logger.js';
import { keyPrefix } from './api-keys.js';

function read(path: string): string {
  const key = readFileSync(path, 'utf8').trim();
  if (keyPrefix(key) === undefined) throw new Error(`${path}: not an API key (sl_<prefix>_<secret>)`);
  return key;
}

export function loadBootstrapKeyFile(path: string, log: Logger): string {
  try {
    return read(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dirname(path), { recursive: true });
  const key = `sl_bootstrap_${randomBytes(32).toString('base64url')}`;
  try {
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return read(path);
    throw e;
  }
  log.info('bootstrap API key created: an instance administrator key; read it from the file', { file: path });
  return key;
}
