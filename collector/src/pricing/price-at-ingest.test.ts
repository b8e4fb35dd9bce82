/** SIGHTLINE_PRICE_AT_INGEST=false: model calls are stored unpriced (never $0), and a recompute prices them. */
import { RecomputeResult, TraceDetail } from '@sightline/contract';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../index.js';
import { emitAgentRun, genaiCall } from '../test-support/model-calls.js';
import { apiReader } from '../test-support/otel.js';
import { tempDataDir } from '../test-support/temp-storage.js';

const tmp = tempDataDir('sightline-price-at-ingest-');
let collector: RunningCollector;
const api = apiReader(() => collector.url);

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'error', flushIntervalMs: 50, priceAtIngest: false });
});
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

it('stores model calls unpriced, and a recompute prices them', async () => {
  const start = Date.now() - 60_000;
  const traceId = await emitAgentRun(collector.url, {
    sessionId: 's',
    agent: 'a',
    startMs: start,
    calls: [{ attributes: genaiCall('openai', 'gpt-4o-mini', '', { input_tokens: 1000, output_tokens: 100 }) }],
  });
  await collector.pipeline.flush();
  expect(await api(`/traces/${traceId}`, TraceDetail)).toMatchObject({ totalCostUsd: 0, unpricedCalls: 1 });

  const res = await fetch(`${collector.url}/api/cost/recompute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: start - 60_000, to: Date.now() + 60_000 }),
  });
  expect(RecomputeResult.parse(await res.json())).toMatchObject({ modelCalls: 1, changed: 1 });
  const priced = await api(`/traces/${traceId}`, TraceDetail);
  expect(priced.unpricedCalls).toBe(0);
  expect(priced.totalCostUsd).toBeCloseTo(1000 * 0.15e-6 + 100 * 0.6e-6, 12);
});
