/**
 * Two collectors' drift schedulers on one database: each with its own engine, client object and
 * lease (holder id and clock), run their hourly check at the same moments. Only the lease holder
 * materializes and checks; after it stalls the other takes over; no session is summarised twice and
 * no hour checked twice. (The engine serializes materializations per client object within a process,
 * so each scheduler gets its own client object over the same engine, as separate processes would.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IngestPipeline } from '../ingest/pipeline.js';
import { Lease } from '../jobs/lease.js';
import { silentLogger } from '../logger.js';
import type { Storage } from '../storage/client.js';
import { agentTrace } from '../test-support/span-rows.js';
import { count, openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { DriftEngine } from './engine.js';
import { HOUR_MS } from './materialize.js';
import { DriftScheduler } from './scheduler.js';

const tmp = tempDataDir('sightline-drift-leases-');
const T0 = Date.UTC(2026, 10, 20, 0);
const TTL = 30_000;
let storage: Storage;

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  const p = await IngestPipeline.start(storage, {
    batchMaxSpans: 10_000,
    flushIntervalMs: 50,
    queueMaxSpans: 100_000,
    walDir: undefined,
    dedupCapacity: 100_000,
    logger: silentLogger,
  });
  // A session every 10 minutes for 6 hours.
  for (let i = 0; i < 36; i++) {
    await p.accept(agentTrace({ traceIndex: i, sessionId: `s-${i}`, startNs: BigInt(T0 + i * 600_000) * 1_000_000n }), 'default');
  }
  await p.stop();
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

it('only the lease holder materializes and checks; a standby takes over; nothing is done twice', async () => {
  let now = T0 + 2 * HOUR_MS + 20 * 60_000;
  const scheduler = (holder: string, skew: number) => {
    const client = new Proxy(storage.client, {}); // another client object over the same tables
    const lease = new Lease(client, { job: 'drift', holder, ttlMs: TTL, maxClockSkewMs: 2_000, now: () => now + skew });
    return { lease, scheduler: new DriftScheduler(new DriftEngine(client, {}, silentLogger), silentLogger, HOUR_MS, lease) };
  };
  const a = scheduler('collector-a', 500);
  const b = scheduler('collector-b', 0);
  const hourly = async (running: Array<typeof a>) => {
    await Promise.all(running.map((s) => s.lease.tick()));
    await Promise.all(running.map((s) => s.scheduler.runOnce(now)));
  };

  // The standby alone does nothing while the lease is held elsewhere.
  await a.lease.tick();
  await b.scheduler.runOnce(now);
  expect(await count(storage, 'SELECT count() FROM drift_checks')).toBe(0);
  expect(await count(storage, 'SELECT count() FROM drift_session_signals')).toBe(0);

  // Both run each hour; a stalls after two hours (its lease expires), b carries on; a comes back.
  for (let h = 0; h < 2; h++, now += HOUR_MS) {
    await hourly([a, b]);
    // An hour without renewals expires any lease: whoever ticks first next takes a new term.
    await Promise.all([a.lease.tick(), b.lease.tick()]);
  }
  const checksBefore = await count(storage, 'SELECT count() FROM drift_checks');
  expect(checksBefore).toBeGreaterThan(0);
  for (let h = 0; h < 2; h++, now += HOUR_MS) await hourly([b]);
  for (let h = 0; h < 2; h++, now += HOUR_MS) await hourly([a, b]);

  // Raw rows, before any merge could hide a duplicate: each session once, each (agent, hour) checked once.
  expect(await count(storage, 'SELECT count() - uniqExact(session_key) FROM drift_session_signals')).toBe(0);
  expect(await count(storage, 'SELECT uniqExact(session_key) FROM drift_session_signals')).toBe(36);
  expect(await count(storage, 'SELECT count() - uniqExact(agent_name, window_end) FROM drift_checks')).toBe(0);
  expect(await count(storage, 'SELECT count() FROM drift_checks')).toBeGreaterThan(checksBefore);
}, 300_000);
