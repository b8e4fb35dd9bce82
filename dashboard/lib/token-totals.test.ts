import { describe, expect, it } from 'vitest';
import type { MetricsResponse } from '@sightline/contract';
import { spendSeries, tokenSeries, tokenTotals } from './token-totals';

const values = {
  count: 1,
  errorCount: 0,
  errorRate: 0,
  p50: 1,
  p90: 1,
  p95: 1,
  p99: 1,
  costUsd: 0.5,
  inputCostUsd: 0.2,
  outputCostUsd: 0.3,
  unpricedCalls: 1,
};
const res: MetricsResponse = {
  from: 0,
  to: 120_000,
  bucketSeconds: 60,
  groupBy: 'model',
  series: [
    {
      key: 'gpt-4o',
      points: [
        { time: 0, ...values, inputTokens: 10, outputTokens: 1 },
        { time: 60_000, ...values, inputTokens: 5, outputTokens: 2 },
      ],
    },
    { key: '', points: [{ time: 60_000, ...values, inputTokens: 0, outputTokens: 0 }] },
    { key: 'claude', points: [{ time: 60_000, ...values, inputTokens: 7, outputTokens: 3 }] },
  ],
  totals: [
    { key: 'gpt-4o', ...values, inputTokens: 15, outputTokens: 3, sessions: 1, traces: 1 },
    { key: 'claude', ...values, inputTokens: 7, outputTokens: 3, sessions: 1, traces: 1 },
    { key: '', ...values, inputTokens: 0, outputTokens: 0, sessions: 1, traces: 1 },
  ],
  costAttribution: 'direct',
};

describe('token totals from the model breakdown', () => {
  it('sums every group', () => {
    expect(tokenTotals(res)).toEqual({ inputTokens: 22, outputTokens: 6, costUsd: 1.5, unpricedCalls: 3 });
  });
  it('sums the groups per bucket', () => {
    expect(tokenSeries(res)).toEqual([
      { time: 0, inputTokens: 10, outputTokens: 1 },
      { time: 60_000, inputTokens: 12, outputTokens: 5 },
    ]);
  });
  it('sums spend and unpriced calls per bucket', () => {
    expect(spendSeries(res)).toEqual([
      { time: 0, costUsd: 0.5, unpricedCalls: 1 },
      { time: 60_000, costUsd: 1.5, unpricedCalls: 3 },
    ]);
  });
});
