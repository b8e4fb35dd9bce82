/**
 * Tokens are recorded on model-call spans only, so the model breakdown already holds every token:
 * summing its groups gives the totals, and the overview needs no separate all-spans query.
 */
import type { MetricsResponse } from '@sightline/contract';

export function tokenTotals(byModel: MetricsResponse): { inputTokens: number; outputTokens: number } {
  let inputTokens = 0;
  let outputTokens = 0;
  for (const t of byModel.totals) {
    inputTokens += t.inputTokens;
    outputTokens += t.outputTokens;
  }
  return { inputTokens, outputTokens };
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
