/**
 * Tokens are recorded on model-call spans only, so the model breakdown already holds every token:
 * summing its groups gives the totals, and the overview needs no separate all-spans query.
 */
import type { MetricsResponse } from '@sightline/contract';

export function tokenTotals(byModel: MetricsResponse): {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpricedCalls: number;
} {
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  let unpricedCalls = 0;
  // Cost too: it is on model-call spans only, so the model breakdown holds all of it (directly attributed).
  for (const t of byModel.totals) {
    inputTokens += t.inputTokens;
    outputTokens += t.outputTokens;
    costUsd += t.costUsd;
    unpricedCalls += t.unpricedCalls;
  }
  return { inputTokens, outputTokens, costUsd, unpricedCalls };
}

/** Spend per bucket start, summed over the model breakdown's series. */
export function spendSeries(byModel: MetricsResponse): Array<{ time: number; costUsd: number; unpricedCalls: number }> {
  const byTime = new Map<number, { time: number; costUsd: number; unpricedCalls: number }>();
  for (const s of byModel.series) {
    for (const p of s.points) {
      const acc = byTime.get(p.time) ?? { time: p.time, costUsd: 0, unpricedCalls: 0 };
      acc.costUsd += p.costUsd;
      acc.unpricedCalls += p.unpricedCalls;
      byTime.set(p.time, acc);
    }
  }
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

/** Tokens per bucket start, summed over the groups' series. */
export function tokenSeries(byModel: MetricsResponse): Array<{ time: number; inputTokens: number; outputTokens: number }> {
  const byTime = new Map<number, { time: number; inputTokens: number; outputTokens: number }>();
  for (const s of byModel.series) {
    for (const p of s.points) {
      const acc = byTime.get(p.time) ?? { time: p.time, inputTokens: 0, outputTokens: 0 };
      acc.inputTokens += p.inputTokens;
      acc.outputTokens += p.outputTokens;
      byTime.set(p.time, acc);
    }
  }
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}
