/**
 * Fault test (process level): overload. 64 senders that ignore Retry-After (they come back after
 * ~50 ms) post 6,000-span requests for a bounded time. Every request must be answered within a
 * bound (no hang), the write queue seen in /api/health must stay within its configured bound plus
 * one request, the collector's RSS within a bound derived from the config below, and every
 * acknowledged span must be stored exactly once after a clean stop.
 */
import { loadavg } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../test-support/temp-storage.js';
import { freePort, killAllCollectors, readHealth, startCollectorProcess } from '../../test-support/faults/collector-process.js';
import { knobs, report, sleep, timeoutFor } from '../../test-support/faults/knobs.js';
import { Ledger, runSender, runTag, type Deadlines } from '../../test-support/faults/otlp-sender.js';
import { exportBatch } from '../../test-support/faults/span-batches.js';
import { brokenInvariants, verifyStorage } from '../../test-support/faults/verify-storage.js';

const QUEUE_MAX_SPANS = 50_000;
const BATCH_MAX_SPANS = 20_000;
const SPANS = knobs.overloadSpansPerRequest;
const SENDERS = knobs.overloadSenders;
/**
 * "No hang": three times an OTLP exporter's default timeout (10 s). Answers slow down with the CPU
 * the collector gets; on a shared 2-core machine with a load average of 20-30 it got 0.3 of a core
 * and its slowest answers neared 15 s (figures: `collectorCpuShare`, `latencyMs`).
 */
const ANSWER_BOUND_MS = knobs.overloadAnswerBoundS * 1000;
/** A 6,000-span body of the test's spans is ~2.7 MB (450 B a span on the wire). */
const WIRE_BYTES_PER_SPAN = 460;
/**
 * What the collector may hold beyond its idle RSS: spans up to the queue bound plus the batch being
 * inserted plus one request being admitted, at 4 KiB each (decoded objects, the encoded row, the
 * engine's copy while it parses); every sender's request body on the wire being read (an overloaded
 * collector must not buffer more); and 256 MiB for the engine's insert work and GC headroom.
 */
const HELD_SPAN_BYTES = 4096;
const RSS_ALLOWANCE_BYTES =
  (QUEUE_MAX_SPANS + BATCH_MAX_SPANS + SPANS) * HELD_SPAN_BYTES + SENDERS * SPANS * WIRE_BYTES_PER_SPAN + 256 * 2 ** 20;
const MiB = (b: number) => Math.round(b / 2 ** 20);

const tmp = tempDataDir('sightline-overload-');
afterAll(() => {
  killAllCollectors();
  tmp.remove();
});

describe('fault: overload by senders that ignore Retry-After', () => {
  it(
    `${SENDERS} senders of ${SPANS}-span requests: answered in time, queue and RSS bounded, nothing acknowledged lost`,
    { timeout: timeoutFor(knobs.overloadS) },
    async () => {
      const port = await freePort();
      const proc = await startCollectorProcess({
        dataDir: tmp.dir,
        port,
        env: { SIGHTLINE_QUEUE_MAX_SPANS: String(QUEUE_MAX_SPANS), SIGHTLINE_BATCH_MAX_SPANS: String(BATCH_MAX_SPANS) },
      });
      const seed = knobs.seed;
      // The first body of every sender is built before the clock starts: 64 bodies of 6,000 spans cost
      // the test process seconds of CPU that would otherwise be taken from the collector under test.
      const prebuilt = Array.from({ length: SENDERS }, (_, sender) => [exportBatch(runTag(seed), sender, 0, SPANS, Date.now())]);
      await sleep(1000);
      const idleRss = proc.rssBytes() ?? 0;
      const rssBound = idleRss + RSS_ALLOWANCE_BYTES;
      const ledger = new Ledger();
      const cpuBefore = proc.cpuSeconds() ?? 0;
      const ownCpuBefore = process.cpuUsage();
      const loadBefore = loadavg()[0]!;
      const began = Date.now();
      const deadlines: Deadlines = { stopAt: began + knobs.overloadS * 1000, retryUntil: began + knobs.overloadS * 1000 };
      const senders = Array.from({ length: SENDERS }, (_, sender) =>
        runSender({
          url: proc.url,
          ledger,
          run: runTag(seed),
          sender,
          spansPerRequest: SPANS,
          deadlines,
          requestTimeoutMs: ANSWER_BOUND_MS,
          ignoreRetryAfter: true,
          prebuilt: prebuilt[sender],
        }),
      );
      let rssPeak = idleRss;
      let queuePeak = 0;
      let healthFailures = 0;
      let healthSamples = 0;
      let sampling = true;
      const rssSampler = (async () => {
        while (sampling) {
          rssPeak = Math.max(rssPeak, proc.rssBytes() ?? 0);
          await sleep(50);
        }
      })();
      const healthSampler = (async () => {
        while (sampling) {
          const h = await readHealth(proc.url, ANSWER_BOUND_MS);
          if (!h || !Number.isFinite(h.queuedSpans)) healthFailures++;
          else {
            healthSamples++;
            queuePeak = Math.max(queuePeak, h.queuedSpans);
          }
          await sleep(200);
        }
      })();
      await Promise.all(senders);
      const loadMs = Date.now() - began;
      // How much CPU the collector got: on a shared 2-core machine answers slow down with it.
      const collectorCpuShare = ((proc.cpuSeconds() ?? 0) - cpuBefore) / (loadMs / 1000);
      const ownCpu = process.cpuUsage(ownCpuBefore);
      const senderCpuShare = (ownCpu.user + ownCpu.system) / 1000 / loadMs;
      sampling = false;
      await Promise.all([rssSampler, healthSampler]);
      const stop = await proc.stop();
      const check = await verifyStorage(tmp.dir, ledger.acknowledged);
      report('overload', {
        seed,
        senders: SENDERS,
        spansPerRequest: SPANS,
        queueMaxSpans: QUEUE_MAX_SPANS,
        loadMs,
        collectorCpuShare: Math.round(collectorCpuShare * 100) / 100,
        senderCpuShare: Math.round(senderCpuShare * 100) / 100,
        loadAverage: [Math.round(loadBefore * 10) / 10, Math.round(loadavg()[0]! * 10) / 10],
        ...ledger.stats,
        latencyMs: ledger.latencies(),
        queuePeak,
        queueBound: QUEUE_MAX_SPANS + SPANS,
        healthSamples,
        healthFailures,
        idleRssMiB: MiB(idleRss),
        rssPeakMiB: MiB(rssPeak),
        rssBoundMiB: MiB(rssBound),
        stopExit: stop,
        ...check,
      });

      expect(ledger.stats.byStatus.timeout ?? 0, `requests unanswered after ${ANSWER_BOUND_MS} ms`).toBe(0);
      // A connection reset is an answer too (no hang; exporters retry it), so resets are reported, not failed.
      expect(ledger.stats.missingRetryAfter, '429/503 carry Retry-After').toBe(0);
      expect(healthFailures, '/api/health answers under overload').toBe(0);
      expect(queuePeak, 'queue within its bound plus one request').toBeLessThanOrEqual(QUEUE_MAX_SPANS + SPANS);
      expect(MiB(rssPeak), `RSS peak within idle ${MiB(idleRss)} MiB + ${MiB(RSS_ALLOWANCE_BYTES)} MiB`).toBeLessThanOrEqual(MiB(rssBound));
      expect(ledger.stats.spansAcknowledged, 'overload still lets work through').toBeGreaterThan(0);
      expect(stop, 'a clean stop exits 0').toEqual({ code: 0, signal: null, timedOut: false });
      const broken = brokenInvariants(check);
      expect(broken, broken.join('; ')).toEqual([]);
    },
  );
});
