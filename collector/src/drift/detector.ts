/**
 * Turns per-side aggregates into a verdict: one test per signal, Holm across signals, and drift
 * only where a change is both significant and large, with enough sessions on both sides.
 * Pure: no I/O, so every rule here is unit-tested on hand-made aggregates.
 */
import type { DriftReport, DriftStatus, DriftThresholds, SignalResult } from '@sightline/contract';
import type { AgentAggregates, SideCounts } from './queries.js';
import type { ScoreAggregates } from './score-queries.js';
import { SIGNALS, scoreSignalDef, type SignalDef } from './signals.js';
import { OTHER, compareCategories, compareToExpected, type CategoricalResult } from './stats/categorical.js';
import { holm } from './stats/multiple.js';
import { mannWhitney, quantile, type Histogram, type NumericResult } from './stats/numeric.js';

export const DEFAULT_THRESHOLDS: DriftThresholds = {
  alpha: 1e-4,
  minJsDistance: 0.05,
  minDeltaPoints: 5,
  minRelativeShift: 0.2,
  minBaselineSessions: 200,
  minCurrentSessions: 100,
};

const MAX_CATEGORIES_SHOWN = 12;
const QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9];

type Untested = Omit<SignalResult, 'adjustedP' | 'significant' | 'drifted'>;

export function detect(
  agent: string,
  agg: AgentAggregates,
  t: DriftThresholds,
): Pick<DriftReport, 'agent' | 'status' | 'summary' | 'driftedSignals' | 'signals' | 'topPaths'> {
  const enough = (n: SideCounts) => n.baseline >= t.minBaselineSessions && n.current >= t.minCurrentSessions;
  const partial: Untested[] = SIGNALS.map((def) => {
    const n = def.needsContent ? agg.contentSessions : agg.sessions;
    if (!enough(n)) return insufficient(def, n);
    return def.kind === 'numeric' ? numericSignal(def, agg, t) : categoricalSignal(def, agg, t);
  });
  for (const [name, scores] of [...agg.scores].sort((a, b) => a[0].localeCompare(b[0]))) {
    const def = scoreSignalDef(name);
    partial.push(enough(scores.sessions) ? scoreSignal(def, scores, t) : insufficient(def, scores.sessions));
  }
  const tested = partial.map((s, i) => ({ s, i })).filter(({ s }) => s.status === 'tested');
  const adjusted = holm(tested.map(({ s }) => s.pValue));
  const adjustedAt = new Map(tested.map(({ i }, k) => [i, adjusted[k]!]));
  const signals: SignalResult[] = partial.map((s, i) => {
    const adjustedP = adjustedAt.get(i) ?? 1;
    const significant = s.status === 'tested' && adjustedP < t.alpha;
    return { ...s, adjustedP, significant, drifted: significant && s.large };
  });
  const driftedSignals = signals.filter((s) => s.drifted).map((s) => s.signal);
  const status: DriftStatus = !enough(agg.sessions) ? 'insufficient_data' : driftedSignals.length > 0 ? 'drift' : 'no_drift';
  return { agent, status, summary: summarize(agent, status, signals, agg.sessions, t), driftedSignals, signals, topPaths: topPaths(agg) };
}

function insufficient(def: SignalDef, n: SideCounts): Untested {
  return {
    ...meta(def),
    status: 'insufficient_data',
    baselineN: n.baseline,
    currentN: n.current,
    pValue: 1,
    effect: 0,
    effectRatio: 0,
    large: false,
    explanation: `Not enough data: ${n.baseline} baseline and ${n.current} current sessions.`,
  };
}

const meta = (def: SignalDef) => ({ signal: def.name, label: def.label, family: def.family, kind: def.kind });

function side(m: Map<string, SideCounts> | undefined, key: 'baseline' | 'current', total: number): Map<string, number> {
  const out = new Map<string, number>();
  let seen = 0;
  for (const [cat, c] of m ?? []) {
    if (c[key] > 0) out.set(cat, c[key]);
    seen += c[key];
  }
  // Categories past the top-N cut are known only through the totals.
  if (total > seen) out.set(OTHER, (out.get(OTHER) ?? 0) + total - seen);
  return out;
}

function categoricalSignal(def: SignalDef, agg: AgentAggregates, t: DriftThresholds): Untested {
  let r: CategoricalResult;
  const sessions = def.needsContent ? agg.contentSessions : agg.sessions;
  if (def.name === 'path.novel') {
    // Good–Turing: the share of baseline sessions whose path occurs once estimates how often a
    // stable agent still produces a never-seen path; the current window is tested against that rate.
    const nv = agg.novelty;
    const p0 = nv.baseline > 0 ? Math.min(0.99, Math.max(nv.baselineSingletons / nv.baseline, 0.5 / nv.baseline)) : 0;
    r = compareToExpected(
      new Map([
        ['never seen', p0],
        ['seen before', 1 - p0],
      ]),
      new Map([
        ['never seen', nv.novelCurrent],
        ['seen before', nv.current - nv.novelCurrent],
      ]),
    );
  } else {
    const m = agg.categories.get(def.name);
    const totals = agg.totals.get(def.name) ?? { baseline: 0, current: 0 };
    // Units per session, over the sessions the counts came from (the baseline may be sampled).
    const tested = def.needsContent ? sessions.baseline + sessions.current : agg.novelty.baseline + agg.novelty.current;
    const designEffect = def.perCall ? (totals.baseline + totals.current) / Math.max(1, tested) : 1;
    r = compareCategories(side(m, 'baseline', totals.baseline), side(m, 'current', totals.current), { designEffect });
  }
  const ratio = Math.max(r.jsDistance / t.minJsDistance, r.maxDeltaPoints / t.minDeltaPoints);
  return {
    ...meta(def),
    status: 'tested',
    baselineN: sessions.baseline,
    currentN: sessions.current,
    pValue: r.pValue,
    effect: r.jsDistance,
    effectRatio: ratio,
    large: ratio >= 1,
    explanation: explainCategories(def, r),
    categories: r.categories.slice(0, MAX_CATEGORIES_SHOWN),
  };
}

function numericSignal(def: SignalDef, agg: AgentAggregates, t: DriftThresholds): Untested {
  return numericTest(def, agg.histograms.get(def.name) ?? new Map<number, SideCounts>(), t, 'median');
}

/**
 * A score moves by its mean: scores are few-valued (thumbs 0/1, grades 1–5), so a median stays put
 * while the share of bad answers doubles. The test is the same rank test as every numeric signal.
 */
function scoreSignal(def: SignalDef, scores: ScoreAggregates, t: DriftThresholds): Untested {
  return numericTest(def, scores.histogram, t, 'mean');
}

function numericTest(def: SignalDef, h: Map<number, SideCounts>, t: DriftThresholds, centre: 'median' | 'mean'): Untested {
  const b: Histogram = new Map();
  const c: Histogram = new Map();
  for (const [v, n] of h) {
    if (n.baseline > 0) b.set(v, n.baseline);
    if (n.current > 0) c.set(v, n.current);
  }
  const test = mannWhitney(b, c);
  const r = centre === 'mean' ? { ...test, relativeShift: meanShift(test.baselineMean, test.currentMean) } : test;
  const effect = Math.abs(r.relativeShift);
  return {
    ...meta(def),
    status: 'tested',
    baselineN: r.baselineTotal,
    currentN: r.currentTotal,
    pValue: r.pValue,
    effect,
    effectRatio: effect / t.minRelativeShift,
    large: effect >= t.minRelativeShift,
    explanation: explainNumeric(def, r, centre),
    numeric: {
      baselineMedian: r.baselineMedian,
      currentMedian: r.currentMedian,
      baselineMean: r.baselineMean,
      currentMean: r.currentMean,
      relativeShift: r.relativeShift,
      baselineQuantiles: QUANTILES.map((q) => quantile(b, q)),
      currentQuantiles: QUANTILES.map((q) => quantile(c, q)),
    },
  };
}

const pts = (d: number) => `${d > 0 ? '+' : ''}${d.toFixed(1)} pts`;
const pct = (s: number) => `${(s * 100).toFixed(1)}%`;
const num = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : Number(v.toFixed(2)).toString());

function explainCategories(def: SignalDef, r: CategoricalResult): string {
  const moved = r.categories.filter((c) => Math.abs(c.deltaPoints) >= 1).slice(0, 3);
  if (moved.length === 0) return `${def.label}: no category moved by a point or more.`;
  const parts = moved.map((c) =>
    c.baselineShare === 0 && c.currentShare > 0
      ? `"${c.category}" is new at ${pct(c.currentShare)}`
      : `"${c.category}" ${pct(c.baselineShare)} → ${pct(c.currentShare)} (${pts(c.deltaPoints)})`,
  );
  return `${def.label}: ${parts.join('; ')}.`;
}

const meanShift = (b: number, c: number) => (b === 0 ? (c === 0 ? 0 : Math.sign(c)) : (c - b) / Math.abs(b));

function explainNumeric(def: SignalDef, r: NumericResult, centre: 'median' | 'mean'): string {
  const useMean = centre === 'mean' || r.baselineMedian === 0;
  const [what, b, c] = useMean ? ['mean', r.baselineMean, r.currentMean] : ['median', r.baselineMedian, r.currentMedian];
  const shift = r.relativeShift;
  return `${def.label}: ${what} ${num(b)} → ${num(c)} (${shift >= 0 ? '+' : ''}${(shift * 100).toFixed(0)}%).`;
}

function summarize(agent: string, status: DriftStatus, signals: SignalResult[], n: SideCounts, t: DriftThresholds): string {
  if (status === 'insufficient_data') {
    return `Not enough data for ${agent}: ${n.current} current sessions (need ${t.minCurrentSessions}) and ${n.baseline} baseline sessions (need ${t.minBaselineSessions}). No verdict.`;
  }
  if (status === 'no_drift')
    return `${agent} behaves as in the baseline: no signal changed significantly and by enough to matter (${n.current} vs ${n.baseline} sessions).`;
  const drifted = signals.filter((s) => s.drifted).sort((a, b) => b.effectRatio - a.effectRatio);
  return `${agent} decides differently: ${drifted
    .slice(0, 3)
    .map((s) => s.explanation)
    .join(' ')}${drifted.length > 3 ? ` And ${drifted.length - 3} more signal(s).` : ''}`;
}

function topPaths(agg: AgentAggregates): DriftReport['topPaths'] {
  const m = agg.categories.get('path') ?? new Map<string, SideCounts>();
  const pick = (key: 'baseline' | 'current') => {
    const total = agg.novelty[key]; // sessions the path counts came from (after sampling)
    return [...m]
      .filter(([, c]) => c[key] > 0)
      .sort((a, b) => b[1][key] - a[1][key])
      .slice(0, 5)
      .map(([path, c]) => ({ path, count: c[key], share: total > 0 ? c[key] / total : 0 }));
  };
  return { baseline: pick('baseline'), current: pick('current') };
}
