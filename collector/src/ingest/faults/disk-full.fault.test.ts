/**
 * Fault test (process level): the data dir's disk fills up under load, then space is freed; with the
 * write-ahead log on and off. The data dir lives on a 64 MiB tmpfs (root needed: the test fails, it
 * does not skip, when it cannot mount), a filler file takes every free byte while four exporters
 * keep sending. Expected: 503 with Retry-After while full, 2xx again once space is freed, and after a
 * clean stop (and once more after another restart) every acknowledged span stored exactly once.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, killAllCollectors, readHealth, startCollectorProcess } from '../../test-support/faults/collector-process.js';
import { knobs, report, sleep, timeoutFor } from '../../test-support/faults/knobs.js';
import { Ledger, runSender, runTag, type Deadlines } from '../../test-support/faults/otlp-sender.js';
import { filler, mountTmpfs, type Tmpfs } from '../../test-support/faults/tmpfs.js';
import { brokenInvariants, verifyStorage, type StorageCheck } from '../../test-support/faults/verify-storage.js';

const SENDERS = 4;
const SPANS_PER_REQUEST = 200;
const TMPFS_MIB = 64;
/** Exporters wait Retry-After (5 s today) between tries: recovery is judged past that. */
const RECOVERY_BOUND_MS = 20_000;

const mounts: Tmpfs[] = [];
afterAll(async () => {
  killAllCollectors();
  await sleep(200); // let the killed processes release the mount
  for (const m of mounts) m.unmount();
});

describe.each([
  { wal: true, name: 'log on' },
  { wal: false, name: 'log off' },
])('fault: disk full ($name)', ({ wal, name }) => {
  it(
    'answers 503 with Retry-After while full, recovers once space is freed, loses nothing acknowledged',
    { timeout: timeoutFor(2 * (knobs.diskLoadS + knobs.diskFullS + knobs.diskRecoverS)) },
    async () => {
      const fs = mountTmpfs(TMPFS_MIB);
      mounts.push(fs);
      const dataDir = join(fs.dir, 'data');
      const fill = filler(join(fs.dir, 'filler'));
      const port = await freePort();
      const env = { SIGHTLINE_WAL: String(wal) };
      const seed = knobs.seed + (wal ? 0 : 1);
      let proc = await startCollectorProcess({ dataDir, port, env });
      const ledger = new Ledger();
      const deadlines: Deadlines = { stopAt: Number.POSITIVE_INFINITY, retryUntil: Number.POSITIVE_INFINITY };
      const senders = Array.from({ length: SENDERS }, (_, sender) =>
        runSender({
          url: proc.url,
          ledger,
          run: runTag(seed),
          sender,
          spansPerRequest: SPANS_PER_REQUEST,
          deadlines,
          requestTimeoutMs: 10_000,
        }),
      );
      let fullAt = 0;
      let freedAt = 0;
      let exitedDuringFault: string | undefined;
      let faultWindow = true;
      void proc.exited.then((e) => {
        if (faultWindow) exitedDuringFault = `exit code ${e.code}, signal ${e.signal}`;
      });
      const healthDuringFull: unknown[] = [];
      try {
        await sleep(knobs.diskLoadS * 1000);
        fullAt = Date.now();
        fill.fill();
        // Keep it full: whatever the collector or the engine frees is taken back at once.
        while (Date.now() - fullAt < knobs.diskFullS * 1000) {
          await sleep(100);
          fill.fill();
          if (healthDuringFull.length < 3 && Date.now() - fullAt > 2000) healthDuringFull.push((await readHealth(proc.url))?.body);
        }
        fill.remove();
        freedAt = Date.now();
        await sleep(knobs.diskRecoverS * 1000);
      } finally {
        fill.remove();
        deadlines.stopAt = Date.now();
        deadlines.retryUntil = Date.now() + 15_000;
        await Promise.all(senders);
      }
      // Answers given while the disk was full (a 200 then may still be for bytes fsynced just before).
      const duringFull = ledger.answers.filter((a) => a.at > fullAt && a.at <= freedAt);
      const afterFree = ledger.answers.filter((a) => a.sentAt >= freedAt);
      const firstOkAfterFree = afterFree.find((a) => a.status === '200');
      const statusesFull: Record<string, number> = {};
      for (const a of duringFull) statusesFull[a.status] = (statusesFull[a.status] ?? 0) + 1;
      const okWhileFull = duringFull.filter((a) => a.status === '200').length;

      faultWindow = false;
      const stop = await proc.stop();
      const afterStop: StorageCheck = await verifyStorage(dataDir, ledger.acknowledged);
      let afterRestart: StorageCheck | undefined;
      let restartError: string | undefined;
      try {
        proc = await startCollectorProcess({ dataDir, port, env });
        await proc.stop();
        afterRestart = await verifyStorage(dataDir, ledger.acknowledged);
      } catch (e) {
        restartError = e instanceof Error ? e.message.slice(0, 2000) : String(e);
      }
      report(`disk-full ${name}`, {
        seed,
        ...ledger.stats,
        latencyMs: ledger.latencies(),
        statusesWhileFull: statusesFull,
        okWhileFull,
        recoveryMs: firstOkAfterFree ? firstOkAfterFree.at - freedAt : null,
        answersAfterFree: afterFree.length,
        exitedDuringFault: exitedDuringFault ?? null,
        healthWhileFull: healthDuringFull[0] ?? null,
        stopExit: stop,
        afterStop,
        afterRestart: afterRestart ?? restartError,
      });

      expect(exitedDuringFault, 'the collector survives a full disk').toBeUndefined();
      expect(statusesFull['503'] ?? 0, `503 while the disk is full (answers while full: ${JSON.stringify(statusesFull)})`).toBeGreaterThan(
        0,
      );
      expect(ledger.stats.missingRetryAfter, '429/503 carry Retry-After').toBe(0);
      expect(
        Object.keys(ledger.stats.byStatus).filter((s) => s.startsWith('5') && s !== '503'),
        'no other 5xx',
      ).toEqual([]);
      expect(firstOkAfterFree, 'spans are acknowledged again once space is freed').toBeDefined();
      expect(firstOkAfterFree!.at - freedAt).toBeLessThan(RECOVERY_BOUND_MS);
      expect(stop, 'a clean stop after the fault exits 0').toEqual({ code: 0, signal: null, timedOut: false });
      const broken = brokenInvariants(afterStop);
      expect(broken, `after a clean stop: ${broken.join('; ')}`).toEqual([]);
      expect(restartError, 'restart after the fault succeeds').toBeUndefined();
      const brokenLater = brokenInvariants(afterRestart!);
      expect(brokenLater, `after one more restart: ${brokenLater.join('; ')}`).toEqual([]);
    },
  );
});
