/**
 * Two sides' steps → aligned rows that say what differs. Pure: the route reads the steps, this
 * aligns them (align.ts) and judges each aligned pair field by field.
 */
import type { AlignedRow, CompareStep, CompareSummary, CompareTotals, DiffField, FieldDiff } from '@sightline/contract';
import { align, type Scoring } from './align.js';

/**
 * Scores of the alignment. A step of the same kind and name is a match; the same kind with another
 * name (another tool, model or agent) is aligned as a change of choice rather than split in two
 * gaps (0 > 2 × GAP); steps of different kinds are never aligned (KIND_MISMATCH < 2 × GAP).
 */
export const STEP_SCORING: Scoring<Pick<CompareStep, 'kind' | 'name'>> = {
  pair: (x, y) => (x.kind !== y.kind ? -3 : x.name === y.name ? 2 : 0),
  gap: -1,
};

/**
 * Latency differs when the two are apart by at least LATENCY_MIN_MS and LATENCY_RATIO of the
 * larger: two runs of the same step never take the same microseconds, and a reader wants the
 * step that got slower, not jitter.
 */
export const LATENCY_MIN_MS = 50;
export const LATENCY_RATIO = 0.25;
const COST_EPSILON = 1e-9;

const tokens = (s: CompareStep) => s.inputTokens + s.outputTokens;
const status = (s: CompareStep) => (s.status === 'error' ? `error${s.error ? `: ${s.error}` : ''}` : 'ok');

export function latencyChanged(a: number, b: number): boolean {
  const d = Math.abs(a - b);
  return d >= LATENCY_MIN_MS && d >= LATENCY_RATIO * Math.max(a, b);
}

/** Each field of a pair of steps (one may be missing: a step only one side took). */
export function diffFields(a: CompareStep | undefined, b: CompareStep | undefined): Record<DiffField, FieldDiff> {
  const field = <V extends string | number | null>(pick: (s: CompareStep) => V, differs: (x: V, y: V) => boolean): FieldDiff => {
    const va = a ? pick(a) : null;
    const vb = b ? pick(b) : null;
    return { a: va, b: vb, changed: !a || !b ? true : differs(va as V, vb as V) };
  };
  const ne = <V>(x: V, y: V) => x !== y;
  return {
    choice: field((s) => s.name, ne),
    arguments: field((s) => s.input, ne),
    output: field((s) => s.output, ne),
    latencyMs: field((s) => s.durationMs, latencyChanged),
    tokens: field(tokens, ne),
    costUsd: field(
      (s) => s.costUsd,
      (x, y) => (x === null || y === null ? x !== y : Math.abs(x - y) > COST_EPSILON),
    ),
    status: field(status, ne),
  };
}

/** Aligns the two sides' steps and judges every row. */
export function compareSteps(a: readonly CompareStep[], b: readonly CompareStep[]): { rows: AlignedRow[]; summary: CompareSummary } {
  const rows = align(a, b, STEP_SCORING).map((p): AlignedRow => {
    const sa = p.a === null ? undefined : a[p.a];
    const sb = p.b === null ? undefined : b[p.b];
    const fields = diffFields(sa, sb);
    const op = !sb ? 'onlyA' : !sa ? 'onlyB' : Object.values(fields).some((f) => f.changed) ? 'changed' : 'same';
    return { op, aIndex: p.a, bIndex: p.b, fields };
  });
  const count = (op: AlignedRow['op']) => rows.filter((r) => r.op === op).length;
  return { rows, summary: { onlyA: count('onlyA'), onlyB: count('onlyB'), changed: count('changed'), same: count('same') } };
}

export function totals(steps: readonly CompareStep[]): CompareTotals {
  let start: bigint | undefined;
  let end: bigint | undefined;
  for (const s of steps) {
    const st = BigInt(s.startTime);
    const en = st + BigInt(Math.round(s.durationMs * 1e6));
    if (start === undefined || st < start) start = st;
    if (end === undefined || en > end) end = en;
  }
  return {
    steps: steps.length,
    latencyMs: steps.reduce((n, s) => n + s.durationMs, 0),
    wallMs: start === undefined || end === undefined ? 0 : Number(end - start) / 1e6,
    // Model calls only: an agent span may carry its calls' usage rolled up (some conventions do).
    tokens: steps.reduce((n, s) => n + (s.kind === 'llm' ? tokens(s) : 0), 0),
    costUsd: steps.reduce((n, s) => n + (s.costUsd ?? 0), 0),
    errors: steps.filter((s) => s.status === 'error').length,
  };
}
