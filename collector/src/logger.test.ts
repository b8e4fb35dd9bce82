/**
 * Errors in the log: a ClickHouse refusal of data (whose message quotes the rows it could not read)
 * is logged by its code, its text only at debug level; other errors keep their message. The
 * refusal is a real one, from the embedded engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import type { Storage } from './storage/client.js';
import { isDataError } from './storage/insert-errors.js';
import { openMigrated, tempDataDir } from './test-support/temp-storage.js';

const tmp = tempDataDir('sightline-logger-');
let storage: Storage;
const SECRET = 'my card number is 4111-1111';

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

async function refusal(): Promise<Error> {
  try {
    await storage.insertRaw({
      table: 'scores',
      format: 'JSONEachRow',
      // A missing comma: the engine's message quotes the text after it.
      body: Buffer.from(`{"project_id":"default","score_id":"s" "name":"${SECRET}"}\n`),
    });
  } catch (error) {
    return error as Error;
  }
  throw new Error('the engine accepted a row it cannot parse');
}

const logged = (level: 'error' | 'debug', error: Error): string => {
  const lines: string[] = [];
  createLogger(level, 'test', (l) => lines.push(l)).error('insert failed', { error });
  return lines.join('');
};

describe('errors in the log', () => {
  it('withholds the row text of a data refusal and names its code, but shows it at debug level', async () => {
    const error = await refusal();
    expect(isDataError(error)).toBe(true);
    expect(error.message).toContain('4111');
    const line = logged('error', error);
    expect(line).not.toContain('4111');
    expect(line).toMatch(/ClickHouse refused the data \(code \d+; message withheld/);
    expect(logged('debug', error)).toContain('4111');
  });

  it('keeps the message of any other error', () => {
    expect(logged('error', new Error('connect ECONNREFUSED 127.0.0.1:8123'))).toContain('ECONNREFUSED 127.0.0.1:8123');
  });
});
