import { describe, expect, it } from 'vitest';
import type { ScoreSeries } from '@sightline/contract';
import {
  describeScoreFilter,
  formatScoreNumber,
  formatScoreValue,
  readScoreFilter,
  scoreChartPoints,
  scoreFormFieldOf,
  scoreFromFields,
  ScoreFormError,
} from './scores';

const TRACE = 'a'.repeat(32);

describe('formatScoreValue', () => {
  it('reads a number with at most 3 decimals, a label, or both', () => {
    expect(formatScoreNumber(0.9)).toBe('0.9');
    expect(formatScoreNumber(1 / 3)).toBe('0.333');
    expect(formatScoreNumber(4)).toBe('4');
    expect(formatScoreNumber(null)).toBe('—');
    expect(formatScoreValue({ value: 0.25, label: '' })).toBe('0.25');
    expect(formatScoreValue({ value: null, label: 'correct' })).toBe('correct');
    expect(formatScoreValue({ value: 1, label: 'correct' })).toBe('1 · correct');
  });
});

describe('readScoreFilter', () => {
  it('keeps a name with numeric bounds and a label', () => {
    expect(readScoreFilter({ scoreName: ' helpfulness ', scoreMin: '0.2', scoreMax: '0.8', scoreLabel: 'ok' })).toEqual({
      scoreName: 'helpfulness',
      scoreMin: 0.2,
      scoreMax: 0.8,
      scoreLabel: 'ok',
    });
  });
  it('drops bounds that are not numbers, and everything without a name', () => {
    expect(readScoreFilter({ scoreName: 'h', scoreMax: 'abc', scoreMin: '' })).toEqual({ scoreName: 'h' });
    expect(readScoreFilter({ scoreMax: '0.5', scoreLabel: 'no' })).toEqual({});
  });
  it('describes the filter for its chip', () => {
    expect(describeScoreFilter({ scoreName: 'h', scoreMax: 0.5 })).toBe('h ≤ 0.5');
    expect(describeScoreFilter({ scoreName: 'h', scoreMin: 0.2 })).toBe('h ≥ 0.2');
    expect(describeScoreFilter({ scoreName: 'h', scoreMin: 0.2, scoreMax: 0.8 })).toBe('h 0.2–0.8');
    expect(describeScoreFilter({ scoreName: 'resolved', scoreLabel: 'no' })).toBe('resolved = no');
    expect(describeScoreFilter({})).toBe('');
  });
});

describe('scoreFromFields', () => {
  it('makes a human_review score of the trace (and span) with the filled fields only', () => {
    expect(scoreFromFields({ name: ' accuracy ', value: '0.5', label: '', comment: ' close ' }, { traceId: TRACE })).toEqual({
      traceId: TRACE,
      name: 'accuracy',
      value: 0.5,
      source: 'human_review',
      comment: 'close',
    });
    expect(scoreFromFields({ name: 'verdict', label: 'wrong' }, { traceId: TRACE, spanId: 'b'.repeat(16) })).toEqual({
      traceId: TRACE,
      spanId: 'b'.repeat(16),
      name: 'verdict',
      label: 'wrong',
      source: 'human_review',
    });
  });
  it.each([
    [{ name: '', value: '1' }, 'name'],
    [{ name: 'x', value: 'high' }, 'value'],
    [{ name: 'x', value: '', label: ' ' }, 'value'],
  ])('refuses %j naming the field %s', (fields, field) => {
    let err: unknown;
    try {
      scoreFromFields(fields, { traceId: TRACE });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScoreFormError);
    expect((err as ScoreFormError).field).toBe(field);
  });
  it("maps the collector's field path to the form's field", () => {
    expect(scoreFormFieldOf('scores.0.value')).toBe('value');
    expect(scoreFormFieldOf('name')).toBe('name');
    expect(scoreFormFieldOf('traceId')).toBeUndefined();
    expect(scoreFormFieldOf(undefined)).toBeUndefined();
  });
});

describe('scoreChartPoints', () => {
  const series = (name: string, points: ScoreSeries['points']): ScoreSeries => ({
    name,
    count: points.reduce((n, p) => n + p.count, 0),
    mean: null,
    labelled: 0,
    points,
    labels: [],
  });
  it('puts each name under its own key per bucket, null where a name has no scores, every bucket of the range present', () => {
    const a = series('a', [
      { t: 0, mean: 0.5, count: 2 },
      { t: 120_000, mean: 1, count: 1 },
    ]);
    const b = series('b', [{ t: 60_000, mean: 3, count: 1 }]);
    expect(scoreChartPoints([a, b], 0, 240_000, 60)).toEqual([
      { time: 0, s0: 0.5, s1: null },
      { time: 60_000, s0: null, s1: 3 },
      { time: 120_000, s0: 1, s1: null },
      { time: 180_000, s0: null, s1: null },
    ]);
  });
});
