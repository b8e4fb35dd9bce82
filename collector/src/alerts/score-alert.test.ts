/**
 * Score alerts end to end: agent runs exported by the OpenTelemetry SDK, user feedback posted to
 * /api/scores, rules evaluated on an injected clock, notifications delivered to a real webhook
 * receiver on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRule, type AlertRuleInput } from '@sightline/contract';
import type { RunningCollector } from '../index.js';
import type { Receiver } from '../test-support/http-receiver.js';
import { evaluateAt, startAlertCollector } from '../test-support/alert-collector.js';
import { emitAgentRun, genaiCall } from '../test-support/model-calls.js';
import { tempDataDir } from '../test-support/temp-storage.js';

const tmp = tempDataDir('sightline-score-alert-');
let collector: RunningCollector;
let receiver: Receiver;
const HOUR = 3_600_000;
const MIN = 60_000;
const T = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;

async function api(method: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${collector.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const run = (agent: string, startMs: number) =>
  emitAgentRun(collector.url, {
    sessionId: `${agent}-${startMs}`,
    agent,
    startMs,
    calls: [{ attributes: genaiCall('openai', 'gpt-4o-mini', '', { input_tokens: 10, output_tokens: 5 }) }],
  });

/** `n` helpfulness scores of `value` on `traceId`, one a minute from `fromMs`. */
const feedback = (traceId: string, fromMs: number, n: number, value: number) =>
  api('POST', '/scores', {
    scores: Array.from({ length: n }, (_, i) => ({ traceId, name: 'helpfulness', value, timestamp: fromMs + i * MIN })),
  });

beforeAll(async () => {
  ({ collector, receiver } = await startAlertCollector(tmp.dir));
  // The week before: helpful answers (0.9).
  for (let day = 1; day <= 3; day++) await feedback(await run('support', T - day * 24 * HOUR), T - day * 24 * HOUR, 10, 0.9);
  // Minutes 1–5: unhelpful (0.3); minutes 20–24: helpful again (0.95); minutes 30–34 another agent's bad feedback.
  const now = await run('support', T);
  await feedback(now, T + MIN, 5, 0.3);
  await feedback(now, T + 20 * MIN, 5, 0.95);
  await feedback(await run('billing', T + 30 * MIN), T + 30 * MIN, 5, 0.1);
  await collector.pipeline.flush();
});
afterAll(async () => {
  await collector?.stop();
  await receiver?.close();
  tmp.remove();
});

const delivered = (path: string) =>
  receiver.received
    .filter((r) => r.path === path)
    .map((r) => JSON.parse(r.body) as { type: string; value: number; threshold: number; unit: string; rule: { condition: string } });

describe('score alerts', () => {
  it('fire to a webhook when an agent’s mean score falls below a value or drops below its 7-day mean, and resolve', async () => {
    const common = { windowMinutes: 5, minSamples: 3, forEvaluations: 1, resolveEvaluations: 1, scope: { agent: 'support' } } as const;
    const rules: AlertRuleInput[] = [
      {
        ...common,
        name: 'helpfulness below 0.5',
        condition: { kind: 'score', name: 'helpfulness', below: 0.5 },
        channels: [{ type: 'webhook', url: `${receiver.url}/absolute` }],
      },
      {
        ...common,
        name: 'helpfulness dropped 30%',
        condition: { kind: 'score', name: 'helpfulness', mode: 'baseline', dropPercent: 30 },
        channels: [{ type: 'webhook', url: `${receiver.url}/baseline` }],
      },
    ];
    for (const r of rules) AlertRule.parse(await api('POST', '/alerts/rules', r));
    for (let m = 4; m < 40; m++) {
      await evaluateAt(collector, T + (m + 1) * MIN - 1);
    }

    const absolute = delivered('/absolute');
    // The billing agent's bad feedback (minutes 30–34) is not the support agent's: no second firing.
    expect(absolute.map((e) => e.type)).toEqual(['alert.firing', 'alert.resolved']);
    expect(absolute[0]).toMatchObject({ value: 0.3, threshold: 0.5, unit: 'mean' });

    const baseline = delivered('/baseline');
    expect(baseline.map((e) => e.type)).toEqual(['alert.firing', 'alert.resolved']);
    expect(baseline[0]!.value).toBeCloseTo(0.3, 9);
    expect(baseline[0]!.threshold).toBeCloseTo(0.9 * 0.7, 9);
  });

  it('refuses a score rule that groups or is scoped by anything but an agent, naming the field', async () => {
    const res = await fetch(`${collector.url}/api/alerts/rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'x',
        condition: { kind: 'score', name: 'helpfulness', below: 0.5 },
        groupBy: 'model',
        channels: [{ type: 'webhook', url: `${receiver.url}/never` }],
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('groupBy');
  });
});
