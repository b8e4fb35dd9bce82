/**
 * The span export's memory, measured: a large export (100k spans, about 1.5 KB each as JSON; set
 * SIGHTLINE_EXPORT_SPANS=1000000 to run a million by hand) streamed over real HTTP from a
 * collector in this process, by a client that first stops reading for a while and then reads to
 * the end, discarding what it reads. The live heap (after a forced GC) and external memory of the
 * process — collector and client together — must stay bounded by a fixed budget far below the
 * size of the file: holding the export (or reading ahead of a stalled client) would cost at least
 * its size. RSS is reported beside them (it includes the embedded engine's caches).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../index.js';
import { count, tempDataDir } from '../../test-support/temp-storage.js';

const SPANS = Number(process.env.SIGHTLINE_EXPORT_SPANS ?? 100_000);
/** The live memory the export may add, whatever its size: a few pages in flight and the runtime's buffers. */
const BUDGET_BYTES = 64 * 1024 * 1024;
const MB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const tmp = tempDataDir('sightline-export-memory-');
let collector: RunningCollector;
const now = Date.now();
const base = now - 3_600_000;

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'silent', flushIntervalMs: 100, alertsTickMs: 0 });
  // Generated inside the engine (no JS memory before the measurement): agent runs of 10 spans,
  // 1 ms apart, with inputs, outputs and attributes that need quoting.
  await collector.storage.client.command({
    query: `INSERT INTO spans (project_id, start_time, end_time, duration_ns, trace_id, span_id, parent_span_id, name, kind,
        status_code, service_name, session_id, operation, agent_name, input, output, span_attributes)
      SELECT 'default',
        fromUnixTimestamp64Nano(toInt64({baseNs:Int64} + number * 1000000)),
        fromUnixTimestamp64Nano(toInt64({baseNs:Int64} + number * 1000000 + 500000)),
        500000,
        leftPad(lower(hex(intDiv(number, 10) + 1)), 32, '0'),
        leftPad(lower(hex(number + 1)), 16, '0'),
        if(number % 10 = 0, '', leftPad(lower(hex(number - number % 10 + 1)), 16, '0')),
        if(number % 10 = 0, 'invoke_agent export-agent', 'chat export-model'),
        'INTERNAL', 'UNSET', 'export-svc',
        concat('export-session-', toString(intDiv(number, 100))),
        if(number % 10 = 0, 'invoke_agent', 'chat'),
        'export-agent',
        concat('question ', toString(number), ': ', repeat('lorem ipsum, "dolor" sit amet\\n', 12)),
        concat('answer ', toString(number), ': ', repeat('consectetur adipiscing elit. ', 12)),
        map('run', toString(number), 'note', 'a,b "c"')
      FROM numbers({n:UInt64})`,
    query_params: { baseNs: (BigInt(base) * 1_000_000n).toString(), n: SPANS },
  });
}, 600_000);
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

interface Sample {
  heapUsed: number;
  external: number;
  rss: number;
}

function sample(): Sample {
  gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, rss: m.rss };
}

const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;

describe('the span export', () => {
  it(
    `streams ${SPANS} spans with memory bounded whatever the size, and stops reading while the client stops`,
    { timeout: 3_600_000 },
    async () => {
      expect(await count(collector.storage, "SELECT count() FROM spans FINAL WHERE project_id = 'default'")).toBe(SPANS);
      const before = sample();
      const peak: Sample = { ...before };
      const note = (s: Sample) => {
        peak.heapUsed = Math.max(peak.heapUsed, s.heapUsed);
        peak.external = Math.max(peak.external, s.external);
        peak.rss = Math.max(peak.rss, s.rss);
      };
      const started = Date.now();
      const res = await fetch(`${collector.url}/api/export/spans?from=${base - 60_000}&to=${now + 60_000}&format=jsonl`);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      let bytes = 0;
      let lines = 0;
      const take = (chunk: Uint8Array) => {
        bytes += chunk.byteLength;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      };
      const first = await reader.read();
      take(first.value!);

      // A client that stops reading: the collector must stop too, not read the rest into memory.
      await new Promise((r) => setTimeout(r, 3_000));
      const stalled = sample();
      note(stalled);
      const readWhileStalled = bytes;

      let lastSample = Date.now();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        take(value);
        if (Date.now() - lastSample >= 500) {
          note(sample());
          lastSample = Date.now();
        }
      }
      const seconds = (Date.now() - started) / 1000;
      const after = sample();
      const grew = { heapUsed: peak.heapUsed - before.heapUsed, external: peak.external - before.external, rss: peak.rss - before.rss };
      console.info(
        `[export memory] ${lines} spans, ${mb(bytes)} of JSON lines in ${seconds.toFixed(1)} s (${mb(bytes / seconds)}/s); ` +
          `peak growth over the start: heapUsed ${mb(grew.heapUsed)}, external ${mb(grew.external)}, rss ${mb(grew.rss)}; ` +
          `while the client stalled: heapUsed ${mb(stalled.heapUsed - before.heapUsed)}, external ${mb(stalled.external - before.external)}; ` +
          `after: heapUsed ${mb(after.heapUsed - before.heapUsed)}`,
      );

      expect(lines).toBe(SPANS);
      expect(bytes).toBeGreaterThan(SPANS * 1000); // the file is large: the budget below is a fraction of it
      expect(readWhileStalled).toBeLessThan(bytes / 4);
      expect(stalled.heapUsed - before.heapUsed + (stalled.external - before.external)).toBeLessThan(BUDGET_BYTES);
      expect(grew.heapUsed + grew.external).toBeLessThan(Math.min(BUDGET_BYTES, bytes / 2));
    },
  );
});
