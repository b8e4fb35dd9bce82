import { describe, expect, it } from 'vitest';
import { chooseBucketSeconds, fillBuckets, formatBucketLabel, formatBucketWidth } from './buckets';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('chooseBucketSeconds', () => {
  it.each([
    [15 * MIN, 60],
    [HOUR, 60],
    [2 * HOUR, 120],
    [24 * HOUR, 1800],
    [7 * 24 * HOUR, 10_800],
    [365 * 24 * HOUR, 86_400],
    [0, 60],
  ])('range %s ms → %s s buckets', (range, bucket) => expect(chooseBucketSeconds(0, range)).toBe(bucket));

  it('respects a custom bucket budget', () => {
    expect(chooseBucketSeconds(0, HOUR, 12)).toBe(300);
  });
});

describe('fillBuckets', () => {
  const empty = (time: number) => ({ time, count: 0 });
  it('fills missing buckets on the grid with empty points', () => {
    const filled = fillBuckets([{ time: 2 * MIN, count: 5 }], 0, 4 * MIN, 60, empty);
    expect(filled).toEqual([
      { time: 0, count: 0 },
      { time: MIN, count: 0 },
      { time: 2 * MIN, count: 5 },
      { time: 3 * MIN, count: 0 },
    ]);
  });
  it('starts at the bucket holding `from`', () => {
    expect(fillBuckets([], 90_000, 180_000, 60, empty).map((p) => p.time)).toEqual([MIN, 2 * MIN]);
  });
  it('leaves points alone when the collector used another grid', () => {
    const odd = [
      { time: 30_000, count: 1 },
      { time: 5_000, count: 2 },
    ];
    expect(fillBuckets(odd, 0, 4 * MIN, 60, empty)).toEqual([
      { time: 5_000, count: 2 },
      { time: 30_000, count: 1 },
    ]);
  });
});

describe('formatBucketLabel and formatBucketWidth', () => {
  const t = Date.UTC(2026, 2, 3, 14, 5);
  it('shows the clock within a day and the date beyond', () => {
    expect(formatBucketLabel(t, 60, HOUR)).toBe('14:05');
    expect(formatBucketLabel(t, 21_600, 7 * 24 * HOUR)).toBe('Mar 3, 14:05');
    expect(formatBucketLabel(t, 86_400, 60 * 24 * HOUR)).toBe('Mar 3');
  });
  it('names widths', () => {
    expect(formatBucketWidth(60)).toBe('1 min');
    expect(formatBucketWidth(21_600)).toBe('6 h');
    expect(formatBucketWidth(86_400)).toBe('1 day');
  });
});
