/**
 * Two-sample test on numeric signals, computed from histograms (value → count) that ClickHouse
 * aggregates: the Mann–Whitney U test with the normal approximation and the tie correction (our
 * values are step counts and bucketed durations, so ties are the rule), plus medians for the effect.
 * Working on histograms keeps the cost at O(distinct values) however many sessions there are.
 */
import { normalTwoSided } from './distributions.js';

export type Histogram = Map<number, number>;

export interface NumericResult {
  u: number;
  z: number;
  pValue: number;
  baselineMedian: number;
  currentMedian: number;
  baselineMean: number;
  currentMean: number;
  /** Relative shift of the centre: the median's, or the mean's when the baseline median is 0 (rare events). */
  relativeShift: number;
  baselineTotal: number;
  currentTotal: number;
}

export function mannWhitney(baseline: Histogram, current: Histogram): NumericResult {
  const n1 = total(baseline);
  const n2 = total(current);
  const values = [...new Set([...baseline.keys(), ...current.keys()])].sort((a, b) => a - b);
  // Rank sum of the current sample with mid-ranks for ties; tie term Σ(t³ − t) for the variance.
  let rank = 0;
  let r2 = 0;
  let ties = 0;
  for (const v of values) {
    const b = baseline.get(v) ?? 0;
    const c = current.get(v) ?? 0;
    const t = b + c;
    const mid = rank + (t + 1) / 2;
    r2 += c * mid;
    ties += t * t * t - t;
    rank += t;
  }
  const n = n1 + n2;
  const u = r2 - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  const z = variance > 0 ? (u - mean - Math.sign(u - mean) * 0.5) / Math.sqrt(variance) : 0; // continuity correction
  const bm = median(baseline);
  const cm = median(current);
  const bMean = meanOf(baseline);
  const cMean = meanOf(current);
  // A median of 0 (most sessions never loop or retry) says nothing about how often the rest do.
  const useMean = bm === 0;
  const [b0, c0] = useMean ? [bMean, cMean] : [bm, cm];
  return {
    u,
    z,
    pValue: n1 === 0 || n2 === 0 || variance <= 0 ? 1 : normalTwoSided(z),
    baselineMedian: bm,
    currentMedian: cm,
    baselineMean: bMean,
    currentMean: cMean,
    relativeShift: b0 === 0 ? (c0 === 0 ? 0 : Math.sign(c0)) : (c0 - b0) / Math.abs(b0),
    baselineTotal: n1,
    currentTotal: n2,
  };
}

/** The median of a histogram (the lower middle value for an even count, exact for integers). */
export function median(h: Histogram): number {
  return quantile(h, 0.5);
}

export function quantile(h: Histogram, q: number): number {
  const n = total(h);
  if (n === 0) return 0;
  const target = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const v of [...h.keys()].sort((a, b) => a - b)) {
    seen += h.get(v) ?? 0;
    if (seen >= target) return v;
  }
  return 0;
}

function meanOf(h: Histogram): number {
  const n = total(h);
  let s = 0;
  for (const [v, c] of h) s += v * c;
  return n === 0 ? 0 : s / n;
}

function total(h: Histogram): number {
  let s = 0;
  for (const c of h.values()) s += c;
  return s;
}
