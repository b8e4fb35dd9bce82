import { describe, expect, it } from 'vitest';
import { OTHER, compareCategories, compareToExpected, jsDistance, mergeRare } from './categorical.js';
import { holm } from './multiple.js';
import { mannWhitney, median } from './numeric.js';

const counts = (o: Record<string, number>) => new Map(Object.entries(o));
const hist = (values: number[]) => {
  const h = new Map<number, number>();
  for (const v of values) h.set(v, (h.get(v) ?? 0) + 1);
  return h;
};
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

// Reference values from scipy 1.17 (chi2_contingency with lambda_="log-likelihood", jensenshannon base 2,
// mannwhitneyu asymptotic with continuity correction).
describe('categorical comparison', () => {
  it('G-test on a 2×2 table matches scipy', () => {
    const r = compareCategories(counts({ a: 30, b: 70 }), counts({ a: 50, b: 50 }));
    expect(rel(r.statistic, 8.402370280734836)).toBeLessThan(1e-10);
    expect(r.df).toBe(1);
    expect(rel(r.pValue, 0.0037473208149735333)).toBeLessThan(1e-8);
  });

  it('G-test on a 2×3 table matches scipy', () => {
    const r = compareCategories(counts({ a: 120, b: 60, c: 20 }), counts({ a: 80, b: 90, c: 30 }));
    expect(rel(r.statistic, 16.108410840551098)).toBeLessThan(1e-10);
    expect(rel(r.pValue, 0.0003177627825830932)).toBeLessThan(1e-8);
  });

  it('Jensen–Shannon distance matches scipy and is 0 for equal and 1 for disjoint distributions', () => {
    expect(rel(jsDistance(counts({ a: 40, b: 60 }), counts({ a: 55, b: 45 })), 0.12780201415303116)).toBeLessThan(1e-10);
    expect(jsDistance(counts({ a: 1, b: 3 }), counts({ a: 10, b: 30 }))).toBeCloseTo(0, 12);
    expect(jsDistance(counts({ a: 5 }), counts({ b: 5 }))).toBeCloseTo(1, 12);
  });

  it('reports which categories moved, largest move first, in points', () => {
    const r = compareCategories(counts({ search: 500, lookup: 500 }), counts({ search: 650, lookup: 350 }));
    expect(Math.abs(r.categories[0]!.deltaPoints)).toBeCloseTo(15, 10);
    expect(r.categories.find((c) => c.category === 'search')!.deltaPoints).toBeCloseTo(15, 10);
    expect(r.maxDeltaPoints).toBeCloseTo(15, 10);
    expect(r.pValue).toBeLessThan(1e-10);
  });

  it('a new category absent from the baseline is significant and kept out of "(other)"', () => {
    const r = compareCategories(counts({ a: 5000, b: 5000 }), counts({ a: 450, b: 450, c: 100 }));
    expect(r.categories.find((c) => c.category === 'c')?.deltaPoints).toBeCloseTo(10, 10);
    expect(r.pValue).toBeLessThan(1e-20);
  });

  it('merges categories with tiny expected counts into "(other)"', () => {
    const m = mergeRare(counts({ a: 1000, b: 1000, rare1: 1, rare2: 2 }), counts({ a: 100, b: 100, rare3: 1 }), 5);
    expect([...m.baseline.keys()].sort()).toEqual([OTHER, 'a', 'b']);
    expect(m.baseline.get(OTHER)).toBe(3);
    expect(m.current.get(OTHER)).toBe(1);
  });

  it('a long tail of singletons does not look significant once merged', () => {
    const b = new Map<string, number>([['main', 9000]]);
    const c = new Map<string, number>([['main', 90]]);
    for (let i = 0; i < 1000; i++) b.set(`tail-${i}`, 1);
    for (let i = 0; i < 10; i++) c.set(`new-${i}`, 1);
    expect(compareCategories(b, c).pValue).toBeGreaterThan(0.01);
  });

  it('the design effect divides the statistic', () => {
    const one = compareCategories(counts({ a: 300, b: 700 }), counts({ a: 500, b: 500 }));
    const three = compareCategories(counts({ a: 300, b: 700 }), counts({ a: 500, b: 500 }), { designEffect: 3 });
    expect(three.statistic).toBeCloseTo(one.statistic / 3, 10);
    expect(three.pValue).toBeGreaterThan(one.pValue);
  });

  it('compares against expected shares', () => {
    const r = compareToExpected(counts({ novel: 0.01, seen: 0.99 }), counts({ novel: 100, seen: 900 }));
    expect(r.categories.find((c) => c.category === 'novel')!.deltaPoints).toBeCloseTo(9, 10);
    expect(r.pValue).toBeLessThan(1e-30);
    expect(compareToExpected(counts({ novel: 0.1, seen: 0.9 }), counts({ novel: 100, seen: 900 })).pValue).toBeCloseTo(1, 6);
  });
});

describe('Mann–Whitney from histograms', () => {
  it('matches scipy with ties and the continuity correction', () => {
    const r = mannWhitney(hist([1, 2, 2, 3, 3, 3, 4, 5]), hist([2, 3, 4, 4, 5, 5, 6, 6, 7]));
    expect(8 * 9 - r.u).toBeCloseTo(13.5, 10); // scipy reports U of the first sample
    expect(rel(r.pValue, 0.03175895714806371)).toBeLessThan(1e-8);
  });

  it('is not significant for identical distributions and very significant for a doubling', () => {
    const same = mannWhitney(hist([1, 2, 3, 4, 5, 6]), hist([1, 2, 3, 4, 5, 6]));
    expect(same.pValue).toBeCloseTo(1, 6);
    const base = hist(Array.from({ length: 2000 }, (_, i) => 2 + (i % 5)));
    const doubled = hist(Array.from({ length: 300 }, (_, i) => 2 * (2 + (i % 5))));
    const r = mannWhitney(base, doubled);
    expect(r.pValue).toBeLessThan(1e-30);
    expect(r.relativeShift).toBeCloseTo(1, 10);
  });

  it('falls back to the mean shift when the baseline median is zero', () => {
    expect(mannWhitney(hist([0, 0, 0, 1]), hist([0, 1, 1, 1])).relativeShift).toBeCloseTo(2, 10);
    const r = mannWhitney(hist([0, 0, 0, 0, 1]), hist([0, 0, 0, 1, 1]));
    expect(r.baselineMedian).toBe(0);
    expect(r.relativeShift).toBeCloseTo(1, 10);
  });

  it('median of a histogram', () => {
    expect(median(hist([5, 1, 3]))).toBe(3);
    expect(median(hist([1, 2, 3, 4]))).toBe(2);
    expect(median(new Map())).toBe(0);
  });
});

describe('Holm correction', () => {
  it('adjusts step-down and keeps the input order', () => {
    expect(holm([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02]);
  });
});
