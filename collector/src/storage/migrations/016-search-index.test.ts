/**
 * Migration 16 on spans written before it: the search index is built for the existing parts
 * (MATERIALIZE INDEX), and a search finds the old spans through it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentTrace } from '../../test-support/span-rows.js';
import { count, tempDataDir } from '../../test-support/temp-storage.js';
import { IngestPipeline } from '../../ingest/pipeline.js';
import { silentLogger } from '../../logger.js';
import { openStorage, type Storage } from '../client.js';
import { migrate } from '../migrate.js';
import { listTraces } from '../queries/traces.js';
import { MIGRATIONS } from './index.js';

const tmp = tempDataDir('sightline-migration-16-');
let storage: Storage;
const now = Date.now();

beforeAll(async () => {
  storage = await openStorage({ clickhouse: { kind: 'embedded', database: 'sightline' }, dataDir: tmp.dir });
  await migrate(
    storage.client,
    MIGRATIONS.filter((m) => m.version < 16),
  );
  const pipeline = await IngestPipeline.start(storage, {
    batchMaxSpans: 10_000,
    flushIntervalMs: 60_000,
    queueMaxSpans: 100_000,
    walDir: undefined,
    dedupCapacity: 10_000,
    logger: silentLogger,
  });
  const rows = agentTrace({ traceIndex: 1, startNs: BigInt(now - 60_000) * 1_000_000n, sessionId: 'old-session' });
  rows.find((r) => r.operation === 'execute_tool')!.output = '{"note":"an axolotl was found"}';
  const done = pipeline.accept(rows, 'default');
  await pipeline.flush();
  await done;
  await pipeline.stop();
});
afterAll(async () => {
  await storage.close();
  tmp.remove();
});

describe('migration 16', () => {
  it('builds the search index for the parts written before it, and the search finds their spans', async () => {
    const indexBytes = () =>
      count(
        storage,
        `SELECT sum(data_compressed_bytes) FROM system.data_skipping_indices WHERE database = currentDatabase() AND table = 'spans' AND name = 'idx_search'`,
      );
    expect(await indexBytes()).toBe(0);
    expect(await migrate(storage.client)).toContain(16);
    // MATERIALIZE INDEX is a mutation: done in the background, so wait for it.
    const deadline = Date.now() + 60_000;
    while ((await count(storage, `SELECT count() FROM system.mutations WHERE table = 'spans' AND NOT is_done`)) > 0) {
      if (Date.now() > deadline) throw new Error('the index was not built within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await indexBytes()).toBeGreaterThan(0);
    const { traces } = await listTraces(storage.client, 'default', {
      limit: 10,
      sort: 'start',
      from: now - 3_600_000,
      to: now,
      q: 'output:axolotl',
    });
    expect(traces.map((t) => t.sessionId)).toEqual(['old-session']);
  });
});
