import { RANGE_PRESETS, type TimeRange } from '@/lib/time-range';
import { Time } from '@/components/ui/time';

/** "Last 1 hour", or the custom window's bounds. */
export function RangeLabel({ range }: { range: TimeRange }) {
  if (range.key !== 'custom') return <>Last {RANGE_PRESETS.find((p) => p.key === range.key)?.label}</>;
  return (
    <>
      <Time ms={range.from} seconds={false} /> – <Time ms={range.to} seconds={false} /> UTC
    </>
  );
}
