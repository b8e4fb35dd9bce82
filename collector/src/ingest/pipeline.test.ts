import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SightlineError } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { Storage } from '../storage/client.js';
import { agentTrace } from '../test-support/span-rows.js';
import { count, openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { legacySegmentFile } from '../test-support/legacy-segments.js';
import { IngestPipeline, type PipelineOptions } from './pipeline.js';
import { segmentFormatOf } from './segment-format.js';

// chDB: one engine per process, so the whole file shares one data directory and storage.
const tmp = tempDataDir();
let storage: Storage;
const walDir = join(tmp.dir, 'wal');
const options = (o: Partial<PipelineOptions> = {}): PipelineOptions => ({
  batchMaxSpans: 10_000,
  flushIntervalMs: 60_000, // tests flush explicitly
  queueMaxSpans: 100_000,
  walDir,
  quarantineDir: join(tmp.dir, 'quarantine'),
  dedupCapacity: 100_000,
  logger: silentLogger,
  ...o,
});
const base = BigInt(Date.now() - 600_000) * 1_000_000n;
let traceSeq = 0;
const traces = (n: number) => Array.from({ length: n }, () => agentTrace({ traceIndex: traceSeq++, startNs: base })).flat();
const spanCount = () => count(storage, 'SELECT count() FROM spans');
const rollupCount = () => count(storage, 'SELECT sum(span_count) FROM span_rollups_1m');
const summaryCount = () => count(storage, 'SELECT sum(span_count) FROM trace_summaries');

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage.close();
  tmp.remove();
});

describe('IngestPipeline', () => {
  it('acknowledges only after the rows are fsynced to the write-ahead log, then writes them on flush', async () => {
    const p = await IngestPipeline.start(storage, options());
    const rows = traces(10);
    await p.accept(rows, 'default');
    const files = readdirSync(walDir);
    expect(files.length).toBeGreaterThan(0);
    expect(await spanCount()).toBe(0);
    await p.flush();
    expect(await spanCount()).toBe(rows.length);
    // The segment that held them is gone once they are in ClickHouse.
    for (const f of files) expect(existsSync(join(walDir, f))).toBe(false);
    await p.stop();
  });

  it('stores a span that is delivered twice once, in the table and in every materialized view', async () => {
    const before = await spanCount();
    const p = await IngestPipeline.start(storage, options());
    const rows = traces(5);
    const first = await p.accept(rows, 'default');
    const second = await p.accept(rows.slice(0, 7), 'default');
    await p.flush();
    expect(first).toEqual({ accepted: rows.length, duplicates: 0 });
    expect(second).toEqual({ accepted: 0, duplicates: 7 });
    expect((await spanCount()) - before).toBe(rows.length);
    expect(await rollupCount()).toBe(await spanCount());
    expect(await summaryCount()).toBe(await spanCount());
    await p.stop();
  });

  it('still recognises a duplicate delivered after a restart', async () => {
    const p1 = await IngestPipeline.start(storage, options());
    const rows = traces(3);
    await p1.accept(rows, 'default');
    await p1.stop();
    const before = await spanCount();
    const p2 = await IngestPipeline.start(storage, options());
    expect(await p2.accept(rows, 'default')).toEqual({ accepted: 0, duplicates: rows.length });
    await p2.stop();
    expect(await spanCount()).toBe(before);
  });

  it('replays acknowledged spans left in the log by a crash, exactly once even if they had reached ClickHouse', async () => {
    const before = await spanCount();
    const crashed = await IngestPipeline.start(storage, options());
    const rows = traces(4);
    await crashed.accept(rows, 'default'); // acknowledged: in the log only; the process "dies" here
    const leftovers = readdirSync(walDir).filter((f) => segmentFormatOf(f));
    expect(leftovers.length).toBeGreaterThan(0);
    await crashed.abandon();
    const restarted = await IngestPipeline.start(storage, options());
    expect(await spanCount()).toBe(before + rows.length);
    const again = await IngestPipeline.start(storage, options()); // no leftovers now
    await again.stop();
    await restarted.stop();
    expect(await spanCount()).toBe(before + rows.length);
    expect(await rollupCount()).toBe(await spanCount());
  });

  it('skips a replayed segment that had already been inserted (same deduplication token)', async () => {
    const before = await spanCount();
    const p = await IngestPipeline.start(storage, options());
    const rows = traces(2);
    await p.accept(rows, 'default');
    const segmentFile = readdirSync(walDir)
      .filter((f) => segmentFormatOf(f))
      .sort()
      .at(-1)!;
    const bytes = readFileSync(join(walDir, segmentFile));
    await p.flush(); // inserted and deleted
    expect(existsSync(join(walDir, segmentFile))).toBe(false);
    // Simulate "inserted, then crashed before the delete": put the same segment back and restart.
    writeFileSync(join(walDir, segmentFile), bytes);
    await p.stop();
    const restarted = await IngestPipeline.start(storage, options({ dedupCapacity: 0 }));
    await restarted.stop();
    expect(await spanCount()).toBe(before + rows.length);
    expect(await rollupCount()).toBe(await spanCount());
  });

  it('replays a segment left by a version that wrote JSON lines, once, into the current schema', async () => {
    const before = await spanCount();
    const rows = traces(3);
    // The name of a segment written before RowBinary, with its rows as that version wrote them.
    writeFileSync(join(walDir, `${'1'.padStart(15, '0')}-1-00000000.ndjson`), legacySegmentFile(rows));
    const restarted = await IngestPipeline.start(storage, options());
    expect(await restarted.accept(rows, 'default')).toEqual({ accepted: 0, duplicates: rows.length }); // in the log: retries are duplicates
    await restarted.stop();
    expect(await spanCount()).toBe(before + rows.length);
    expect(await rollupCount()).toBe(await spanCount());
    expect(readdirSync(walDir).filter((f) => f.endsWith('.ndjson'))).toEqual([]);
  });

  it('answers overloaded with a retry hint when the queue is full, and loses nothing it acknowledged', async () => {
    const before = await spanCount();
    const p = await IngestPipeline.start(storage, options({ queueMaxSpans: 1000 }));
    const accepted: number[] = [];
    let refused: unknown;
    for (let i = 0; i < 20 && !refused; i++) {
      try {
        accepted.push((await p.accept(traces(10), 'default')).accepted);
      } catch (e) {
        refused = e;
      }
    }
    expect(refused).toBeInstanceOf(SightlineError);
    expect((refused as SightlineError).code).toBe('overloaded');
    expect((refused as SightlineError).retryAfterSeconds).toBeGreaterThan(0);
    await p.stop();
    expect(await spanCount()).toBe(before + accepted.reduce((a, b) => a + b, 0));
  });

  it('without the log, acknowledges only once the insert is done', async () => {
    const before = await spanCount();
    const p = await IngestPipeline.start(storage, options({ walDir: undefined, flushIntervalMs: 50 }));
    const rows = traces(3);
    await p.accept(rows, 'default');
    expect(await spanCount()).toBe(before + rows.length);
    await p.stop();
  });

  it('refuses before reading a body whose spans would not fit in the queue beside those already arriving', async () => {
    const p = await IngestPipeline.start(storage, options({ queueMaxSpans: 1000 }));
    const first = p.admit(600 * 512); // about 600 spans at the starting estimate of one per 512 bytes
    expect(() => p.admit(600 * 512)).toThrow(expect.objectContaining({ code: 'overloaded' }));
    first(600);
    // Two bodies of 400 spans by the estimate fit beside each other...
    const a = p.admit(400 * 512);
    const b = p.admit(400 * 512);
    // ...but they held 4× more spans per byte than assumed: the estimate learns from that,
    a(1600);
    b(1600);
    // and the same two bodies no longer fit together.
    const c = p.admit(400 * 512);
    expect(() => p.admit(400 * 512)).toThrow(expect.objectContaining({ code: 'overloaded' }));
    c();
    await p.stop();
  });
});
