/** The shared parameter schemas: times within what storage holds, text that is bounded Unicode. */
import { describe, expect, it } from 'vitest';
import { TIME_MAX_MS, TIME_MIN_MS, TimeParam, text } from './common.js';

describe('TimeParam', () => {
  it('parses epoch milliseconds and ISO date-times within the storable range', () => {
    expect(TimeParam.parse('0')).toBe(TIME_MIN_MS);
    expect(TimeParam.parse(String(TIME_MAX_MS))).toBe(TIME_MAX_MS);
    expect(TimeParam.parse('2106-02-07T06:28:15Z')).toBe(TIME_MAX_MS);
    expect(TimeParam.parse('2026-12-02T01:00:00+01:00')).toBe(Date.UTC(2026, 11, 2, 0));
  });

  it('refuses times the storage cannot hold, and anything that is not a time', () => {
    for (const bad of [
      '9999999999999999',
      String(TIME_MAX_MS + 1),
      '2106-02-07T06:28:15.001Z',
      '0001-01-01T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '-1',
      '1e12',
      '',
      'yesterday',
    ]) {
      expect(TimeParam.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('text', () => {
  it('refuses a lone surrogate but keeps surrogate pairs', () => {
    const t = text(20);
    expect(t.safeParse('\ud800').success).toBe(false);
    expect(t.safeParse('a\udfffb').success).toBe(false);
    expect(t.parse('fire 🔥')).toBe('fire 🔥');
  });

  it('bounds the length and, when asked, trims and requires content', () => {
    expect(text(3).safeParse('abcd').success).toBe(false);
    expect(text(10, { trim: true, min: 1 }).safeParse('   ').success).toBe(false);
    expect(text(10, { trim: true, min: 1 }).parse('  x ')).toBe('x');
  });
});
