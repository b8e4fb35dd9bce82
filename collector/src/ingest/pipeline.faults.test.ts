/**
 * The write path when ClickHouse refuses rows, fails for a while, or the process dies: what is
 * acknowledged is stored exactly once (in `spans` and in the summaries), and nothing blocks other
 * data or a restart. Faults are injected around the real embedded engine's insert.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SightlineError } from '../errors.js';
import { createLogger, silentLogger } from '../logger.js';
import type { RawInsert, Storage } from '../storage/client.js';
import type { SpanRow } from '../storage/span-row.js';
import { agentTrace, spanRow } from '../test-support/span-rows.js';
import { count, openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { IngestPipeline, type PipelineOptions } from './pipeline.js';
import { segmentFormatOf } from './segment-format.js';

const tmp = tempDataDir();
let storage: Storage;
let dirSeq = 0;
let walDir: string;
let quarantineDir: string;

/** Faults switched on by the tests, around the real engine's insert. */
const faults = {
  /** Every insert fails with this (a transient error: no ClickHouse data-error code). */
  down: undefined as Error | undefined,
  /** Inserts whose body contains this text fail with an error of no known code. */
  poisonText: undefined as string | undefined,
  inserts: 0,
};
const faultyStorage = (): Storage => ({
  ...storage,
  insertRaw: async (r: RawInsert) => {
    faults.inserts++;
    if (faults.down) throw faults.down;
    const body = Buffer.isBuffer(r.body) ? r.body : Buffer.concat(r.body);
    if (faults.poisonText && body.includes(faults.poisonText)) throw new Error('unexplained failure');
    return storage.insertRaw(r);
  },
});

let clock = Date.now();
const options = (o: Partial<PipelineOptions> = {}): PipelineOptions => ({
  batchMaxSpans: 10_000,
  flushIntervalMs: 60_000, // tests flush explicitly
  queueMaxSpans: 100_000,
  walDir,
  quarantineDir,
  dedupCapacity: 100_000,
  logger: process.env.DBG ? createLogger('debug') : silentLogger,
  now: () => clock,
  ...o,
});

const base = BigInt(Date.now() - 600_000) * 1_000_000n;
let traceSeq = 5_000;
const traces = (n: number) => Array.from({ length: n }, () => agentTrace({ traceIndex: traceSeq++, startNs: base })).flat();
const ids = (rows: SpanRow[]) => rows.map((r) => `${r.trace_id}:${r.span_id}`);

/** How often each of `rows` is stored, in `spans` and in the trace summaries. */
async function storedOnce(rows: SpanRow[]): Promise<{ spans: number; rows: number; summaries: number }> {
  const traceIds = [...new Set(rows.map((r) => r.trace_id))];
  const params = { ids: ids(rows), traces: traceIds };
  return {
    spans: await count(
      storage,
      `SELECT uniqExact(trace_id, span_id) FROM spans WHERE concat(trace_id, ':', span_id) IN {ids:Array(String)}`,
      params,
    ),
    rows: await count(storage, `SELECT count() FROM spans WHERE concat(trace_id, ':', span_id) IN {ids:Array(String)}`, params),
    summaries: await count(storage, 'SELECT sum(span_count) FROM trace_summaries WHERE trace_id IN {traces:Array(String)}', params),
  };
}

const POISON_SPAN_ID = 'ffffffffffff0001';

/**
 * A row ClickHouse refuses for its content. Rows travel in RowBinary, which holds no text for
 * ClickHouse to misparse, so the refusal comes from a constraint this file adds to its table (what an
 * operator may do on a server): VIOLATED_CONSTRAINT, like any data error, fails the whole insert.
 */
function poisonRow(): SpanRow {
  const [row] = traces(1);
  return { ...row!, span_id: POISON_SPAN_ID, parent_span_id: row!.span_id };
}

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  await storage.client.command({ query: `ALTER TABLE spans ADD CONSTRAINT refuses_poison CHECK span_id != '${POISON_SPAN_ID}'` });
});
afterAll(async () => {
  await storage.close();
  tmp.remove();
});
beforeEach(() => {
  walDir = join(tmp.dir, `wal-${dirSeq}`);
  quarantineDir = join(tmp.dir, `quarantine-${dirSeq++}`);
  faults.down = undefined;
  faults.poisonText = undefined;
  clock = Date.now();
});

describe('IngestPipeline under faults', () => {
  it('quarantines a row ClickHouse refuses, stores the rest of its batch and what follows, and restarts cleanly', async () => {
    const p = await IngestPipeline.start(storage, options());
    const good = traces(20);
    const bad = poisonRow();
    await p.accept([...good.slice(0, 30), bad, ...good.slice(30)], 'default');
    await p.flush();
    const later = traces(3);
    await p.accept(later, 'default');
    await p.flush();
    const all = good.length + later.length;
    expect(await storedOnce([...good, ...later])).toEqual({ spans: all, rows: all, summaries: all });
    expect(p.stats().quarantine).toEqual({ rows: 1, entries: 1 });
    expect(p.quarantineEntries()[0]!.reason).toMatch(/Code: \d+/);
    expect(readdirSync(walDir).filter((f) => segmentFormatOf(f))).toHaveLength(1); // only the open segment
    await p.stop();
  });

  it('a poisoned segment left in the log by a crash neither blocks start-up nor is stored twice', async () => {
    const crashed = await IngestPipeline.start(storage, options());
    const good = traces(5);
    await crashed.accept([...good, poisonRow()], 'default');
    await crashed.abandon();
    const restarted = await IngestPipeline.start(storage, options());
    const n = good.length;
    expect(await storedOnce(good)).toEqual({ spans: n, rows: n, summaries: n });
    expect(restarted.stats().quarantine.rows).toBe(1);
    await restarted.stop();
    const again = await IngestPipeline.start(storage, options());
    await again.stop();
    expect(await storedOnce(good)).toEqual({ spans: n, rows: n, summaries: n });
  });

  it('a retry of spans that were in the log at a crash is a duplicate after the restart', async () => {
    const crashed = await IngestPipeline.start(storage, options());
    const rows = traces(4);
    await crashed.accept(rows, 'default'); // fsynced, acknowledged; the response is lost with the process
    await crashed.abandon();
    const restarted = await IngestPipeline.start(storage, options());
    expect(await restarted.accept(rows, 'default')).toEqual({ accepted: 0, duplicates: rows.length });
    await restarted.stop();
    expect(await storedOnce(rows)).toEqual({ spans: rows.length, rows: rows.length, summaries: rows.length });
  });

  it('keeps everything through minutes of ClickHouse failures (log on), reports them, and recovers', async () => {
    const p = await IngestPipeline.start(faultyStorage(), options({ flushIntervalMs: 10 }));
    faults.down = new Error('connect ECONNREFUSED 127.0.0.1:8123');
    const rows: SpanRow[] = [];
    for (let minute = 0; minute < 5; minute++) {
      const batch = traces(5);
      await p.accept(batch, 'default'); // durable in the log: acknowledged while storage is down
      rows.push(...batch);
      clock += 60_000;
      await expect(p.flush()).rejects.toThrow(/ECONNREFUSED/);
      expect(p.stats()).toMatchObject({ storageOk: false, storageError: expect.stringMatching(/ECONNREFUSED/) });
      expect(p.stats().backlogAgeMs).toBeGreaterThanOrEqual(minute * 60_000);
    }
    expect(p.stats().queuedSpans).toBe(rows.length);
    faults.down = undefined;
    clock += 60_000;
    await p.flush();
    expect(p.stats()).toMatchObject({ storageOk: true, storageError: null, queuedSpans: 0, backlogAgeMs: 0 });
    expect(p.stats().quarantine.rows).toBe(0); // a transient failure never quarantines
    expect(await storedOnce(rows)).toEqual({ spans: rows.length, rows: rows.length, summaries: rows.length });
    await p.stop();
  });

  it('with the log off, refuses while storage fails and accepts again once it recovers', async () => {
    const p = await IngestPipeline.start(faultyStorage(), options({ walDir: undefined, batchMaxSpans: 1 }));
    faults.down = new Error('connect ECONNREFUSED 127.0.0.1:8123');
    const first = traces(2);
    await expect(p.accept(first, 'default')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(p.accept(first, 'default')).rejects.toMatchObject({ code: 'unavailable' }); // retry not due yet: refused at once
    faults.down = undefined;
    clock += 60_000; // the back-off has passed: the next request is the probe
    expect(await p.accept(first, 'default')).toEqual({ accepted: first.length, duplicates: 0 });
    expect(p.stats().storageOk).toBe(true);
    await p.stop();
    expect(await storedOnce(first)).toEqual({ spans: first.length, rows: first.length, summaries: first.length });
  });

  it('a copy that arrives while the first is being written shares its outcome, never a 200 for a failed write', async () => {
    const p = await IngestPipeline.start(faultyStorage(), options({ walDir: undefined, batchMaxSpans: 1 }));
    faults.down = new Error('connect ECONNREFUSED 127.0.0.1:8123');
    const rows = traces(2);
    const original = p.accept(rows, 'default');
    const retry = p.accept(rows, 'default'); // arrives before the original's insert has failed
    await expect(original).rejects.toMatchObject({ code: 'unavailable' });
    await expect(retry).rejects.toMatchObject({ code: 'unavailable' });
    faults.down = undefined;
    clock += 60_000;
    expect(await p.accept(rows, 'default')).toEqual({ accepted: rows.length, duplicates: 0 });
    await p.stop();
    expect(await storedOnce(rows)).toEqual({ spans: rows.length, rows: rows.length, summaries: rows.length });
  });

  it('counts appends waiting for their fsync against the queue bound', async () => {
    const p = await IngestPipeline.start(storage, options({ queueMaxSpans: 1_000 }));
    // 20 requests of 40 spans at once: all are decoded before any fsync has finished.
    const batches = Array.from({ length: 40 }, () => traces(10));
    const results = await Promise.allSettled(batches.map((b) => p.accept(b, 'default')));
    const accepted = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected');
    expect(accepted * 40).toBeLessThanOrEqual(1_000);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(SightlineError);
    await p.stop();
  });

  it('splits a batch that keeps failing for no known reason while other batches succeed, and quarantines the culprit', async () => {
    const p = await IngestPipeline.start(faultyStorage(), options());
    const bad = traces(1);
    faults.poisonText = bad[0]!.trace_id;
    await p.accept(bad.slice(0, 1), 'default');
    const good: SpanRow[] = [];
    for (let i = 0; i < 4; i++) {
      await p.flush().catch(() => undefined); // the poisoned segment fails; later ones store
      const batch = traces(2);
      await p.accept(batch, 'default'); // a later segment that stores fine
      good.push(...batch);
      clock += 20_000;
    }
    await p.flush();
    expect(p.stats()).toMatchObject({ storageOk: true, queuedSpans: 0 });
    expect(p.stats().quarantine.rows).toBe(1);
    expect(await storedOnce(good)).toEqual({ spans: good.length, rows: good.length, summaries: good.length });
    // After a fix, the quarantined row is stored by a replay.
    faults.poisonText = undefined;
    expect(p.replayQuarantine()).toEqual({ entries: 1, spans: 1 });
    await p.flush();
    expect(p.stats().quarantine.rows).toBe(0);
    expect(await storedOnce(bad.slice(0, 1))).toEqual({ spans: 1, rows: 1, summaries: 1 });
    await p.stop();
  });

  it('a batch of spans over more than 100 days is stored (no per-insert partition limit)', async () => {
    const p = await IngestPipeline.start(storage, options());
    const day = 86_400_000_000_000n;
    const rows = Array.from({ length: 150 }, (_, d) => {
      const start = base - BigInt(d) * day;
      return spanRow({
        trace_id: (0xabc000 + d).toString(16).padStart(32, '0'),
        span_id: '00000000000000a1',
        start_time: start.toString(),
      });
    });
    await p.accept(rows, 'default');
    await p.flush();
    expect(p.stats().quarantine.rows).toBe(0);
    expect((await storedOnce(rows)).spans).toBe(150);
    await p.stop();
  });
});
