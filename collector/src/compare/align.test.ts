import { describe, expect, it } from 'vitest';
import { align, alignmentScore, type Scoring } from './align.js';

/** Letters as tokens: match +2, mismatch 0, gap -1 (the step scoring's shape). */
const LETTERS: Scoring<string> = { pair: (x, y) => (x === y ? 2 : 0), gap: -1 };
const run = (a: string, b: string) => align([...a], [...b], LETTERS);
/** The alignment as two gapped rows, e.g. ['AB-C', 'ABXC']. */
const rows = (a: string, b: string) => {
  const pairs = run(a, b);
  return [pairs.map((p) => (p.a === null ? '-' : a[p.a])).join(''), pairs.map((p) => (p.b === null ? '-' : b[p.b])).join('')];
};

describe('align (Needleman–Wunsch)', () => {
  it('pairs identical sequences index by index', () => {
    expect(run('ABCD', 'ABCD')).toEqual([0, 1, 2, 3].map((i) => ({ a: i, b: i })));
  });

  it('aligns an extra token in B as an insertion (a gap in A)', () => {
    expect(rows('ABCD', 'ABXCD')).toEqual(['AB-CD', 'ABXCD']);
    expect(run('ABCD', 'ABXCD')[2]).toEqual({ a: null, b: 2 });
  });

  it('aligns a token missing from B as a deletion (a gap in B)', () => {
    expect(rows('ABXCD', 'ABCD')).toEqual(['ABXCD', 'AB-CD']);
    expect(run('ABXCD', 'ABCD')[2]).toEqual({ a: 2, b: null });
  });

  it('aligns a changed token as a substitution, not as a gap on each side', () => {
    expect(rows('ABCD', 'ABXD')).toEqual(['ABCD', 'ABXD']);
  });

  it('aligns against an empty sequence with gaps only, and two empties to nothing', () => {
    expect(run('', '')).toEqual([]);
    expect(run('AB', '')).toEqual([
      { a: 0, b: null },
      { a: 1, b: null },
    ]);
    expect(run('', 'AB')).toEqual([
      { a: null, b: 0 },
      { a: null, b: 1 },
    ]);
  });

  it('never pairs tokens whose pair scores below two gaps', () => {
    const kinds: Scoring<string> = { pair: (x, y) => (x === y ? 2 : -3), gap: -1 };
    const pairs = align(['a', 'b'], ['c', 'd'], kinds);
    expect(pairs.every((p) => p.a === null || p.b === null)).toBe(true);
    expect(pairs).toHaveLength(4);
  });

  it('finds an alignment as good as any other: brute force over short sequences agrees', () => {
    // Every alignment of two short sequences, enumerated, has a score no higher than align's.
    const best = (a: string, b: string): number => {
      if (a === '') return b.length * LETTERS.gap;
      if (b === '') return a.length * LETTERS.gap;
      return Math.max(
        LETTERS.pair(a[0]!, b[0]!) + best(a.slice(1), b.slice(1)),
        LETTERS.gap + best(a.slice(1), b),
        LETTERS.gap + best(a, b.slice(1)),
      );
    };
    for (const [a, b] of [
      ['ABCAB', 'BACBA'],
      ['AAAB', 'AB'],
      ['XYZ', 'ZYX'],
      ['ABAB', 'BABA'],
    ] as const) {
      const pairs = run(a, b);
      expect(alignmentScore(pairs, [...a], [...b], LETTERS)).toBe(best(a, b));
      // Every index of each side appears once, in order.
      expect(pairs.flatMap((p) => (p.a === null ? [] : [p.a]))).toEqual([...a].map((_, i) => i));
      expect(pairs.flatMap((p) => (p.b === null ? [] : [p.b]))).toEqual([...b].map((_, i) => i));
    }
  });
});
