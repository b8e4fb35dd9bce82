/**
 * The drift condition end to end, with no stand-in: sessions written through the ingest pipeline,
 * the collector's own drift engine running its hourly check, and a drift alert rule that fires to
 * a real webhook receiver on its verdict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRule } from '@sightline/contract';
import type { RunningCollector } from '../index.js';
import type { SpanRow } from '../storage/span-row.js';
import type { Receiver } from '../test-support/http-receiver.js';
import { evaluateAt, startAlertCollector } from '../test-support/alert-collector.js';
import { spanRow } from '../test-support/span-rows.js';
import { tempDataDir } from '../test-support/temp-storage.js';

const tmp = tempDataDir('sightline-drift-alert-');
let collector: RunningCollector;
let receiver: Receiver;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MIN = 60_000;
const AGENT = 'router-agent';
let seq = 0;

beforeAll(async () => {
  ({ collector, receiver } = await startAlertCollector(tmp.dir));
});
afterAll(async () => {
  await collector?.stop();
  await receiver?.close();
  tmp.remove();
});

/** One session: invoke_agent → execute_tool <first> → execute_tool summarize. */
function session(start: number, firstTool: string): SpanRow[] {
  const n = ++seq;
  const traceId = n.toString(16).padStart(32, '0');
  const id = (k: number) => (n * 4 + k).toString(16).padStart(16, '0');
  const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
  const common = { trace_id: traceId, service_name: 'router', agent_name: AGENT, session_id: `s-${n}` };
  return [
    spanRow({
      ...common,
      span_id: id(0),
      name: `invoke_agent ${AGENT}`,
      operation: 'invoke_agent',
      start_time: ns(start),
      end_time: ns(start + 1200),
    }),
    spanRow({
      ...common,
      span_id: id(1),
      parent_span_id: id(0),
      name: `execute_tool ${firstTool}`,
      operation: 'execute_tool',
      tool_name: firstTool,
      start_time: ns(start + 100),
      end_time: ns(start + 500),
    }),
    spanRow({
      ...common,
      span_id: id(2),
      parent_span_id: id(0),
      name: 'execute_tool summarize',
      operation: 'execute_tool',
      tool_name: 'summarize',
      start_time: ns(start + 600),
      end_time: ns(start + 1000),
    }),
  ];
}

describe('a drift alert on the drift engine', () => {
  it('fires once when the hourly check finds the agent choosing another first tool', async () => {
    const now = Date.now();
    // The newest hourly window the engine checks: the 2 hours before the last hour boundary that is
    // at least its 10-minute tail in the past. The baseline is the same hours on the 6 days before.
    const windowEnd = Math.floor((now - 10 * MIN) / HOUR) * HOUR;
    const at = (day: number, i: number, n: number) => windowEnd - day * DAY - 2 * HOUR + MIN + Math.floor((i * (2 * HOUR - 2 * MIN)) / n);
    const rows: SpanRow[] = [];
    for (let i = 0; i < 300; i++) rows.push(...session(at(1 + (i % 6), i, 300), i % 5 === 0 ? 'web_search' : 'search_kb'));
    for (let i = 0; i < 150; i++) rows.push(...session(at(0, i, 150), i % 5 === 0 ? 'search_kb' : 'web_search'));
    const stored = collector.pipeline.accept(rows, 'default');
    await collector.pipeline.flush();
    await stored;

    const check = await fetch(`${collector.url}/api/drift/check`, { method: 'POST' });
    expect(check.status).toBe(200);

    const res = await fetch(`${collector.url}/api/alerts/rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Router drift',
        condition: { kind: 'drift', minSignals: 1 },
        scope: { agent: AGENT },
        forEvaluations: 1,
        resolveEvaluations: 1,
        channels: [{ type: 'webhook', url: `${receiver.url}/drift` }],
      }),
    });
    expect(res.status).toBe(201);
    AlertRule.parse(await res.json());

    await evaluateAt(collector, now);
    await evaluateAt(collector, now + MIN);

    const sent = receiver.received
      .filter((r) => r.path === '/drift')
      .map((r) => JSON.parse(r.body) as { type: string; value: number; summary?: string });
    expect(sent.map((n) => n.type)).toEqual(['alert.firing']);
    expect(sent[0]!.value).toBeGreaterThanOrEqual(1);
    expect(sent[0]!.summary).toMatch(/FIRING.*router-agent.*drift/);
  });
});
