/**
 * Cost alerts end to end: agent runs exported by the OpenTelemetry SDK to a real collector, priced
 * at ingest, then spend and cost-per-session rules evaluated on an injected clock, delivering to a
 * real webhook receiver on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRule, type AlertRuleInput } from '@sightline/contract';
import type { RunningCollector } from '../index.js';
import type { Receiver } from '../test-support/http-receiver.js';
import { evaluateAt, startAlertCollector } from '../test-support/alert-collector.js';
import { emitAgentRun, genaiCall } from '../test-support/model-calls.js';
import { tempDataDir } from '../test-support/temp-storage.js';

const tmp = tempDataDir('sightline-spend-');
let collector: RunningCollector;
let receiver: Receiver;
const HOUR = 3_600_000;
const MIN = 60_000;
const hour = Math.floor(Date.now() / HOUR) * HOUR - 30 * HOUR;

beforeAll(async () => {
  ({ collector, receiver } = await startAlertCollector(tmp.dir));
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
    await evaluateAt(collector, endOfMinute(m));
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

describe('spend against its own baseline', () => {
  // Six hours before the other describe's traffic, and on each of the 7 previous days at that same
  // UTC hour: 60 small calls' worth an hour (so a 5-minute window's baseline is 5 calls' worth).
  const base = hour - 6 * HOUR;
  // Calls of 1× or 10× a small gpt-4o-mini call: few spans per run (the test exporter sends each span as it ends).
  const call = (times: number) => ({
    attributes: genaiCall('openai', 'gpt-4o-mini', '', { input_tokens: 1000 * times, output_tokens: 100 * times }),
  });
  const run = (sessionId: string, startMs: number, calls: number, times: number) =>
    emitAgentRun(collector.url, {
      sessionId,
      agent: 'nightly-agent',
      service: 'nightly-app',
      startMs,
      calls: Array.from({ length: calls }, () => call(times)),
    });

  beforeAll(async () => {
    for (let day = 1; day <= 7; day++) await run(`nightly-base-${day}`, base - day * 24 * HOUR + 20 * MIN, 6, 10);
    // The hour itself: one cheap call a minute (1× the baseline), then in minute 10 a burst of 80 calls' worth.
    for (let m = 0; m < 22; m++) await run(`nightly-${m}`, base + m * MIN, m === 10 ? 8 : 1, m === 10 ? 10 : 1);
    await collector.pipeline.flush();
  });

  it('fires when spend passes factor × the same hour of the previous 7 days, per agent and per model, and resolves', async () => {
    const common = { windowMinutes: 5, forEvaluations: 1, resolveEvaluations: 1 } as const;
    await createRule({
      ...common,
      name: 'nightly-agent spend 3× baseline',
      condition: { kind: 'spend', mode: 'baseline', factor: 3 },
      scope: { agent: 'nightly-agent' },
      channels: [{ type: 'webhook', url: `${receiver.url}/baseline-agent` }],
    });
    await createRule({
      ...common,
      name: 'nightly-app spend per model 3× baseline',
      condition: { kind: 'spend', mode: 'baseline', factor: 3 },
      scope: { service: 'nightly-app' },
      groupBy: 'model',
      channels: [{ type: 'webhook', url: `${receiver.url}/baseline-model` }],
    });
    // Per model within one agent cannot be measured (calls rarely name their agent): refused, naming the field.
    const refused = await fetch(`${collector.url}/api/alerts/rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ...common,
        name: 'per model of one agent',
        condition: { kind: 'spend', mode: 'baseline', factor: 3 },
        scope: { agent: 'nightly-agent' },
        groupBy: 'model',
        channels: [{ type: 'webhook', url: `${receiver.url}/never` }],
      }),
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('groupBy');
    const minute = (m: number) => base + (m + 1) * MIN - 1;
    for (let m = 4; m < 22; m++) {
      await evaluateAt(collector, minute(m));
    }

    const cheapCall = 1000 * 0.15e-6 + 100 * 0.6e-6; // gpt-4o-mini: $0.15 / $0.60 per million tokens
    const perAgent = delivered('/baseline-agent');
    expect(perAgent.map((e) => e.type)).toEqual(['alert.firing', 'alert.resolved']);
    // Baseline: 7 days × 60 calls / 7 / 60 min × 5 min = 5 calls; the threshold is 3× that.
    expect(perAgent[0]!.threshold).toBeCloseTo(3 * 5 * cheapCall, 9);
    expect(perAgent[0]!.value).toBeGreaterThanOrEqual(80 * cheapCall - 1e-12);

    const perModel = delivered('/baseline-model');
    expect(perModel.map((e) => [e.type, e.scopeKey])).toEqual([
      ['alert.firing', 'gpt-4o-mini'],
      ['alert.resolved', 'gpt-4o-mini'],
    ]);
  });
});
