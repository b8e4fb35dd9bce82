/**
 * Cost of one alert evaluation, read from the minute rollups: a day of traffic for 20 agents × 3
 * operations, plus the same hour on the previous 7 days for baselines. Prints ms per rule kind.
 *   pnpm tsx bench/alerts.bench.ts
 */
import { parseRuleInput } from '../src/alerts/rules.js';
import { startCollector } from '../src/index.js';
import type { SpanRow } from '../src/storage/span-row.js';
import { spanRow } from '../src/test-support/span-rows.js';
import { tempDataDir } from '../src/test-support/temp-storage.js';

const AGENTS = 20;
const OPS = ['invoke_agent', 'chat', 'execute_tool'];
const SPANS_PER_GROUP_MINUTE = 3;
const tmp = tempDataDir('sightline-alerts-bench-');
const collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'error', alertsTickMs: 0, flushIntervalMs: 200 });
try {
  const now = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
  const minutes = new Set<number>();
  for (let m = 0; m < 24 * 60; m++) minutes.add(now - m * 60_000);
  for (let d = 1; d <= 7; d++) for (let m = 0; m < 60; m++) minutes.add(now - d * 86_400_000 - m * 60_000);
  let seq = 0;
  let batch: SpanRow[] = [];
  const t0 = performance.now();
  for (const minute of minutes) {
    for (let a = 0; a < AGENTS; a++)
      for (const op of OPS)
        for (let i = 0; i < SPANS_PER_GROUP_MINUTE; i++) {
          const start = BigInt(minute - 30_000 + i * 1000) * 1_000_000n;
          const id = (++seq).toString(16).padStart(16, '0');
          batch.push(
            spanRow({
              trace_id: id.padStart(32, '0'),
              span_id: id,
              service_name: 'bench',
              agent_name: `agent-${a}`,
              operation: op,
              status_code: i === 0 && a === 0 ? 'ERROR' : 'UNSET',
              start_time: start.toString(),
              end_time: (start + BigInt(100 + a * 50) * 1_000_000n).toString(),
            }),
          );
        }
    if (batch.length >= 20_000) {
      await collector.pipeline.accept(batch, 'default');
      await collector.pipeline.flush(); // stay under the ingest queue's backpressure limit
      batch = [];
    }
  }
  await collector.pipeline.accept(batch, 'default');
  await collector.pipeline.flush();
  console.log(`seeded ${seq.toLocaleString()} spans over ${minutes.size} minutes in ${Math.round(performance.now() - t0)} ms`);

  const rules = [
    // The first evaluations of a fresh engine pay for cold caches; measured separately.
    { name: 'warm-up (same as next)', condition: { kind: 'latency', percentile: 'p95', thresholdMs: 900 }, groupBy: 'agent' },
    { name: 'latency per agent', condition: { kind: 'latency', percentile: 'p95', thresholdMs: 900 }, groupBy: 'agent' },
    { name: 'latency one agent', condition: { kind: 'latency', percentile: 'p95', thresholdMs: 900 }, scope: { agent: 'agent-3' } },
    { name: 'baseline per agent', condition: { kind: 'latency', percentile: 'p95', mode: 'baseline', factor: 2 }, groupBy: 'agent' },
    { name: 'error rate per agent', condition: { kind: 'error_rate', thresholdPercent: 5 }, groupBy: 'agent' },
    { name: 'no data per agent', condition: { kind: 'no_data' }, groupBy: 'agent' },
  ] as const;
  for (const r of rules) {
    const rule = await collector.alerts.rules.create('default', parseRuleInput({ ...r, windowMinutes: 5 }));
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await collector.alerts.evaluator.evaluateOnce(now + i * 60_000, { force: true });
      times.push(performance.now() - t);
    }
    await collector.alerts.rules.delete('default', rule.id);
    times.sort((a, b) => a - b);
    console.log(`${r.name.padEnd(22)} median ${times[2]!.toFixed(1)} ms  (min ${times[0]!.toFixed(1)}, max ${times[4]!.toFixed(1)})`);
  }
} finally {
  await collector.stop();
  tmp.remove();
}
