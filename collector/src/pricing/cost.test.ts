/**
 * Cost end to end: agent runs exported by the OpenTelemetry SDK to a real collector (embedded
 * ClickHouse), priced at ingest, read back through the API. The expected costs are computed here
 * by hand from the price database's data (the per-million-token prices of the matched model), not
 * by the library's price function that the collector uses.
 */
import { findProvider } from '@pydantic/genai-prices';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CostSummary,
  CustomPrice,
  MetricsResponse,
  RecomputeResult,
  SessionDetail,
  SessionList,
  TraceDetail,
  TraceList,
} from '@sightline/contract';
import { startCollector, type RunningCollector } from '../index.js';
import { emitAgentRun, genaiCall } from '../test-support/model-calls.js';
import { apiReader, eventually } from '../test-support/otel.js';
import { tempDataDir } from '../test-support/temp-storage.js';

const tmp = tempDataDir('sightline-cost-');
let collector: RunningCollector;
const api = apiReader(() => collector.url);
const HOUR = 3_600_000;
const start = Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR;
const range = `from=${start - HOUR}&to=${start + 2 * HOUR}`;

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'warn', flushIntervalMs: 50 });
});
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

/** The database's per-million-token prices of one model, read from its data (flat prices only). */
function dbPrices(providerId: string, modelId: string): Record<string, number> {
  const model = findProvider({ providerId })?.models.find((m) => m.id === modelId);
  if (!model || Array.isArray(model.prices)) throw new Error(`${providerId}/${modelId}: no flat price in the database`);
  const prices: Record<string, number> = {};
  for (const [k, v] of Object.entries(model.prices)) if (typeof v === 'number') prices[k] = v;
  return prices;
}

/** USD by hand: cache reads and writes are parts of the input, priced at their own rates. */
function byHand(p: Record<string, number>, t: { input: number; output: number; cacheRead?: number; cacheWrite?: number }): number {
  const cr = t.cacheRead ?? 0;
  const cw = t.cacheWrite ?? 0;
  return (
    ((t.input - cr - cw) * p.input_mtok! + cr * (p.cache_read_mtok ?? 0) + cw * (p.cache_write_mtok ?? 0) + t.output * p.output_mtok!) / 1e6
  );
}

async function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${collector.url}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/** The trace once all its `spans` spans are stored (the exporter sends each as it ends). */
const traceOf = (id: string, spans: number) =>
  eventually(async () => {
    const t = await api(`/traces/${id}`, TraceDetail);
    return t.spans.length >= spans ? t : undefined;
  });

let traceId = '';
const mini = { input: 1200, output: 300, cacheRead: 200 };
const haiku = { input: 5000, output: 800, cacheWrite: 1000 };
let expectedMini = 0;
let expectedHaiku = 0;

describe('cost in dollars', () => {
  it('prices each model call at ingest as the price database says, to a fraction of a cent, and leaves an unknown model unpriced', async () => {
    expectedMini = byHand(dbPrices('openai', 'gpt-4o-mini'), mini);
    expectedHaiku = byHand(dbPrices('anthropic', 'claude-3-5-haiku-latest'), haiku);
    traceId = await emitAgentRun(collector.url, {
      sessionId: 'cost-s1',
      agent: 'support-agent',
      startMs: start,
      calls: [
        {
          attributes: genaiCall('openai', 'gpt-4o-mini', 'gpt-4o-mini-2024-07-18', {
            input_tokens: mini.input,
            output_tokens: mini.output,
            'cache_read.input_tokens': mini.cacheRead,
          }),
          tool: 'lookup_order',
        },
        {
          attributes: genaiCall('anthropic', 'claude-3-5-haiku', 'claude-3-5-haiku-20241022', {
            input_tokens: haiku.input,
            output_tokens: haiku.output,
            cache_creation_input_tokens: haiku.cacheWrite,
          }),
          tool: 'issue_refund',
        },
        { attributes: genaiCall('acme', 'acme-inhouse-7b', '', { input_tokens: 900, output_tokens: 100 }) },
        // OpenLIT reports the cost itself: it wins over the database's price.
        { attributes: { ...genaiCall('openai', 'gpt-4o', '', { input_tokens: 10, output_tokens: 10 }), 'gen_ai.usage.cost': 0.25 } },
      ],
    });
    const t = await traceOf(traceId, 11); // invoke_agent, 4 steps, 4 calls, 2 tools
    const chats = t.spans.filter((s) => s.operation === 'chat');
    const byModel = (m: string) => chats.find((s) => s.requestModel === m)!;

    expect(byModel('gpt-4o-mini').costSource).toBe('database');
    expect(byModel('gpt-4o-mini').cacheReadTokens).toBe(200);
    expect(Math.abs(byModel('gpt-4o-mini').costUsd! - expectedMini)).toBeLessThan(1e-9);
    expect(byModel('claude-3-5-haiku').costSource).toBe('database');
    expect(byModel('claude-3-5-haiku').cacheWriteTokens).toBe(1000);
    expect(Math.abs(byModel('claude-3-5-haiku').costUsd! - expectedHaiku)).toBeLessThan(1e-9);
    const unknown = byModel('acme-inhouse-7b');
    expect(unknown).toMatchObject({ costUsd: null, costSource: '', inputTokens: 900, outputTokens: 100 });
    expect(byModel('gpt-4o')).toMatchObject({ costUsd: 0.25, costSource: 'reported' });
    expect(t.spans.filter((s) => s.operation !== 'chat').every((s) => s.costUsd === null)).toBe(true);

    const total = expectedMini + expectedHaiku + 0.25;
    expect(Math.abs(t.totalCostUsd - total)).toBeLessThan(1e-9);
    expect(t.unpricedCalls).toBe(1);

    // The same sums in the trace list, the session and the minute rollups.
    const list = await api(`/traces?${range}&sort=cost`, TraceList);
    expect(list.traces[0]).toMatchObject({ traceId, unpricedCalls: 1 });
    expect(Math.abs(list.traces[0]!.costUsd - total)).toBeLessThan(1e-9);
    const session = await api('/sessions/cost-s1', SessionDetail);
    expect(Math.abs(session.session.costUsd - total)).toBeLessThan(1e-9);
    expect(session.session.unpricedCalls).toBe(1);
    const models = await api(`/metrics?${range}&groupBy=model`, MetricsResponse);
    const modelCost = (k: string) => models.totals.find((x) => x.key === k)?.costUsd;
    expect(Math.abs(modelCost('gpt-4o-mini-2024-07-18')! - expectedMini)).toBeLessThan(1e-9);
    expect(models.totals.find((x) => x.key === 'acme-inhouse-7b')).toMatchObject({ costUsd: 0, unpricedCalls: 1 });
    const summary = await api(`/cost/summary?${range}`, CostSummary);
    expect(summary).toMatchObject({ sessions: 1, successfulSessions: 1, unpricedCalls: 1 });
    expect(Math.abs(summary.costPerSuccessfulSession! - total)).toBeLessThan(1e-9);
  });

  it('attributes spend to the agent (its traces) and to tools (the model calls of the steps that chose them)', async () => {
    const agents = await api(`/metrics?${range}&groupBy=agent`, MetricsResponse);
    expect(agents.costAttribution).toBe('traces');
    expect(Math.abs(agents.totals.find((x) => x.key === 'support-agent')!.costUsd - (expectedMini + expectedHaiku + 0.25))).toBeLessThan(
      1e-9,
    );
    const tools = await api(`/metrics?${range}&groupBy=tool`, MetricsResponse);
    expect(tools.costAttribution).toBe('steps');
    expect(Math.abs(tools.totals.find((x) => x.key === 'lookup_order')!.costUsd - expectedMini)).toBeLessThan(1e-9);
    expect(Math.abs(tools.totals.find((x) => x.key === 'issue_refund')!.costUsd - expectedHaiku)).toBeLessThan(1e-9);
    const spend = tools.series.flatMap((s) => s.points).reduce((n, p) => n + p.costUsd, 0);
    expect(Math.abs(spend - (expectedMini + expectedHaiku))).toBeLessThan(1e-9);
  });

  it('prices with a custom price, which beats the database, and a recompute brings history and its sums in line', async () => {
    const inhouse = await post('/cost/prices', {
      modelPattern: 'acme-inhouse-*',
      inputPerMTok: 2,
      outputPerMTok: 8,
      validFrom: start - HOUR,
    });
    expect(inhouse.status, JSON.stringify(inhouse.json)).toBe(201);
    const mine = await post('/cost/prices', { modelPattern: 'gpt-4o-mini*', inputPerMTok: 1, outputPerMTok: 1, validFrom: start - HOUR });
    expect(CustomPrice.parse(mine.json).modelPattern).toBe('gpt-4o-mini*');
    expect((await post('/cost/prices', { modelPattern: 'bad pattern!', inputPerMTok: 1, outputPerMTok: 1 })).json).toMatchObject({
      error: { code: 'invalid_parameter', field: 'modelPattern' },
    });

    const recomputed = await post('/cost/recompute', { from: start - HOUR, to: start + HOUR });
    expect(recomputed.status, JSON.stringify(recomputed.json)).toBe(200);
    expect(RecomputeResult.parse(recomputed.json)).toMatchObject({ modelCalls: 4, changed: 2 });

    const inhouseCost = (900 * 2 + 100 * 8) / 1e6;
    const miniCustom = (1200 + 300) / 1e6; // cache reads fall back to the input price
    const total = miniCustom + expectedHaiku + 0.25 + inhouseCost;
    const t = await api(`/traces/${traceId}`, TraceDetail);
    expect(t.spans.find((s) => s.requestModel === 'acme-inhouse-7b')).toMatchObject({ costSource: 'custom' });
    expect(Math.abs(t.totalCostUsd - total)).toBeLessThan(1e-9);
    expect(t.unpricedCalls).toBe(0);
    const list = await api(`/traces?${range}`, TraceList);
    expect(list.traces.find((x) => x.traceId === traceId)).toMatchObject({ unpricedCalls: 0 });
    expect(Math.abs(list.traces.find((x) => x.traceId === traceId)!.costUsd - total)).toBeLessThan(1e-9);
    const session = await api(`/sessions?${range}&sort=cost`, SessionList);
    expect(Math.abs(session.sessions[0]!.costUsd - total)).toBeLessThan(1e-9);
    const models = await api(`/metrics?${range}&groupBy=model`, MetricsResponse);
    expect(models.totals.find((x) => x.key === 'acme-inhouse-7b')).toMatchObject({ unpricedCalls: 0 });
    expect(Math.abs(models.totals.find((x) => x.key === 'acme-inhouse-7b')!.costUsd - inhouseCost)).toBeLessThan(1e-9);
    // A second recompute finds nothing left to change.
    expect(RecomputeResult.parse((await post('/cost/recompute', { from: start - HOUR, to: start + HOUR })).json).changed).toBe(0);

    // New calls are priced with the custom price at ingest.
    const later = await emitAgentRun(collector.url, {
      sessionId: 'cost-s2',
      agent: 'support-agent',
      startMs: start + 10 * 60_000,
      calls: [{ attributes: genaiCall('acme', 'acme-inhouse-7b', '', { input_tokens: 1000, output_tokens: 0 }) }],
    });
    const t2 = await traceOf(later, 3);
    expect(t2.spans.find((s) => s.operation === 'chat')).toMatchObject({ costSource: 'custom', costUsd: 0.002 });
  });
});
