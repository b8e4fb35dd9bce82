/**
 * Cost alerts end to end: agent runs exported by the OpenTelemetry SDK to a real collector, priced
 * at ingest, then spend and cost-per-session rules evaluated on an injected clock, delivering to a
 * real webhook receiver on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRule, type AlertRuleInput } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../index.js';
import { startReceiver, type Receiver } from '../test-support/http-receiver.js';
import { emitAgentRun, genaiCall } from '../test-support/model-calls.js';
import { tempDataDir } from '../test-support/temp-storage.js';

const tmp = tempDataDir('sightline-spend-');
let collector: RunningCollector;
let receiver: Receiver;
const HOUR = 3_600_000;
const MIN = 60_000;
const hour = Math.floor(Date.now() / HOUR) * HOUR - 30 * HOUR;

beforeAll(async () => {
  collector = await startCollector({
    port: 0,
    dataDir: tmp.dir,
    logLevel: 'error',
    flushIntervalMs: 50,
    alertsTickMs: 0,
    webhookAllowedHosts: '127.0.0.1',
  });
  receiver = await startReceiver();
  // A cheap call a minute; in minutes 10–11 three expensive sessions (100k input tokens of gpt-4o each).
  let n = 0;
  for (let m = 0; m < 22; m++) {
    const expensive = m === 10 || m === 11 ? 3 : 0;
    for (let i = 0; i <= expensive; i++) {
      const big = i > 0;
      await emitAgentRun(collector.url, {
        sessionId: `spend-${++n}`,
        agent: big ? 'research-agent' : 'support-agent',
        startMs: hour + m * MIN + i * 1000,
        calls: [
          {
            attributes: big
              ? genaiCall('openai', 'gpt-4o', 'gpt-4o-2024-08-06', { input_tokens: 100_000, output_tokens: 1000 })
              : genaiCall('openai', 'gpt-4o-mini', '', { input_tokens: 1000, output_tokens: 100 }),
          },
        ],
      });
    }
  }
  await collector.pipeline.flush();
});
afterAll(async () => {
  await collector?.stop();
  await receiver?.close();
  tmp.remove();
});

async function createRule(input: AlertRuleInput): Promise<AlertRule> {
  const res = await fetch(`${collector.url}/api/alerts/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const json: unknown = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(201);
  return AlertRule.parse(json);
}

const endOfMinute = (m: number) => hour + (m + 1) * MIN - 1;
const delivered = (path: string) =>
  receiver.received
    .filter((r) => r.path === path)
    .map((r) => JSON.parse(r.body) as { type: string; value: number; threshold: number; unit: string; scopeKey: string });

async function runMinutes(from: number, to: number): Promise<void> {
  for (let m = from; m < to; m++) {
    await collector.alerts.evaluator.evaluateOnce(endOfMinute(m));
    await collector.alerts.deliveries.processDue(endOfMinute(m));
  }
}

describe('cost alerts', () => {
  it('fires a project spend alert to the webhook when spend over the window passes the threshold, and resolves', async () => {
    await createRule({
      name: 'Spend over $0.50 in 5 min',
      condition: { kind: 'spend', thresholdUsd: 0.5 },
      windowMinutes: 5,
      forEvaluations: 1,
      resolveEvaluations: 1,
      channels: [{ type: 'webhook', url: `${receiver.url}/spend` }],
    });
    await createRule({
      name: 'Spend per agent',
      condition: { kind: 'spend', thresholdUsd: 0.5 },
      groupBy: 'agent',
      windowMinutes: 5,
      forEvaluations: 1,
      resolveEvaluations: 1,
      channels: [{ type: 'webhook', url: `${receiver.url}/spend-agent` }],
    });
    await createRule({
      name: 'Session cost p95',
      condition: { kind: 'session_cost', percentile: 'p95', thresholdUsd: 0.1 },
      windowMinutes: 5,
      minSamples: 3,
      forEvaluations: 1,
      resolveEvaluations: 1,
      channels: [{ type: 'webhook', url: `${receiver.url}/session-cost` }],
    });
    await runMinutes(4, 22);

    const spend = delivered('/spend');
    expect(spend.map((e) => e.type)).toEqual(['alert.firing', 'alert.resolved']);
    expect(spend[0]).toMatchObject({ unit: 'USD', threshold: 0.5 });
    expect(spend[0]!.value).toBeGreaterThan(0.5);

    // Only the agent that spent fires; the cheap one stays quiet.
    const perAgent = delivered('/spend-agent');
    expect(perAgent.map((e) => [e.type, e.scopeKey])).toEqual([
      ['alert.firing', 'research-agent'],
      ['alert.resolved', 'research-agent'],
    ]);
    const sessions = delivered('/session-cost');
    expect(sessions[0]).toMatchObject({ type: 'alert.firing', unit: 'USD' });
  });
});
