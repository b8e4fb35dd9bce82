/**
 * The scheduler on its real timer (the other alert tests drive evaluation by hand): a rule created
 * through the API is evaluated at once, fires to a real receiver, and is then evaluated on its own
 * interval even though the global tick is much coarser.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertRule } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../index.js';
import { startReceiver, type Receiver } from '../test-support/http-receiver.js';
import { eventually } from '../test-support/otel.js';
import { spanRow } from '../test-support/span-rows.js';
import { tempDataDir } from '../test-support/temp-storage.js';

const tmp = tempDataDir('sightline-alert-scheduler-');
let collector: RunningCollector;
let receiver: Receiver;

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'error', flushIntervalMs: 50, alertsTickMs: 60_000 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await collector?.stop();
  await receiver?.close();
  tmp.remove();
});

it('evaluates a new rule at once and then on its own interval, not on the coarse tick', async () => {
  const now = Date.now();
  await collector.pipeline.accept(
    Array.from({ length: 10 }, (_, i) => {
      const start = BigInt(now - 5_000 - i) * 1_000_000n;
      const id = (i + 1).toString(16).padStart(16, '0');
      return spanRow({ trace_id: id.padStart(32, '0'), span_id: id, agent_name: 'timer-agent', start_time: start.toString(), end_time: (start + 3_000_000_000n).toString() });
    }),
  );
  await collector.pipeline.flush();
  const res = await fetch(`${collector.url}/api/alerts/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Timer', condition: { kind: 'latency', percentile: 'p95', thresholdMs: 1000 }, scope: { agent: 'timer-agent' }, intervalSeconds: 10, forEvaluations: 1, minSamples: 1, channels: [{ type: 'webhook', url: `${receiver.url}/timer` }] }),
  });
  const rule = AlertRule.parse(await res.json());
  const created = Date.now();
  await eventually(async () => (receiver.received.length > 0 ? true : undefined), 5_000);
  expect(Date.now() - created).toBeLessThan(3_000);
  expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ type: 'alert.firing', rule: { id: rule.id } });

  const evaluatedAt = async () => (await collector.alerts.states.load([rule.id])).get(rule.id)?.get('')?.lastEvaluatedAt;
  const first = (await evaluatedAt())!;
  const second = await eventually(async () => {
    const t = await evaluatedAt();
    return t !== undefined && t !== first ? t : undefined;
  }, 15_000);
  expect(second - first).toBeGreaterThanOrEqual(9_000);
  expect(second - first).toBeLessThan(11_500);
  expect(receiver.received).toHaveLength(1); // still firing: nothing new to say
});
