/**
 * The queue bound while a segment rotates out: the overload fault test (faults/overload.fault.test.ts)
 * saw `ingest.queuedSpans` reach 96,000 against a 50,000 bound. A rotated segment must stay counted
 * from the moment it leaves `current` until it is stored, including while its file is being closed;
 * otherwise requests admitted in that gap push the queue past its bound.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SightlineError } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { Storage } from '../storage/client.js';
import { agentTrace } from '../test-support/span-rows.js';
import { openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { IngestPipeline } from './pipeline.js';
import { nodeWalFs, type WalFs } from './wal-fs.js';

const tmp = tempDataDir();
let storage: Storage;
beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage.close();
  tmp.remove();
});

/** A file system whose file closes wait for `release()` while held; `closing` resolves at the first held close. */
function gatedCloses(): { fs: WalFs; hold(): void; release(): void; closing: Promise<void> } {
  let held = false;
  let opened!: () => void;
  const gate = new Promise<void>((r) => (opened = r));
  let signal!: () => void;
  const closing = new Promise<void>((r) => (signal = r));
  const fs: WalFs = {
    ...nodeWalFs,
    async open(path) {
      const file = await nodeWalFs.open(path);
      return {
        writev: (b, p) => file.writev(b, p),
        datasync: () => file.datasync(),
        truncate: (n) => file.truncate(n),
        async close() {
          if (held) {
            signal();
            await gate;
          }
          await file.close();
        },
      };
    },
  };
  return { fs, hold: () => (held = true), release: () => opened(), closing };
}

const base = BigInt(Date.now() - 600_000) * 1_000_000n;
let traceSeq = 90_000;
const spans = (n: number) =>
  Array.from({ length: Math.ceil(n / 4) }, () => agentTrace({ traceIndex: traceSeq++, startNs: base, steps: 1 }))
    .flat()
    .slice(0, n); // 4 spans a trace

describe('queue bound across a rotation', () => {
  it('counts a rotated segment while its file closes, and refuses what would pass the bound', async () => {
    const gated = gatedCloses();
    const pipeline = await IngestPipeline.start(storage, {
      batchMaxSpans: 100_000,
      flushIntervalMs: 60_000,
      queueMaxSpans: 2000,
      walDir: join(tmp.dir, 'wal'),
      quarantineDir: join(tmp.dir, 'quarantine'),
      dedupCapacity: 100_000,
      logger: silentLogger,
      walFs: gated.fs,
    });
    try {
      const first = spans(1500);
      await pipeline.accept(first, 'default');
      expect(pipeline.queuedSpans).toBe(1500);
      gated.hold();
      const flushing = pipeline.flush();
      await gated.closing; // the segment has left `current`; its file is closing
      const queuedDuringRotation = pipeline.queuedSpans;
      const second = pipeline.accept(spans(1500), 'default').then(
        () => 'accepted',
        (e: unknown) => (e instanceof SightlineError ? e.code : String(e)),
      );
      gated.release();
      await flushing;
      expect.soft(queuedDuringRotation, 'rows of the rotating segment are still queued').toBe(1500);
      expect.soft(await second, '1500 queued + 1500 more > 2000').toBe('overloaded');
    } finally {
      gated.release();
      await pipeline.stop();
    }
  });
});
