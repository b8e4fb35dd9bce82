/** The bootstrap key file: written once with a random key (0600), then read as it is. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { tempDataDir } from '../test-support/temp-storage.js';
import { keyPrefix } from './api-keys.js';
import { loadBootstrapKeyFile } from './bootstrap-key-file.js';

const tmp = tempDataDir('sightline-bootstrap-key-');
afterAll(() => tmp.remove());

describe('loadBootstrapKeyFile', () => {
  it('creates a random key readable by its owner only at first start, and reads the same one afterwards', () => {
    const file = join(tmp.dir, 'keys', 'bootstrap-api-key');
    const key = loadBootstrapKeyFile(file, silentLogger);
    expect(keyPrefix(key)).toBe('bootstrap');
    expect(key.length).toBeGreaterThanOrEqual(50);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadBootstrapKeyFile(file, silentLogger)).toBe(key);
    expect(loadBootstrapKeyFile(join(tmp.dir, 'other'), silentLogger)).not.toBe(key);
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
  });

  it('refuses a file that holds no key rather than replacing it', () => {
    const file = join(tmp.dir, 'junk');
    writeFileSync(file, 'password123\n');
    expect(() => loadBootstrapKeyFile(file, silentLogger)).toThrow(/not an API key/);
    expect(readFileSync(file, 'utf8')).toBe('password123\n');
  });
});
