import { RANGE_PRESETS, type TimeRange } from '@/lib/time-range';
import { LocalTime } from '@/components/ui/local-time';

/** "Last 1 hour", or the custom window's bounds. */
export function RangeLabel({ range }: { range: TimeRange }) {
  if (range.key !== 'custom') return <>Last {RANGE_PRESETS.find((p) => p.key === range.key)?.label}</>;
  return (
    <>
      <LocalTime ms={range.from} seconds={false} /> – <LocalTime ms={range.to} seconds={false} />
    </>
  );
}
