/**
 * Alerts end to end: a real collector with embedded ClickHouse, traffic written through the ingest
 * pipeline with backdated timestamps, and real HTTP receivers on 127.0.0.1. The scheduler's timer is
 * off (alertsTickMs: 0): each test moves its own clock and calls evaluateOnce / processDue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertDeliveryList, AlertHistory, AlertRule, AlertRuleList, type AlertRuleInput } from '@sightline/contract';
import { signalDef } from '../drift/signals.js';
import { startCollector, type RunningCollector } from '../index.js';
import type { SpanRow } from '../storage/span-row.js';
import { startReceiver, type Receiver } from '../test-support/http-receiver.js';
import { spanRow } from '../test-support/span-rows.js';
import { tempDataDir } from '../test-support/temp-storage.js';
import { verifySignature } from './notifiers/webhook.js';

const tmp = tempDataDir('sightline-alerts-');
const SECRET = 'a-webhook-secret-of-some-length';
let collector: RunningCollector;
let receiver: Receiver;

const start = () =>
  startCollector({
    port: 0,
    dataDir: tmp.dir,
    logLevel: 'error',
    flushIntervalMs: 50,
    alertsTickMs: 0,
    dashboardUrl: 'http://dash.example',
    webhookAllowedHosts: '127.0.0.1', // the test's receivers run on loopback
  });

beforeAll(async () => {
  collector = await start();
  receiver = await startReceiver();
});
afterAll(async () => {
  await collector?.stop();
  await receiver?.close();
  tmp.remove();
});

// Each test uses its own hour, far enough in the past that windows never overlap.
const HOUR = 3_600_000;
const MIN = 60_000;
const baseHour = Math.floor(Date.now() / HOUR) * HOUR - 48 * HOUR;
let spanSeq = 0;

/** `count` root spans of `agent`, each lasting `ms`, in the minute starting at `minuteStart`. */
function traffic(agent: string, minuteStart: number, ms: number, count = 20, errors = 0): SpanRow[] {
  return Array.from({ length: count }, (_, i) => {
    const startNs = BigInt(minuteStart + i * 100) * 1_000_000n;
    const id = (++spanSeq).toString(16).padStart(16, '0');
    return spanRow({
      trace_id: id.padStart(32, '0'),
      span_id: id,
      service_name: 'shop',
      agent_name: agent,
      operation: 'invoke_agent',
      environment: 'production',
      status_code: i < errors ? 'ERROR' : 'UNSET',
      start_time: startNs.toString(),
      end_time: (startNs + BigInt(ms) * 1_000_000n).toString(),
    });
  });
}

async function seed(rows: SpanRow[]): Promise<void> {
  await collector.pipeline.accept(rows, 'default');
  await collector.pipeline.flush();
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${collector.url}/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function createRule(input: AlertRuleInput): Promise<AlertRule> {
  const res = await api('POST', '/alerts/rules', input);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return AlertRule.parse(res.json);
}

/** Evaluates at the last millisecond of minute `m` of `hour`, then attempts due deliveries at that time. */
async function evaluateAt(now: number) {
  const r = await collector.alerts.evaluator.evaluateOnce(now);
  await collector.alerts.deliveries.processDue(now);
  return r;
}

const endOfMinute = (hourStart: number, m: number) => hourStart + (m + 1) * MIN - 1;
const at = (path: string) => receiver.received.filter((r) => r.path === path);
const events = (path: string) =>
  at(path).map((r) => (JSON.parse(r.body) as { type?: string }).type ?? (JSON.parse(r.body) as { text: string }).text.slice(0, 10));

describe('latency alert on a spike', () => {
  it('sends exactly one firing and one resolved notification to the webhook and to Slack', async () => {
    const hour = baseHour;
    const agent = 'checkout-agent';
    for (let m = 0; m < 26; m++) await seed(traffic(agent, hour + m * MIN, m >= 10 && m < 15 ? 5000 : 500));
    const rule = await createRule({
      name: 'Checkout p95',
      condition: { kind: 'latency', percentile: 'p95', thresholdMs: 2000 },
      scope: { agent, rootOnly: true },
      windowMinutes: 5,
      intervalSeconds: 60,
      minSamples: 5,
      channels: [
        { type: 'webhook', url: `${receiver.url}/spike-webhook`, secret: SECRET },
        { type: 'slack', url: `${receiver.url}/spike-slack` },
      ],
    });
    expect(rule.channels).toEqual([
      { type: 'webhook', url: `${receiver.url}/spike-webhook`, hasSecret: true },
      { type: 'slack', url: `${receiver.url}/…`, hasSecret: false }, // a Slack URL is a secret: shown redacted
    ]);
    for (let m = 4; m < 26; m++) await evaluateAt(endOfMinute(hour, m));

    expect(events('/spike-webhook')).toEqual(['alert.firing', 'alert.resolved']);
    expect(at('/spike-slack')).toHaveLength(2);

    const [firing, resolved] = at('/spike-webhook').map((r) => ({ ...r, json: JSON.parse(r.body) }));
    expect(verifySignature(firing!.body, firing!.headers['x-sightline-signature'] as string, SECRET)).toBe(true);
    expect(verifySignature(firing!.body, firing!.headers['x-sightline-signature'] as string, 'another-secret-entirely')).toBe(false);
    expect(Number(firing!.headers['x-sightline-timestamp'])).toBeGreaterThan(0);
    expect(firing!.json).toMatchObject({ rule: { id: rule.id, name: 'Checkout p95' }, threshold: 2000, unit: 'ms', scope: { agent } });
    expect(firing!.json.value).toBeCloseTo(5000, 0);
    // The link opens the trace list of this agent, filtered to the evaluated window (minutes 7–11, fired at minute 11).
    const link = new URL(firing!.json.url as string);
    expect(link.origin + link.pathname).toBe('http://dash.example/traces');
    expect(link.searchParams.get('agent')).toBe(agent);
    expect(Number(link.searchParams.get('from'))).toBe(hour + 7 * MIN);
    expect(Number(link.searchParams.get('to'))).toBe(endOfMinute(hour, 11));
    expect(resolved!.json.value).toBeCloseTo(500, 0);

    const slack = JSON.parse(at('/spike-slack')[0]!.body) as { text: string; blocks: unknown[] };
    expect(slack.text).toContain('Checkout p95');
    expect(slack.text).toContain('5000 ms');
    expect(slack.text).toContain('threshold 2000 ms');
    expect(JSON.stringify(slack.blocks)).toContain('http://dash.example/traces');

    const history = AlertHistory.parse((await api('GET', `/alerts/history?ruleId=${rule.id}`)).json);
    expect(history.transitions.map((t) => `${t.from}->${t.to}`).reverse()).toEqual(['ok->pending', 'pending->firing', 'firing->resolved']);
    expect(history.transitions[1]).toMatchObject({ threshold: 2000, unit: 'ms', at: endOfMinute(hour, 11) });

    const log = AlertDeliveryList.parse((await api('GET', `/alerts/deliveries?ruleId=${rule.id}`)).json);
    expect(log.deliveries.map((d) => `${d.event}/${d.channelType}/${d.status}/${d.attempts}`).sort()).toEqual([
      'firing/slack/delivered/1',
      'firing/webhook/delivered/1',
      'resolved/slack/delivered/1',
      'resolved/webhook/delivered/1',
    ]);
  });

  it('does not flap while latency hovers around the threshold', async () => {
    const hour = baseHour + 2 * HOUR;
    const agent = 'hover-agent';
    const hovering = [2100, 1950, 2050, 1900, 2080, 1990, 2010, 1850, 2200, 1960, 2040, 1930];
    for (const [m, ms] of hovering.entries()) await seed(traffic(agent, hour + m * MIN, ms));
    const rule = await createRule({
      name: 'Hover',
      condition: { kind: 'latency', percentile: 'p95', thresholdMs: 2000 },
      scope: { agent },
      windowMinutes: 1,
      forEvaluations: 1,
      resolveEvaluations: 1,
      minSamples: 5,
      channels: [{ type: 'webhook', url: `${receiver.url}/hover` }],
    });
    for (let m = 0; m < hovering.length; m++) await evaluateAt(endOfMinute(hour, m));
    expect(events('/hover')).toEqual(['alert.firing']);
    const history = AlertHistory.parse((await api('GET', `/alerts/history?ruleId=${rule.id}`)).json);
    expect(history.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['ok->firing']);
  });
});

describe('delivery', () => {
  it('retries while the receiver is down and delivers once when it is back', async () => {
    const hour = baseHour + 4 * HOUR;
    const agent = 'retry-agent';
    const down = await startReceiver();
    const port = down.port;
    await down.close();
    for (let m = 0; m < 3; m++) await seed(traffic(agent, hour + m * MIN, 5000));
    const rule = await createRule({
      name: 'Retry',
      condition: { kind: 'latency', percentile: 'p50', thresholdMs: 1000 },
      scope: { agent },
      forEvaluations: 1,
      minSamples: 1,
      channels: [{ type: 'webhook', url: `http://127.0.0.1:${port}/late` }],
    });
    const now = endOfMinute(hour, 2);
    await evaluateAt(now);
    let [d] = AlertDeliveryList.parse((await api('GET', `/alerts/deliveries?ruleId=${rule.id}`)).json).deliveries;
    expect(d).toMatchObject({ status: 'pending', attempts: 1 });
    expect(d!.lastError).toMatch(/ECONNREFUSED/);
    expect(d!.nextAttemptAt).toBe(now + 2_000);

    const back = await startReceiver(port);
    try {
      await collector.alerts.deliveries.processDue(now + 1_000); // not due yet
      expect(back.received).toHaveLength(0);
      await collector.alerts.deliveries.processDue(now + 2_000);
      await collector.alerts.deliveries.processDue(now + 60_000);
      await evaluateAt(endOfMinute(hour, 3) + 60_000);
      expect(back.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['alert.firing']);
      [d] = AlertDeliveryList.parse((await api('GET', `/alerts/deliveries?ruleId=${rule.id}`)).json).deliveries;
      expect(d).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 200 });
    } finally {
      await back.close();
    }
  });
});

describe('restart', () => {
  it('does not notify again after a restart while firing, and still resolves', async () => {
    const hour = baseHour + 6 * HOUR;
    const agent = 'restart-agent';
    for (let m = 0; m < 6; m++) await seed(traffic(agent, hour + m * MIN, m < 4 ? 5000 : 300));
    const rule = await createRule({
      name: 'Restart',
      condition: { kind: 'latency', percentile: 'p95', thresholdMs: 2000 },
      scope: { agent },
      windowMinutes: 1,
      forEvaluations: 1,
      resolveEvaluations: 1,
      minSamples: 1,
      channels: [{ type: 'webhook', url: `${receiver.url}/restart` }],
    });
    await evaluateAt(endOfMinute(hour, 1));
    expect(events('/restart')).toEqual(['alert.firing']);

    await collector.stop();
    collector = await start();
    await evaluateAt(endOfMinute(hour, 2));
    await evaluateAt(endOfMinute(hour, 3));
    expect(events('/restart')).toEqual(['alert.firing']);
    await evaluateAt(endOfMinute(hour, 4));
    expect(events('/restart')).toEqual(['alert.firing', 'alert.resolved']);
    const rules = AlertRuleList.parse((await api('GET', '/alerts/rules')).json);
    expect(rules.rules.find((r) => r.id === rule.id)?.state).toBe('resolved');
  });

  it('re-derives the same transition after a crash between the notification and the state write, and sends it once', async () => {
    const hour = baseHour + 8 * HOUR;
    const agent = 'crash-agent';
    for (let m = 0; m < 2; m++) await seed(traffic(agent, hour + m * MIN, 5000));
    const rule = await createRule({
      name: 'Crash',
      condition: { kind: 'latency', percentile: 'p95', thresholdMs: 2000 },
      scope: { agent },
      windowMinutes: 1,
      forEvaluations: 1,
      minSamples: 1,
      channels: [{ type: 'webhook', url: `${receiver.url}/crash` }],
    });
    const before = (await collector.alerts.states.load('default', [rule.id])).get(rule.id);
    expect(before).toBeUndefined();
    const now = endOfMinute(hour, 1);
    const first = await evaluateAt(now);
    expect(first.transitions.map((t) => t.to)).toEqual(['firing']);
    // The crash: the state write is lost, as if the process died right after queuing the notification.
    await collector.alerts.states.save('default', [
      {
        ruleId: rule.id,
        scopeKey: '',
        state: { state: 'ok', since: 0, breaches: 0, clears: 0, seq: 0, value: null, threshold: null, lastEvaluatedAt: now - 60_000 },
      },
    ]);
    const again = await collector.alerts.evaluator.evaluateOnce(now, { force: true });
    expect(again.transitions.map((t) => t.id)).toEqual(first.transitions.map((t) => t.id));
    expect(again.queued).toEqual([]);
    await collector.alerts.deliveries.processDue(now + 60_000);
    expect(events('/crash')).toEqual(['alert.firing']);
    const history = AlertHistory.parse((await api('GET', `/alerts/history?ruleId=${rule.id}`)).json);
    expect(history.transitions).toHaveLength(1);
  });
});

describe('other conditions', () => {
  it('fires on error rate above a percentage', async () => {
    const hour = baseHour + 10 * HOUR;
    await seed(traffic('error-agent', hour, 100, 20, 5)); // 25 %
    await createRule({
      name: 'Errors',
      condition: { kind: 'error_rate', thresholdPercent: 10 },
      scope: { agent: 'error-agent' },
      forEvaluations: 1,
      channels: [{ type: 'webhook', url: `${receiver.url}/errors` }],
    });
    await evaluateAt(endOfMinute(hour, 0));
    const [n] = at('/errors').map((r) => JSON.parse(r.body) as { value: number; threshold: number; unit: string });
    expect(n).toMatchObject({ value: 25, threshold: 10, unit: '%' });
  });

  it('fires on latency above N× its baseline at the same hour of the previous days', async () => {
    const hour = baseHour + 12 * HOUR;
    for (const day of [1, 2]) for (let m = 0; m < 3; m++) await seed(traffic('baseline-agent', hour - day * 24 * HOUR + m * MIN, 400));
    await seed(traffic('baseline-agent', hour + 10 * MIN, 1000)); // 2.5× baseline: below 3×
    await seed(traffic('baseline-agent', hour + 20 * MIN, 1600)); // 4× baseline
    await createRule({
      name: 'Baseline',
      condition: { kind: 'latency', percentile: 'p50', mode: 'baseline', factor: 3 },
      scope: { agent: 'baseline-agent' },
      windowMinutes: 1,
      forEvaluations: 1,
      channels: [{ type: 'webhook', url: `${receiver.url}/baseline` }],
    });
    await evaluateAt(endOfMinute(hour, 10));
    expect(at('/baseline')).toHaveLength(0);
    await evaluateAt(endOfMinute(hour, 20));
    const [n] = at('/baseline').map((r) => JSON.parse(r.body) as { value: number; threshold: number });
    expect(n!.threshold).toBeCloseTo(1200, 0);
    expect(n!.value).toBeCloseTo(1600, 0);
  });

  it('fires when an agent goes silent and resolves when it sends again, one state per agent', async () => {
    const hour = baseHour + 14 * HOUR;
    await seed([...traffic('quiet-a', hour, 100, 3), ...traffic('quiet-b', hour, 100, 3), ...traffic('quiet-b', hour + 6 * MIN, 100, 3)]);
    await createRule({
      name: 'Silence',
      condition: { kind: 'no_data' },
      scope: { service: 'shop' },
      groupBy: 'agent',
      windowMinutes: 5,
      forEvaluations: 1,
      resolveEvaluations: 1,
      channels: [{ type: 'webhook', url: `${receiver.url}/silence` }],
    });
    await evaluateAt(endOfMinute(hour, 5)); // both silent since minute 0; b is back at minute 6
    await evaluateAt(endOfMinute(hour, 6));
    const sent = at('/silence').map((r) => JSON.parse(r.body) as { type: string; scopeKey: string });
    expect(sent.filter((n) => n.scopeKey === 'quiet-a').map((n) => n.type)).toEqual(['alert.firing']);
    expect(sent.filter((n) => n.scopeKey === 'quiet-b').map((n) => n.type)).toEqual(['alert.firing', 'alert.resolved']);
  });

  it('evaluates drift to no data until a drift source is registered, then fires on its verdict', async () => {
    const hour = baseHour + 16 * HOUR;
    const rule = await createRule({
      name: 'Drift',
      condition: { kind: 'drift', minSignals: 2 },
      scope: { agent: 'drifty' },
      forEvaluations: 1,
      resolveEvaluations: 1,
      channels: [{ type: 'webhook', url: `${receiver.url}/drift` }],
    });
    await evaluateAt(endOfMinute(hour, 0));
    expect(at('/drift')).toHaveLength(0);
    // A stand-in for the drift engine's stored verdicts (its own tests cover detection), naming signals the engine has.
    const [toolChoice, steps] = ['tool.choice', 'steps'].map((name) => signalDef(name)!.name);
    const asked: string[] = [];
    let verdict = { status: 'drift', windowEnd: hour, driftedSignals: [toolChoice!], summary: 'tool-choice distribution changed' };
    collector.alerts.setDriftSource({
      latestVerdict: async (projectId, agent) => {
        asked.push(`${projectId}/${agent}`);
        return verdict;
      },
    });
    try {
      await evaluateAt(endOfMinute(hour, 1)); // one signal: below minSignals
      verdict = { ...verdict, driftedSignals: [toolChoice!, steps!] };
      await evaluateAt(endOfMinute(hour, 2));
      verdict = { ...verdict, status: 'no_drift', driftedSignals: [] };
      await evaluateAt(endOfMinute(hour, 3));
    } finally {
      collector.alerts.setDriftSource(undefined);
    }
    expect(asked).toEqual(['default/drifty', 'default/drifty', 'default/drifty']);
    expect(at('/drift').map((r) => JSON.parse(r.body) as { type: string; value: number; threshold: number; unit: string })).toMatchObject([
      { type: 'alert.firing', value: 2, threshold: 2, unit: 'signals' },
      { type: 'alert.resolved', value: 0 },
    ]);
    await api('DELETE', `/alerts/rules/${rule.id}`);
  });
});

describe('rules API', () => {
  it('answers 400 naming the field of an invalid rule', async () => {
    const cases: Array<[unknown, string]> = [
      [{ name: 'x', condition: { kind: 'latency', percentile: 'p95' } }, 'condition.thresholdMs'],
      [{ name: 'x', condition: { kind: 'latency', percentile: 'p42', thresholdMs: 5 } }, 'condition.percentile'],
      [{ name: 'x', condition: { kind: 'error_rate', thresholdPercent: 150 } }, 'condition.thresholdPercent'],
      [{ name: 'x', condition: { kind: 'no_data' }, channels: [{ type: 'slack', url: 'not a url' }] }, 'channels.0.url'],
      [{ name: 'x', condition: { kind: 'no_data' }, windowMinutes: 0 }, 'windowMinutes'],
      [{ name: 'x', condition: { kind: 'drift' } }, 'scope.agent'],
      [{ name: '', condition: { kind: 'no_data' } }, 'name'],
      ['{not json', 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', '/alerts/rules', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json).toMatchObject({ error: { code: 'invalid_parameter', field } });
    }
  });

  it('creates, edits (keeping the webhook secret), mutes and deletes a rule, which survives a restart', async () => {
    const input: AlertRuleInput = {
      name: 'Lifecycle',
      condition: { kind: 'error_rate', thresholdPercent: 5 },
      channels: [{ type: 'webhook', url: `${receiver.url}/life`, secret: SECRET }],
    };
    const created = await createRule(input);
    expect(created).toMatchObject({ windowMinutes: 5, intervalSeconds: 60, minSamples: 10, muted: false, state: 'ok', groupBy: 'none' });
    expect(JSON.stringify(created)).not.toContain(SECRET);

    const edited = await api('PUT', `/alerts/rules/${created.id}`, {
      ...input,
      name: 'Lifecycle 2',
      channels: [{ type: 'webhook', url: `${receiver.url}/life` }],
    });
    expect(edited.status).toBe(200);
    expect(AlertRule.parse(edited.json)).toMatchObject({ name: 'Lifecycle 2', channels: [{ hasSecret: true }] });

    const test = await api('POST', `/alerts/rules/${created.id}/test`);
    expect(test.status).toBe(200);
    const sent = at('/life').at(-1)!;
    expect(JSON.parse(sent.body)).toMatchObject({ type: 'alert.test', rule: { name: 'Lifecycle 2' } });
    expect(verifySignature(sent.body, sent.headers['x-sightline-signature'] as string, SECRET)).toBe(true);

    const muted = await api('POST', `/alerts/rules/${created.id}/mute`, { muted: true });
    expect(AlertRule.parse(muted.json).muted).toBe(true);

    await collector.stop();
    collector = await start();
    const after = AlertRule.parse((await api('GET', `/alerts/rules/${created.id}`)).json);
    expect(after).toMatchObject({ name: 'Lifecycle 2', muted: true, channels: [{ hasSecret: true }] });

    expect((await api('DELETE', `/alerts/rules/${created.id}`)).status).toBe(200);
    expect((await api('GET', `/alerts/rules/${created.id}`)).status).toBe(404);
    const list = AlertRuleList.parse((await api('GET', '/alerts/rules')).json);
    expect(list.rules.map((r) => r.id)).not.toContain(created.id);
  });

  it('a muted rule keeps its history but sends nothing', async () => {
    const hour = baseHour + 18 * HOUR;
    await seed(traffic('muted-agent', hour, 5000));
    const rule = await createRule({
      name: 'Muted',
      condition: { kind: 'latency', percentile: 'p95', thresholdMs: 1000 },
      scope: { agent: 'muted-agent' },
      forEvaluations: 1,
      muted: true,
      channels: [{ type: 'webhook', url: `${receiver.url}/muted` }],
    });
    await evaluateAt(endOfMinute(hour, 0));
    expect(at('/muted')).toHaveLength(0);
    const history = AlertHistory.parse((await api('GET', `/alerts/history?ruleId=${rule.id}`)).json);
    expect(history.transitions.map((t) => t.to)).toEqual(['firing']);
  });

  it('lists the alert routes in the OpenAPI document', async () => {
    const doc = (await api('GET', '/openapi.json')).json as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/alerts/rules',
        '/alerts/rules/{id}',
        '/alerts/rules/{id}/mute',
        '/alerts/rules/{id}/test',
        '/alerts/history',
        '/alerts/deliveries',
      ]),
    );
  });
});
