/**
 * Latency alerts on live traffic, simulated deterministically: agent runs start every second, each
 * span reaches the collector two seconds after it ends (as an exporter sends it), and the rule is
 * evaluated every 10 s of simulated time with notifications delivered to a real webhook receiver.
 * A sustained spike must give exactly one firing and one resolved notification, whatever the window:
 * between evaluations the newest minute is partial, and while the spike lasts the runs of the current
 * minute have mostly not ended yet, so "no data" in it must not read as recovery.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRule, type AlertRuleInput } from '@sightline/contract';
import type { RunningCollector } from '../index.js';
import type { SpanRow } from '../storage/span-row.js';
import type { Receiver } from '../test-support/http-receiver.js';
import { evaluateAt, startAlertCollector } from '../test-support/alert-collector.js';
import { spanRow } from '../test-support/span-rows.js';
import { tempDataDir } from '../test-support/temp-storage.js';

const tmp = tempDataDir('sightline-live-spike-');
let collector: RunningCollector;
let receiver: Receiver;

beforeAll(async () => {
  ({ collector, receiver } = await startAlertCollector(tmp.dir));
});
afterAll(async () => {
  await collector?.stop();
  await receiver?.close();
  tmp.remove();
});

const S = 1000;
const HOUR = 3_600 * S;
const EXPORT_DELAY = 2 * S;
let idSeq = 0;

interface Scenario {
  agent: string;
  windowMinutes: number;
  /** Simulated seconds from the start: runs starting in [spikeFrom, spikeTo) take 15 s. */
  spikeFrom: number;
  spikeTo: number;
  /** Hours before now where this scenario's simulated time starts (scenarios never overlap). */
  hoursAgo: number;
}

/** One agent run (a root span) starting at `start`: steady 0.7–2.3 s, or 15 s inside the spike. */
function run(agent: string, start: number, spiking: boolean): SpanRow {
  const id = (++idSeq).toString(16).padStart(16, '0');
  const ms = spiking ? 15 * S : 700 + ((idSeq * 397) % 1600);
  const startNs = BigInt(start) * 1_000_000n;
  return spanRow({
    trace_id: id.padStart(32, 'a'),
    span_id: id,
    service_name: 'live-shop',
    agent_name: agent,
    operation: 'invoke_agent',
    name: `invoke_agent ${agent}`,
    start_time: startNs.toString(),
    end_time: (startNs + BigInt(ms) * 1_000_000n).toString(),
  });
}

async function createRule(input: AlertRuleInput): Promise<AlertRule> {
  const res = await fetch(`${collector.url}/api/alerts/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  expect(res.status).toBe(201);
  return AlertRule.parse(await res.json());
}

/** Plays the scenario; returns the notification events the webhook received, in order. */
async function play(s: Scenario): Promise<string[]> {
  const t0 = Math.floor(Date.now() / HOUR) * HOUR - s.hoursAgo * HOUR;
  const path = `/live-${s.agent}`;
  await createRule({
    name: `${s.agent} p95`,
    condition: { kind: 'latency', percentile: 'p95', thresholdMs: 3000 },
    scope: { agent: s.agent, rootOnly: true },
    windowMinutes: s.windowMinutes,
    intervalSeconds: 10,
    channels: [{ type: 'webhook', url: `${receiver.url}${path}` }],
  });
  const runs = Array.from({ length: 600 }, (_, i) => run(s.agent, t0 + i * S, i >= s.spikeFrom && i < s.spikeTo));
  const visibleAt = (r: SpanRow) => Number(BigInt(r.end_time) / 1_000_000n) + EXPORT_DELAY;
  let sent = 0;
  runs.sort((a, b) => visibleAt(a) - visibleAt(b));
  for (let now = t0 + 10 * S; now <= t0 + 900 * S; now += 10 * S) {
    const arrived: SpanRow[] = [];
    while (sent < runs.length && visibleAt(runs[sent]!) <= now) arrived.push(runs[sent++]!);
    if (arrived.length > 0) {
      await collector.pipeline.accept(arrived, 'default');
      await collector.pipeline.flush();
    }
    await evaluateAt(collector, now);
  }
  return receiver.received.filter((r) => r.path === path).map((r) => (JSON.parse(r.body) as { type: string }).type);
}

describe('a latency alert on live traffic', () => {
  it('sends one firing and one resolved for a 150 s spike with a 1-minute window', async () => {
    expect(await play({ agent: 'live-1m', windowMinutes: 1, spikeFrom: 60, spikeTo: 210, hoursAgo: 30 })).toEqual([
      'alert.firing',
      'alert.resolved',
    ]);
  });

  it('sends one firing and one resolved for a 150 s spike with a 5-minute window', async () => {
    expect(await play({ agent: 'live-5m', windowMinutes: 5, spikeFrom: 60, spikeTo: 210, hoursAgo: 28 })).toEqual([
      'alert.firing',
      'alert.resolved',
    ]);
  });

  it('sends one firing and one resolved for a 40 s spike with a 1-minute window', async () => {
    expect(await play({ agent: 'live-40s', windowMinutes: 1, spikeFrom: 100, spikeTo: 140, hoursAgo: 26 })).toEqual([
      'alert.firing',
      'alert.resolved',
    ]);
  });
});
