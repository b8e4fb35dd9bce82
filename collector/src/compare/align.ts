/**
 * Global sequence alignment (Needleman–Wunsch) of two token sequences with a caller's scoring.
 *
 * Hand-written on purpose: the npm packages that align sequences (seqalign, biomsa and the like)
 * align character strings or biological sequences with substitution matrices and return gapped
 * strings; none that is maintained aligns arbitrary objects with a custom pair score. This is
 * ~60 lines of a textbook algorithm, pure and unit-tested (align.test.ts).
 */

/** How similar two tokens are (higher is better) and what a gap costs (negative). */
export interface Scoring<T> {
  pair(a: T, b: T): number;
  gap: number;
}

/** One column of the alignment: both indexes (aligned pair), or one of them null (a gap on the other side). */
export interface AlignedPair {
  a: number | null;
  b: number | null;
}

// Traceback moves, one byte per cell.
const DIAG = 0;
const UP = 1; // a[i-1] against a gap: only in A
const LEFT = 2; // b[j-1] against a gap: only in B

/**
 * The optimal global alignment of `a` and `b`. Ties prefer the diagonal, then (read from the end) a
 * gap in A, so that where A's step and B's step both stand alone A's comes first; deterministic. Time and memory O(|a|·|b|): the caller bounds the lengths.
 */
export function align<T>(a: readonly T[], b: readonly T[], scoring: Scoring<T>): AlignedPair[] {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  const move = new Uint8Array((n + 1) * width);
  let prev = new Float64Array(width);
  let row = new Float64Array(width);
  for (let j = 1; j <= m; j++) {
    prev[j] = j * scoring.gap;
    move[j] = LEFT;
  }
  for (let i = 1; i <= n; i++) {
    row[0] = i * scoring.gap;
    move[i * width] = UP;
    const ai = a[i - 1]!;
    for (let j = 1; j <= m; j++) {
      const diag = prev[j - 1]! + scoring.pair(ai, b[j - 1]!);
      const up = prev[j]! + scoring.gap;
      const left = row[j - 1]! + scoring.gap;
      let best = diag;
      let how = DIAG;
      if (left > best) [best, how] = [left, LEFT];
      if (up > best) [best, how] = [up, UP];
      row[j] = best;
      move[i * width + j] = how;
    }
    [prev, row] = [row, prev];
  }
  const out: AlignedPair[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const how = move[i * width + j];
    if (i > 0 && j > 0 && how === DIAG) out.push({ a: --i, b: --j });
    else if (i > 0 && (j === 0 || how === UP)) out.push({ a: --i, b: null });
    else out.push({ a: null, b: --j });
  }
  return out.reverse();
}

/** The total score of an alignment under `scoring` (for tests and for judging how alike two sides are). */
export function alignmentScore<T>(pairs: readonly AlignedPair[], a: readonly T[], b: readonly T[], scoring: Scoring<T>): number {
  return pairs.reduce((s, p) => s + (p.a !== null && p.b !== null ? scoring.pair(a[p.a]!, b[p.b]!) : scoring.gap), 0);
}
