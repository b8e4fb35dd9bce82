import { describe, expect, it } from 'vitest';
import type { MetricsResponse } from '@sightline/contract';
import { tokenSeries, tokenTotals } from './token-totals';

const values = { count: 1, errorCount: 0, errorRate: 0, p50: 1, p90: 1, p95: 1, p99: 1 };
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
};

describe('token totals from the model breakdown', () => {
  it('sums every group', () => {
    expect(tokenTotals(res)).toEqual({ inputTokens: 22, outputTokens: 6 });
  });
  it('sums the groups per bucket', () => {
    expect(tokenSeries(res)).toEqual([
      { time: 0, inputTokens: 10, outputTokens: 1 },
      { time: 60_000, inputTokens: 12, outputTokens: 5 },
    ]);
  });
});
