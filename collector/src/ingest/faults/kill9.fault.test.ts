/**
 * Fault test (process level): kill -9 at random moments under load. Four exporter-like senders keep
 * sending while the collector is killed N times (seeded, the seed is printed) and restarted on the
 * same data dir; after a final SIGTERM every acknowledged span must be stored exactly once, in
 * `spans` and in the trace and session summaries, and every restart must have succeeded.
 * Short run in `pnpm test`; `pnpm faults` runs 20 kills (knobs in test-support/faults/knobs.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../test-support/temp-storage.js';
import { freePort, killAllCollectors, startCollectorProcess, type CollectorProcess } from '../../test-support/faults/collector-process.js';
import { knobs, prng, report, sleep, timeoutFor } from '../../test-support/faults/knobs.js';
import { Ledger, runSender, runTag, type Deadlines } from '../../test-support/faults/otlp-sender.js';
import { brokenInvariants, verifyStorage } from '../../test-support/faults/verify-storage.js';

const SENDERS = 4;
const SPANS_PER_REQUEST = 500;
const COLLECTOR_ENV = {}; // the defaults, as an operator runs it

const tmp = tempDataDir('sightline-kill9-');
afterAll(() => {
  killAllCollectors();
  tmp.remove();
});

describe('fault: kill -9 under load', () => {
  it(
    `stores every acknowledged span exactly once across ${knobs.kills} kills`,
    { timeout: timeoutFor(knobs.kills * (knobs.killGapS + 5)) },
    async () => {
      const seed = knobs.seed;
      const rand = prng(seed);
      process.stdout.write(`[faults] kill9 seed=${seed} (repeat with SIGHTLINE_FAULTS_SEED=${seed})\n`);
      const port = await freePort();
      const start = () => startCollectorProcess({ dataDir: tmp.dir, port, env: COLLECTOR_ENV });
      const gapsMs = Array.from({ length: knobs.kills }, () => 1000 + rand() * (knobs.killGapS - 1) * 1000);
      const began = Date.now();
      let proc: CollectorProcess = await start();
      const ledger = new Ledger();
      const deadlines: Deadlines = { stopAt: Number.POSITIVE_INFINITY, retryUntil: Number.POSITIVE_INFINITY };
      const run = runTag(seed);
      const senders = Array.from({ length: SENDERS }, (_, sender) =>
        runSender({ url: proc.url, ledger, run, sender, spansPerRequest: SPANS_PER_REQUEST, deadlines, requestTimeoutMs: 10_000 }),
      );
      const restartMs: number[] = [];
      const restartFailures: string[] = [];
      try {
        for (const gap of gapsMs) {
          await sleep(gap);
          await proc.kill9();
          await sleep(rand() * 500); // down for a moment: exporters see refused connections
          const t = Date.now();
          try {
            proc = await start();
            restartMs.push(Date.now() - t);
          } catch (e) {
            restartFailures.push(e instanceof Error ? e.message.slice(0, 2000) : String(e));
            break;
          }
        }
        await sleep(2000); // a last stretch of load after the final restart
      } finally {
        deadlines.stopAt = Date.now();
        // Bodies in flight get 30 s of retries, unless the collector is gone for good.
        deadlines.retryUntil = restartFailures.length > 0 ? Date.now() : Date.now() + 30_000;
        await Promise.all(senders);
      }
      const loadMs = Date.now() - began;
      const stop = await proc.stop();
      const check = await verifyStorage(tmp.dir, ledger.acknowledged);
      report('kill9', {
        seed,
        kills: restartMs.length + restartFailures.length,
        restartFailures: restartFailures.length,
        restartMsMax: Math.max(0, ...restartMs),
        loadMs,
        ...ledger.stats,
        latencyMs: ledger.latencies(),
        stopExit: stop,
        ...check,
      });
      expect(restartFailures, 'every restart after kill -9 succeeds').toEqual([]);
      expect(stop, 'the final SIGTERM drains and exits 0').toEqual({ code: 0, signal: null, timedOut: false });
      expect(ledger.stats.spansAcknowledged, 'the load got through at all').toBeGreaterThan(0);
      expect(ledger.stats.spansPartiallyRejected, 'valid spans are never rejected').toBe(0);
      const broken = brokenInvariants(check);
      expect(broken, broken.join('; ')).toEqual([]);
    },
  );
});
