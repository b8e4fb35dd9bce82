import { describe, expect, it } from 'vitest';
import { formatDay, formatTime, fromTimeInput, isoTime, sameDay, TIME_ZONE_LABEL, toTimeInput } from './time';

// 23:30 UTC: the previous or the next day in most zones, so a local-zone formatter shows another day.
const t = Date.UTC(2026, 2, 3, 23, 30, 9);

describe('times in UTC', () => {
  it('formats the clock and the date in UTC', () => {
    expect(formatTime(t)).toBe('23:30:09');
    expect(formatTime(t, { seconds: false })).toBe('23:30');
    expect(formatTime(t, { withDate: true })).toBe('Mar 3, 23:30:09');
    expect(formatTime(t, { withDate: true, seconds: false })).toBe('Mar 3, 23:30');
    expect(formatDay(t)).toBe('Mar 3');
    expect(TIME_ZONE_LABEL).toBe('UTC');
  });

  it('formats the same text whatever the process time zone', () => {
    const before = process.env.TZ;
    try {
      for (const zone of ['Asia/Kolkata', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env.TZ = zone;
        expect(formatTime(t, { withDate: true })).toBe('Mar 3, 23:30:09');
        expect(sameDay(t, Date.UTC(2026, 2, 3, 0, 5))).toBe(true);
        expect(toTimeInput(t)).toBe('2026-03-03T23:30');
      }
    } finally {
      process.env.TZ = before;
    }
  });

  it('compares UTC days', () => {
    expect(sameDay(t, Date.UTC(2026, 2, 3))).toBe(true);
    expect(sameDay(t, Date.UTC(2026, 2, 4))).toBe(false);
  });

  it('reads and writes datetime inputs as UTC', () => {
    expect(toTimeInput(t)).toBe('2026-03-03T23:30');
    expect(fromTimeInput('2026-03-03T23:30')).toBe(Date.UTC(2026, 2, 3, 23, 30));
    expect(fromTimeInput('2026-03-03')).toBeNaN();
    expect(isoTime(t)).toBe('2026-03-03T23:30:09.000Z');
  });
});
