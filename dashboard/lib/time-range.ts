/**
 * Time ranges as the URL carries them: a preset (`range=1h`, relative to now) or a custom
 * window (`from`/`to`, epoch ms). Presets stay relative so a shared "last hour" link and live
 * refresh keep moving; drill-down links use absolute windows so they keep pointing at the spike.
 */

export const RANGE_PRESETS = [
  { key: '15m', label: '15 min', ms: 15 * 60_000 },
  { key: '1h', label: '1 hour', ms: 60 * 60_000 },
  { key: '24h', label: '24 hours', ms: 24 * 60 * 60_000 },
  { key: '7d', label: '7 days', ms: 7 * 24 * 60 * 60_000 },
] as const;

export type PresetKey = (typeof RANGE_PRESETS)[number]['key'];
export type RangeKey = PresetKey | 'custom';
export const DEFAULT_RANGE: PresetKey = '1h';

export interface TimeRange {
  key: RangeKey;
  /** Epoch milliseconds, inclusive. */
  from: number;
  /** Epoch milliseconds, exclusive. */
  to: number;
}

export function isPresetKey(value: unknown): value is PresetKey {
  return RANGE_PRESETS.some((p) => p.key === value);
}

/** Epoch ms from a URL value: digits are epoch ms, anything else is tried as a date string. */
export function parseTimeParam(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d{1,16}$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

export function resolveRange(
  params: { range?: string | undefined; from?: string | undefined; to?: string | undefined },
  now: number,
): TimeRange {
  const from = parseTimeParam(params.from);
  const to = parseTimeParam(params.to);
  if (from !== undefined && (params.range === undefined || params.range === 'custom')) {
    const end = to !== undefined && to > from ? to : Math.max(now, from + 60_000);
    return { key: 'custom', from, to: end };
  }
  const key = isPresetKey(params.range) ? params.range : DEFAULT_RANGE;
  const preset = RANGE_PRESETS.find((p) => p.key === key)!;
  return { key, from: now - preset.ms, to: now };
}

/** URL params that reproduce a range: presets by name, custom windows by their bounds. */
export function rangeToParams(range: TimeRange): Record<string, string> {
  if (range.key === 'custom') return { from: String(range.from), to: String(range.to) };
  return range.key === DEFAULT_RANGE ? {} : { range: range.key };
}
