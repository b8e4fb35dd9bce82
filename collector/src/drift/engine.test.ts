import { describe, expect, it } from 'vitest';
import { hoursOfDay } from './engine.js';

describe('seasonally matched baseline', () => {
  it('covers the UTC hours of a window shorter than a day, and none for a day or more', () => {
    const at = (h: number, m = 0) => Date.UTC(2026, 0, 5, h, m);
    expect(hoursOfDay(at(8), at(10))).toEqual([8, 9]);
    expect(hoursOfDay(at(23), at(23) + 2 * 3_600_000)).toEqual([0, 23]);
    expect(hoursOfDay(at(8, 30), at(10, 30))).toEqual([8, 9, 10]);
    expect(hoursOfDay(at(0), at(0) + 24 * 3_600_000)).toBeUndefined();
  });
});
