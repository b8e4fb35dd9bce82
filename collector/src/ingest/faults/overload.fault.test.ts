/**
 * Fault test (process level): overload. 64 senders that ignore Retry-After (they come back after
 * ~50 ms) post 6,000-span requests for a bounded time. Every request must be answered within a
 * bound (no hang), the write queue seen in /api/health must stay within its configured bound plus
 * one request, the collector's RSS within a bound derived from the config below, and every
 * acknowledged span must be stored exactly once after a clean stop.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../test-support/temp-storage.js';
import { freePort, killAllCollectors, readHealth, startCollectorProcess } from '../../test-support/faults/collector-process.js';
import { knobs, report, sleep, timeoutFor } from '../../test-support/faults/knobs.js';
import { Ledger, runSender, runTag, type Deadlines } from '../../test-support/faults/otlp-sender.js';
import { brokenInvariants, verifyStorage } from '../../test-support/faults/verify-storage.js';

const QUEUE_MAX_SPANS = 50_000;
const BATCH_MAX_SPANS = 20_000;
const SPANS = knobs.overloadSpansPerRequest;
const SENDERS = knobs.overloadSenders;
/** An exporter's timeout is 10 s; a loaded 2-core machine gets 15 s to answer anything. */
const ANSWER_BOUND_MS = 15_000;
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
  it(`${SENDERS} senders of ${SPANS}-span requests: answered in time, queue and RSS bounded, nothing acknowledged lost`, { timeout: timeoutFor(knobs.overloadS) }, async () => {
    const port = await freePort();
    const proc = await startCollectorProcess({
      dataDir: tmp.dir,
      port,
      env: { SIGHTLINE_QUEUE_MAX_SPANS: String(QUEUE_MAX_SPANS), SIGHTLINE_BATCH_MAX_SPANS: String(BATCH_MAX_SPANS) },
    });
    await sleep(1000);
    const idleRss = proc.rssBytes() ?? 0;
    const rssBound = idleRss + RSS_ALLOWANCE_BYTES;
    const ledger = new Ledger();
    const began = Date.now();
    const deadlines: Deadlines = { stopAt: began + knobs.overloadS * 1000, retryUntil: began + knobs.overloadS * 1000 };
    const seed = knobs.seed;
    const senders = Array.from({ length: SENDERS }, (_, sender) =>
      runSender({ url: proc.url, ledger, run: runTag(seed), sender, spansPerRequest: SPANS, deadlines, requestTimeoutMs: ANSWER_BOUND_MS, ignoreRetryAfter: true }),
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
      ...ledger.stats,
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
    expect(ledger.stats.byStatus.network ?? 0, 'connections dropped').toBe(0);
    expect(ledger.stats.missingRetryAfter, '429/503 carry Retry-After').toBe(0);
    expect(healthFailures, '/api/health answers under overload').toBe(0);
    expect(queuePeak, 'queue within its bound plus one request').toBeLessThanOrEqual(QUEUE_MAX_SPANS + SPANS);
    expect(MiB(rssPeak), `RSS peak within idle ${MiB(idleRss)} MiB + ${MiB(RSS_ALLOWANCE_BYTES)} MiB`).toBeLessThanOrEqual(MiB(rssBound));
    expect(ledger.stats.spansAcknowledged, 'overload still lets work through').toBeGreaterThan(0);
    expect(stop, 'a clean stop exits 0').toEqual({ code: 0, signal: null, timedOut: false });
    const broken = brokenInvariants(check);
    expect(broken, broken.join('; ')).toEqual([]);
  });
});
