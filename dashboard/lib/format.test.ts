import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatCount,
  formatDuration,
  formatPercent,
  formatSpend,
  formatUsd,
  nanosDiffMs,
  nanosToMs,
  usdAxisFormatter,
} from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [0.0004, '1 µs'],
    [0.42, '420 µs'],
    [4.256, '4.26 ms'],
    [12.34, '12.3 ms'],
    [200, '200 ms'],
    [999.6, '1000 ms'],
    [2000, '2.00 s'],
    [12_345, '12.3 s'],
    [125_000, '2m 05s'],
    [3_720_000, '1h 02m'],
    [90_000_000, '1d 1h'],
    [null, '—'],
    [Number.NaN, '—'],
  ])('%s ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('formatPercent', () => {
  it.each([
    [0, '0%'],
    [0.0004, '<0.1%'],
    [0.125, '12.5%'],
    [0.05, '5%'],
    [0.0123, '1.23%'],
    [1, '100%'],
    [null, '—'],
  ])('%s → %s', (r, text) => expect(formatPercent(r)).toBe(text));
});

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [9999, '9,999'],
    [12_345, '12.3k'],
    [1_000_000, '1M'],
    [2_345_678, '2.35M'],
  ])('%s → %s', (n, text) => expect(formatCount(n)).toBe(text));
});

describe('nanosecond timestamps', () => {
  it('converts without losing precision', () => {
    expect(nanosToMs('1700000000123456789')).toBe(1_700_000_000_123);
    expect(nanosDiffMs('1700000000123456789', '1700000000000000000')).toBeCloseTo(123.456789, 6);
  });
});

describe('formatAge', () => {
  it('says how long ago', () => {
    expect(formatAge(0, 30_000)).toBe('30s ago');
    expect(formatAge(0, 3 * 3600_000)).toBe('3h ago');
  });
});

describe('formatUsd and formatSpend', () => {
  it('shows cents with 2 decimals and smaller amounts with 2 significant digits', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.0021)).toBe('$0.0021');
    expect(formatUsd(0.000195)).toBe('$0.00019');
    expect(formatUsd(0.05)).toBe('$0.05');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(25_000)).toBe('$25k');
    expect(formatUsd(null)).toBe('—');
  });
  it('never shows calls without a price as $0', () => {
    expect(formatSpend(0, 3).text).toBe('unpriced');
    expect(formatSpend(0.5, 1).text).toBe('$0.50+');
    expect(formatSpend(0.5, 0).text).toBe('$0.50');
    expect(formatSpend(0, 0).text).toBe('$0');
  });
});

describe('usdAxisFormatter', () => {
  it('labels every tick of an axis in one unit: cents below a dollar, dollars above', () => {
    const cents = usdAxisFormatter(0.016);
    expect([0, 0.004, 0.008, 0.012, 0.016].map(cents)).toEqual(['0¢', '0.4¢', '0.8¢', '1.2¢', '1.6¢']);
    const dollars = usdAxisFormatter(12);
    expect([0, 2.5, 5, 12].map(dollars)).toEqual(['$0', '$2.5', '$5', '$12']);
    expect(usdAxisFormatter(25_000)(20_000)).toBe('$20k');
  });
});
