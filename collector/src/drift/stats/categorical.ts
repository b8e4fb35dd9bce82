/**
 * Two-sample tests on category counts: is the current window's distribution the baseline's?
 * G-test of independence on the 2 × k table, Jensen–Shannon distance as the effect size, and the
 * per-category change in points so a verdict can say which categories moved.
 */
import { chiSquareSurvival } from './distributions.js';

export const OTHER = '(other)';

export interface CategoryShift {
  category: string;
  baselineCount: number;
  currentCount: number;
  baselineShare: number;
  currentShare: number;
  /** currentShare − baselineShare, in percentage points. */
  deltaPoints: number;
}

export interface CategoricalResult {
  statistic: number;
  df: number;
  pValue: number;
  /** Jensen–Shannon distance (base 2, in [0, 1]). */
  jsDistance: number;
  /** The largest |deltaPoints| of any category. */
  maxDeltaPoints: number;
  categories: CategoryShift[];
  baselineTotal: number;
  currentTotal: number;
}

export interface CategoricalOptions {
  /** Categories whose smallest expected cell count is below this are merged into "(other)". */
  minExpected?: number;
  /**
   * Units counted per independent sample (e.g. tool calls per session). The G statistic is divided
   * by it: calls of one session are not independent, and counting them as such would make a
   * chatty agent look significant on noise.
   */
  designEffect?: number;
}

/**
 * Merges rare categories: the G-test's chi-square approximation is anti-conservative when expected
 * counts are tiny, which at p < 1e-4 would turn the long tail of paths into false alarms.
 */
export function mergeRare(
  baseline: Map<string, number>,
  current: Map<string, number>,
  minExpected: number,
): { baseline: Map<string, number>; current: Map<string, number> } {
  const nb = sum(baseline.values());
  const nc = sum(current.values());
  const n = nb + nc;
  const outB = new Map<string, number>();
  const outC = new Map<string, number>();
  let otherB = 0;
  let otherC = 0;
  for (const cat of new Set([...baseline.keys(), ...current.keys()])) {
    const b = baseline.get(cat) ?? 0;
    const c = current.get(cat) ?? 0;
    const minExp = (Math.min(nb, nc) * (b + c)) / n;
    if (cat === OTHER || minExp < minExpected) {
      otherB += b;
      otherC += c;
    } else {
      outB.set(cat, b);
      outC.set(cat, c);
    }
  }
  if (otherB + otherC > 0) {
    outB.set(OTHER, otherB);
    outC.set(OTHER, otherC);
  }
  return { baseline: outB, current: outC };
}

export function compareCategories(
  baseline: Map<string, number>,
  current: Map<string, number>,
  opts: CategoricalOptions = {},
): CategoricalResult {
  const merged = mergeRare(baseline, current, opts.minExpected ?? 5);
  const cats = [...merged.baseline.keys()];
  const nb = sum(merged.baseline.values());
  const nc = sum(merged.current.values());
  const n = nb + nc;
  let g = 0;
  for (const cat of cats) {
    const b = merged.baseline.get(cat) ?? 0;
    const c = merged.current.get(cat) ?? 0;
    const col = b + c;
    g += term(b, (nb * col) / n) + term(c, (nc * col) / n);
  }
  g = (2 * g) / Math.max(1, opts.designEffect ?? 1);
  const df = Math.max(0, cats.length - 1);
  const categories = [...new Set([...baseline.keys(), ...current.keys()])].map((category) => {
    const b = baseline.get(category) ?? 0;
    const c = current.get(category) ?? 0;
    const bs = nb > 0 ? b / sum(baseline.values()) : 0;
    const cs = nc > 0 ? c / sum(current.values()) : 0;
    return { category, baselineCount: b, currentCount: c, baselineShare: bs, currentShare: cs, deltaPoints: (cs - bs) * 100 };
  });
  categories.sort((x, y) => Math.abs(y.deltaPoints) - Math.abs(x.deltaPoints) || x.category.localeCompare(y.category));
  return {
    statistic: g,
    df,
    pValue: df === 0 || nb === 0 || nc === 0 ? 1 : chiSquareSurvival(g, df),
    jsDistance: jsDistance(baseline, current),
    maxDeltaPoints: categories.reduce((m, c) => Math.max(m, Math.abs(c.deltaPoints)), 0),
    categories,
    baselineTotal: sum(baseline.values()),
    currentTotal: sum(current.values()),
  };
}

/**
 * One-sample G-test of current counts against fixed expected shares (used where the baseline is a
 * model rather than a sample, e.g. the Good–Turing rate of never-seen paths).
 */
export function compareToExpected(expected: Map<string, number>, current: Map<string, number>): CategoricalResult {
  const nc = sum(current.values());
  let g = 0;
  const categories: CategoryShift[] = [];
  for (const [category, share] of expected) {
    const c = current.get(category) ?? 0;
    g += term(c, nc * share);
    const cs = nc > 0 ? c / nc : 0;
    categories.push({
      category,
      baselineCount: 0,
      currentCount: c,
      baselineShare: share,
      currentShare: cs,
      deltaPoints: (cs - share) * 100,
    });
  }
  g *= 2;
  const df = expected.size - 1;
  categories.sort((x, y) => Math.abs(y.deltaPoints) - Math.abs(x.deltaPoints));
  return {
    statistic: g,
    df,
    pValue: nc === 0 || df <= 0 ? 1 : chiSquareSurvival(g, df),
    jsDistance: jsDistance(expected, current),
    maxDeltaPoints: categories.reduce((m, c) => Math.max(m, Math.abs(c.deltaPoints)), 0),
    categories,
    baselineTotal: 0,
    currentTotal: nc,
  };
}

/** Jensen–Shannon distance, base 2: 0 for identical distributions, 1 for disjoint ones. */
export function jsDistance(a: Map<string, number>, b: Map<string, number>): number {
  const na = sum(a.values());
  const nb = sum(b.values());
  if (na === 0 || nb === 0) return 0;
  let d = 0;
  for (const cat of new Set([...a.keys(), ...b.keys()])) {
    const p = (a.get(cat) ?? 0) / na;
    const q = (b.get(cat) ?? 0) / nb;
    const m = (p + q) / 2;
    if (p > 0) d += 0.5 * p * Math.log2(p / m);
    if (q > 0) d += 0.5 * q * Math.log2(q / m);
  }
  return Math.sqrt(Math.max(0, d));
}

const term = (observed: number, expected: number) => (observed > 0 && expected > 0 ? observed * Math.log(observed / expected) : 0);

function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
