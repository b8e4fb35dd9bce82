/**
 * Time buckets for the overview charts: a "nice" width for the range, the gaps the collector
 * leaves for empty buckets filled in (so a quiet minute reads as zero traffic, not a line
 * drawn across it), and axis labels that fit the width.
 */
import { formatDay, formatTime } from './time';

/** Bucket widths in seconds the charts may use; the collector accepts 60 s .. 1 day. */
export const BUCKET_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400] as const;

/** The smallest nice width giving at most `maxBuckets` buckets over the range. */
export function chooseBucketSeconds(from: number, to: number, maxBuckets = 60): number {
  const spanSeconds = Math.max(1, (to - from) / 1000);
  for (const step of BUCKET_STEPS) {
    if (spanSeconds / step <= maxBuckets) return step;
  }
  return 86_400;
}

/**
 * Every bucket start from the bucket holding `from` up to `to`, with the given points placed
 * and the rest made by `empty`. Points that do not sit on the grid are kept as-is, and the grid
 * is then not filled (the collector chose other boundaries; inventing buckets would mislead).
 */
export function fillBuckets<P extends { time: number }>(
  points: readonly P[],
  from: number,
  to: number,
  bucketSeconds: number,
  empty: (time: number) => P,
): P[] {
  const width = bucketSeconds * 1000;
  if (width <= 0 || to <= from) return [...points];
  const onGrid = points.every((p) => p.time % width === 0);
  if (!onGrid) return [...points].sort((a, b) => a.time - b.time);
  const byTime = new Map(points.map((p) => [p.time, p]));
  const out: P[] = [];
  const first = Math.floor(from / width) * width;
  for (let t = first; t < to; t += width) out.push(byTime.get(t) ?? empty(t));
  // Keep anything the collector returned outside [from, to) rather than dropping data silently.
  for (const p of points) if (p.time < first || p.time >= to) out.push(p);
  return out.sort((a, b) => a.time - b.time);
}

/** Axis label for a bucket start (UTC): clock time within a day, date and time beyond. */
export function formatBucketLabel(time: number, bucketSeconds: number, rangeMs: number): string {
  if (bucketSeconds >= 86_400) return formatDay(time);
  if (rangeMs > 24 * 3600_000) return formatTime(time, { withDate: true, seconds: false });
  return formatTime(time, { seconds: false });
}

/** Human name of a bucket width, for chart captions: "1 min", "5 min", "1 h", "1 day". */
export function formatBucketWidth(bucketSeconds: number): string {
  if (bucketSeconds % 86_400 === 0) return bucketSeconds === 86_400 ? '1 day' : `${bucketSeconds / 86_400} days`;
  if (bucketSeconds % 3600 === 0) return `${bucketSeconds / 3600} h`;
  if (bucketSeconds % 60 === 0) return `${bucketSeconds / 60} min`;
  return `${bucketSeconds} s`;
}
