import { formatTime, isoTime } from '@/lib/time';

/** A timestamp in UTC, the dashboard's one zone (the layout says so): the same text on server and browser. */
export function Time({ ms, withDate = true, seconds = true }: { ms: number; withDate?: boolean; seconds?: boolean }) {
  return <time dateTime={isoTime(ms)}>{formatTime(ms, { withDate, seconds })}</time>;
}
