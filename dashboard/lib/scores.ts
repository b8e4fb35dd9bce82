/**
 * Pure helpers of the scores views: how a score's value reads, the score filter of the trace and
 * session lists (URL params → collector params), the feedback form's fields → a ScoreInput, and
 * the overview's per-name means laid out as chart points. Unit-tested apart from React.
 */
import type { ScoreInput, ScoreSeries, ScoreSummary } from '@sightline/contract';
import { fillBuckets } from './buckets';

/** A score's value as read: at most 3 decimals, without trailing zeros ("0.9", "4", "0.333"). */
export function formatScoreNumber(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return String(Number(n.toFixed(3)));
}

/** "0.9", "correct", or "1 · correct" when a score has both. */
export function formatScoreValue(s: { value: number | null; label: string }): string {
  const parts = [s.value === null ? '' : formatScoreNumber(s.value), s.label].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(' · ') : '—';
}

export const SOURCE_LABEL = { user_feedback: 'user feedback', human_review: 'human review', evaluator: 'evaluator' } as const;

// ---------- the list filter ----------

/** The URL params of the score filter, the same names the collector's list queries take. */
export const SCORE_FILTER_KEYS = ['scoreName', 'scoreMin', 'scoreMax', 'scoreLabel'] as const;

export interface ScoreFilter {
  scoreName?: string;
  scoreMin?: number;
  scoreMax?: number;
  scoreLabel?: string;
}

/**
 * The score filter a URL asks for. Bounds and label mean nothing without a name (the collector
 * refuses them), so without `scoreName` the filter is empty; bounds that are not numbers are dropped.
 */
export function readScoreFilter(params: Record<string, string | undefined>): ScoreFilter {
  const name = params.scoreName?.trim();
  if (!name) return {};
  const num = (v: string | undefined) => {
    if (v === undefined || v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  const out: ScoreFilter = { scoreName: name };
  const min = num(params.scoreMin);
  const max = num(params.scoreMax);
  const label = params.scoreLabel?.trim();
  if (min !== undefined) out.scoreMin = min;
  if (max !== undefined) out.scoreMax = max;
  if (label) out.scoreLabel = label;
  return out;
}

/** The filter as a chip's text: "helpfulness ≤ 0.5", "helpfulness 0.2–0.8", "resolved = no", "helpfulness". */
export function describeScoreFilter(f: ScoreFilter): string {
  if (!f.scoreName) return '';
  const parts: string[] = [];
  if (f.scoreMin !== undefined && f.scoreMax !== undefined) parts.push(`${formatScoreNumber(f.scoreMin)}–${formatScoreNumber(f.scoreMax)}`);
  else if (f.scoreMin !== undefined) parts.push(`≥ ${formatScoreNumber(f.scoreMin)}`);
  else if (f.scoreMax !== undefined) parts.push(`≤ ${formatScoreNumber(f.scoreMax)}`);
  if (f.scoreLabel) parts.push(`= ${f.scoreLabel}`);
  return [f.scoreName, ...parts].join(' ');
}

// ---------- the feedback form ----------

/** A form field the user got wrong, named so the form can mark it. */
export class ScoreFormError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ScoreFormError';
  }
}

/** The dashboard's review form (name, value or label, comment) → a human_review score of a trace or span. */
export function scoreFromFields(fields: Record<string, string>, target: { traceId: string; spanId?: string }): ScoreInput {
  const name = (fields.name ?? '').trim();
  if (!name) throw new ScoreFormError('name', 'Give the score a name, e.g. helpfulness.');
  const rawValue = (fields.value ?? '').trim();
  const label = (fields.label ?? '').trim();
  let value: number | undefined;
  if (rawValue !== '') {
    value = Number(rawValue);
    if (!Number.isFinite(value)) throw new ScoreFormError('value', 'The value must be a number, e.g. 0.8 or 4.');
  }
  if (value === undefined && !label) throw new ScoreFormError('value', 'Give a value, a label, or both.');
  const comment = (fields.comment ?? '').trim();
  return {
    traceId: target.traceId,
    ...(target.spanId ? { spanId: target.spanId } : {}),
    name,
    ...(value !== undefined ? { value } : {}),
    ...(label ? { label } : {}),
    source: 'human_review',
    ...(comment ? { comment } : {}),
  };
}

/** The collector's field of a refused score (`scores.0.value`, `value`) → the form's field, if it has one. */
export function scoreFormFieldOf(field: string | undefined): string | undefined {
  const last = field?.split('.').pop();
  return last && ['name', 'value', 'label', 'comment'].includes(last) ? last : undefined;
}

// ---------- the overview chart ----------

/** Series with numbers, charted; the label-only ones are listed with their labels instead. */
export function numericSeries(summary: ScoreSummary): ScoreSeries[] {
  return summary.series.filter((s) => s.count > 0);
}

/** Chart key of the i-th numeric series (names are free text: never a key). */
export const scoreKey = (i: number) => `s${i}`;

export interface ScorePoint {
  time: number;
  [key: string]: number | null;
}

/**
 * One chart point per bucket of the range, each numeric series' mean under its key; a bucket
 * without scores of a name has null there (no scores is not a mean of zero).
 */
export function scoreChartPoints(series: readonly ScoreSeries[], from: number, to: number, bucketSeconds: number): ScorePoint[] {
  const byTime = new Map<number, ScorePoint>();
  series.forEach((s, i) => {
    for (const p of s.points) {
      const point = byTime.get(p.t) ?? { time: p.t };
      point[scoreKey(i)] = p.mean;
      byTime.set(p.t, point);
    }
  });
  const empty = (time: number): ScorePoint => ({ time });
  const filled = fillBuckets([...byTime.values()], from, to, bucketSeconds, empty);
  return filled.map((p) => {
    const out: ScorePoint = { time: p.time };
    series.forEach((_, i) => (out[scoreKey(i)] = p[scoreKey(i)] ?? null));
    return out;
  });
}
