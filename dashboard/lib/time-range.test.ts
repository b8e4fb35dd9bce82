import { describe, expect, it } from 'vitest';
import { rangeToParams, resolveRange } from './time-range';

const NOW = 1_800_000_000_000;

describe('resolveRange', () => {
  it('defaults to the last hour', () => {
    expect(resolveRange({}, NOW)).toEqual({ key: '1h', from: NOW - 3600_000, to: NOW });
  });
  it('resolves presets relative to now', () => {
    expect(resolveRange({ range: '15m' }, NOW).from).toBe(NOW - 15 * 60_000);
    expect(resolveRange({ range: 'bogus' }, NOW).key).toBe('1h');
  });
  it('takes custom windows as epoch ms or ISO', () => {
    expect(resolveRange({ from: '1000', to: '5000' }, NOW)).toEqual({ key: 'custom', from: 1000, to: 5000 });
    expect(resolveRange({ from: '2026-01-01T00:00:00Z' }, NOW)).toEqual({
      key: 'custom',
      from: Date.parse('2026-01-01T00:00:00Z'),
      to: NOW,
    });
    expect(resolveRange({ from: '5000', to: '1000' }, NOW).to).toBe(NOW);
  });
  it('round-trips through URL params', () => {
    expect(rangeToParams(resolveRange({ range: '24h' }, NOW))).toEqual({ range: '24h' });
    expect(rangeToParams(resolveRange({}, NOW))).toEqual({});
    expect(rangeToParams({ key: 'custom', from: 1, to: 2 })).toEqual({ from: '1', to: '2' });
  });
});
