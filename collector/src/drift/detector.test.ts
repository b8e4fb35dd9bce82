import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, detect } from './detector.js';
import type { AgentAggregates, SideCounts } from './queries.js';

/** Aggregates built from per-side session shares: `shares` maps category → [baseline, current]. */
function aggregates(nb: number, nc: number, shares: Record<string, [number, number]>, steps: [number, number] = [3, 3]): AgentAggregates {
  const cats = new Map<string, SideCounts>(
    Object.entries(shares).map(([k, [b, c]]) => [k, { baseline: Math.round(b * nb), current: Math.round(c * nc) }]),
  );
  const hist = new Map<number, SideCounts>();
  for (let v = 1; v <= 5; v++) hist.set(v * steps[0], { baseline: nb / 5, current: 0 });
  for (let v = 1; v <= 5; v++) {
    const key = v * steps[1];
    const prev = hist.get(key) ?? { baseline: 0, current: 0 };
    hist.set(key, { ...prev, current: prev.current + nc / 5 });
  }
  const n = { baseline: nb, current: nc };
  return {
    sessions: n,
    contentSessions: n,
    categories: new Map([
      ['tool.first', cats],
      ['path', cats],
    ]),
    totals: new Map([
      ['tool.first', n],
      ['path', n],
    ]),
    histograms: new Map([['steps', hist]]),
    novelty: { novelCurrent: Math.round(nc * 0.01), current: nc, baselineSingletons: Math.round(nb * 0.01), baseline: nb },
    scores: new Map(),
  };
}

/** A thumbs-up score (1 / 0 per session) with the given share of 1s on each side. */
function thumbs(nb: number, nc: number, upB: number, upC: number): AgentAggregates['scores'] {
  const histogram = new Map<number, SideCounts>([
    [1, { baseline: Math.round(upB * nb), current: Math.round(upC * nc) }],
    [0, { baseline: nb - Math.round(upB * nb), current: nc - Math.round(upC * nc) }],
  ]);
  return new Map([['thumbs_up', { sessions: { baseline: nb, current: nc }, histogram }]]);
}

describe('detect', () => {
  it('declares drift for a large, significant move and explains it in points', () => {
    const r = detect('a', aggregates(5000, 500, { search: [0.4, 0.55], lookup: [0.6, 0.45] }), DEFAULT_THRESHOLDS);
    expect(r.status).toBe('drift');
    expect(r.driftedSignals).toContain('tool.first');
    const s = r.signals.find((x) => x.signal === 'tool.first')!;
    expect(s.explanation).toContain('"search" 40.0% → 55.0% (+15.0 pts)');
    expect(r.summary).toContain('decides differently');
  });

  it('stays quiet for a significant but small move (large samples, 2 points)', () => {
    const r = detect('a', aggregates(500_000, 200_000, { search: [0.4, 0.42], lookup: [0.6, 0.58] }), DEFAULT_THRESHOLDS);
    const s = r.signals.find((x) => x.signal === 'tool.first')!;
    expect(s.significant).toBe(true);
    expect(s.large).toBe(false);
    expect(r.status).toBe('no_drift');
  });

  it('stays quiet for a large but insignificant move (few sessions)', () => {
    const r = detect('a', aggregates(300, 100, { search: [0.4, 0.5], lookup: [0.6, 0.5] }), DEFAULT_THRESHOLDS);
    const s = r.signals.find((x) => x.signal === 'tool.first')!;
    expect(s.large).toBe(true);
    expect(s.drifted).toBe(false);
    expect(r.status).toBe('no_drift');
  });

  it('answers "not enough data" below the minimum sessions, never a verdict', () => {
    const r = detect('a', aggregates(199, 5000, { search: [0.1, 0.9], lookup: [0.9, 0.1] }), DEFAULT_THRESHOLDS);
    expect(r.status).toBe('insufficient_data');
    expect(r.driftedSignals).toEqual([]);
    expect(r.summary).toContain('Not enough data');
    expect(detect('a', aggregates(5000, 99, { search: [0.1, 0.9], lookup: [0.9, 0.1] }), DEFAULT_THRESHOLDS).status).toBe(
      'insufficient_data',
    );
  });

  it('detects a doubling of steps through the median shift', () => {
    const r = detect('a', aggregates(5000, 500, { search: [0.5, 0.5], lookup: [0.5, 0.5] }, [2, 4]), DEFAULT_THRESHOLDS);
    const s = r.signals.find((x) => x.signal === 'steps')!;
    expect(s.drifted).toBe(true);
    expect(s.numeric!.relativeShift).toBeCloseTo(1, 10);
    expect(s.explanation).toBe('Steps per session: median 6 → 12 (+100%).');
  });

  it('lists the top paths before and after', () => {
    const r = detect('a', aggregates(5000, 500, { 'a → b': [0.7, 0.2], c: [0.3, 0.8] }), DEFAULT_THRESHOLDS);
    expect(r.topPaths.baseline[0]!.path).toBe('a → b');
    expect(r.topPaths.current[0]!.path).toBe('c');
  });

  it('calls a falling score drift by its mean, though its median does not move', () => {
    const agg = { ...aggregates(5000, 500, { search: [0.5, 0.5], lookup: [0.5, 0.5] }), scores: thumbs(400, 200, 0.9, 0.6) };
    const r = detect('a', agg, DEFAULT_THRESHOLDS);
    const s = r.signals.find((x) => x.signal === 'score:thumbs_up')!;
    expect(s).toMatchObject({ family: 'outcome', kind: 'numeric', status: 'tested', baselineN: 400, currentN: 200, drifted: true });
    expect(s.numeric!.baselineMedian).toBe(s.numeric!.currentMedian);
    expect(s.numeric!.relativeShift).toBeCloseTo((0.6 - 0.9) / 0.9, 10);
    expect(s.explanation).toBe('Score "thumbs_up" (mean per scored session): mean 0.9 → 0.6 (-33%).');
    expect(r.status).toBe('drift');
    expect(r.driftedSignals).toEqual(['score:thumbs_up']);
  });

  it('keeps a steady score quiet and needs enough scored sessions on both sides', () => {
    const steady = detect('a', { ...aggregates(5000, 500, { x: [1, 1] }), scores: thumbs(400, 200, 0.9, 0.88) }, DEFAULT_THRESHOLDS);
    expect(steady.signals.find((x) => x.signal === 'score:thumbs_up')!.drifted).toBe(false);
    expect(steady.status).toBe('no_drift');
    const few = detect('a', { ...aggregates(5000, 500, { x: [1, 1] }), scores: thumbs(400, 50, 0.9, 0.1) }, DEFAULT_THRESHOLDS);
    expect(few.signals.find((x) => x.signal === 'score:thumbs_up')!.status).toBe('insufficient_data');
    expect(few.status).toBe('no_drift');
  });
});
