/**
 * Every time the dashboard shows, in one stated zone: UTC, the zone the collector stores and
 * computes in (drift's "UTC hours", alert baselines). Server and browser render the same text, so
 * nothing depends on where the page was rendered. Pages and components format times only here.
 */

export const TIME_ZONE = 'UTC';
/** Shown beside times, column headers and axes. */
export const TIME_ZONE_LABEL = 'UTC';

const FORMAT = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `HH:MM:SS`, `HH:MM` without seconds, `Mon D, HH:MM:SS` with the date; UTC. */
export function formatTime(ms: number, opts: { withDate?: boolean; seconds?: boolean } = {}): string {
  const parts = FORMAT.formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const time = opts.seconds === false ? `${get('hour')}:${get('minute')}` : `${get('hour')}:${get('minute')}:${get('second')}`;
  return opts.withDate ? `${get('month')} ${get('day')}, ${time}` : time;
}

/** `Mon D` (UTC). */
export function formatDay(ms: number): string {
  return formatTime(ms, { withDate: true }).split(',')[0]!;
}

/** Whether two instants fall on the same UTC day. */
export function sameDay(a: number, b: number): boolean {
  const DAY = 86_400_000;
  return Math.floor(a / DAY) === Math.floor(b / DAY);
}

/** The machine-readable form for `<time dateTime>`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** A `datetime-local` input's value (`YYYY-MM-DDTHH:MM`), read as UTC. */
export function toTimeInput(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** The instant a `datetime-local` value names in UTC, or NaN. */
export function fromTimeInput(value: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? Date.parse(`${value}:00Z`) : Number.NaN;
}
