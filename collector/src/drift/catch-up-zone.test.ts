/**
 * drift_session_signals is partitioned by toDate(start_time) in the server's zone: a day swapped
 * in after late spans must be that zone's day, or the swap would drop the sessions of the part of
 * the day it did not recompute. Here the server runs at UTC−03:30 and late spans land around
 * midnight UTC (evening of the server's day).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Before anything loads chDB (every storage import below is dynamic).
process.env.TZ = 'America/St_Johns';

const { openMigrated, tempDataDir } = await import('../test-support/temp-storage.js');
const { select } = await import('../storage/queries/common.js');
const { IngestPipeline } = await import('../ingest/pipeline.js');
const { agentTrace } = await import('../test-support/span-rows.js');
const { DriftEngine } = await import('./engine.js');

const tmp = tempDataDir('sightline-drift-zone-');
let storage: Awaited<ReturnType<typeof openMigrated>>;
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 2, 9, 12, 0);
let traceIndex = 0;

/** One session every 20 minutes over [fromMs, toMs). */
function sessions(fromMs: number, toMs: number) {
  const rows = [];
  for (let t = fromMs; t < toMs; t += 20 * 60_000) {
    rows.push(...agentTrace({ traceIndex: traceIndex++, startNs: BigInt(t) * 1_000_000n, steps: 1 + (traceIndex % 3) }));
  }
  return rows;
}

async function write(rows: ReturnType<typeof sessions>): Promise<void> {
  const p = await IngestPipeline.start(storage, {
    batchMaxSpans: 5_000,
    flushIntervalMs: 50,
    queueMaxSpans: 100_000,
    walDir: undefined,
    dedupCapacity: 10_000,
    logger: quiet,
  });
  await p.accept(rows, 'default');
  await p.stop();
}

const signals = () =>
  select<Record<string, unknown>>(
    storage.client,
    `SELECT * EXCEPT computed_at FROM drift_session_signals ORDER BY start_time, session_key`,
    {},
  );

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

describe('drift catch-up on a server in another time zone', () => {
  it('swaps whole server-zone days: late spans around midnight UTC lose no session', async () => {
    expect(await select(storage.client, 'SELECT serverTimezone() AS z', {})).toEqual([{ z: 'America/St_Johns' }]);
    const engine = new DriftEngine(storage.client, {}, quiet);
    // Every third slot first; the late ones fill in 22:00–02:00 UTC of the night before NOW.
    const midnight = Date.UTC(2026, 2, 9);
    await write(sessions(NOW - 3 * 24 * HOUR, NOW - 20 * 60_000));
    await engine.materialize(NOW);
    const before = (await signals()).length;
    await write(sessions(midnight - 2 * HOUR + 7 * 60_000, midnight + 2 * HOUR));
    await engine.materialize(NOW + 60_000);
    const incremental = await signals();
    expect(incremental).toHaveLength(before + 12);

    await storage.client.command({ query: 'TRUNCATE TABLE drift_session_signals' });
    await storage.client.command({ query: 'TRUNCATE TABLE drift_progress' });
    await engine.materialize(NOW + 60_000);
    expect(incremental).toEqual(await signals());
  }, 120_000);
});
