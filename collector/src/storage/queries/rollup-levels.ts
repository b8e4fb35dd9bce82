/**
 * Which rollup level a range reads (issue 19): the whole UTC hours inside it from span_rollups_1h
 * (migration 18) and the minutes at its edges from span_rollups_1m, as one UNION ALL that the
 * aggregation reads like the minute table. Sums are the same numbers either way; the quantiles
 * merge the same t-digest centroids grouped differently (within the digest's own error).
 *
 * Only ranges (the metrics API, the filter menus) are planned. The alert evaluator's windows
 * (`window`, `sameHourBefore`) always read minutes: they are short, and their edges are minutes.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * Hours a range must hold whole before the hour table is read. Below it the second branch of the
 * union costs more than the minutes it saves: at 10M spans over 7 days (about 1,000 a minute),
 * hour points over 1–3 h took 40–49 ms planned against 32–41 ms from minutes, 6 h took 56 ms
 * either way, 12 h 67 against 95 ms (`/api/metrics`, medians of 7; see BENCHMARKS.md, issue 19).
 */
export const MIN_WHOLE_HOURS = 6;

/** The minutes [from, to) of a range as it reads them, in ms: the minute rollups' `range` semantics. */
export interface LevelPlan {
  /** First minute read (the start of `from`'s minute). */
  minuteFrom: number;
  /** End of the last minute read: minutes that start before the range's `to` are read whole. */
  minuteTo: number;
  /** Whole hours [hourFrom, hourTo) read from the hour table; equal when none are. */
  hourFrom: number;
  hourTo: number;
}

/** How rollups are read: 'auto' plans hours where they pay; 'minutes' reads only minutes (benches, tests). */
export type RollupLevels = 'auto' | 'minutes';

let levels: RollupLevels = 'auto';

/** Sets how every later rollup range query reads (the scale bench compares both plans on one data set). */
export function setRollupLevels(mode: RollupLevels): void {
  levels = mode;
}

/**
 * The plan of a range [from, to) (ms) with points of `bucketSeconds` (none for totals): hours when
 * at least MIN_WHOLE_HOURS fit whole and every hour falls inside one bucket (a whole number of
 * hours: buckets start at multiples of their width since the epoch, so they start on an hour).
 */
export function planLevels(from: number, to: number, bucketSeconds?: number): LevelPlan {
  const minuteFrom = Math.floor(from / MINUTE_MS) * MINUTE_MS;
  const minuteTo = Math.max(minuteFrom, Math.ceil(to / MINUTE_MS) * MINUTE_MS);
  const hourFrom = Math.ceil(minuteFrom / HOUR_MS) * HOUR_MS;
  const hourTo = Math.floor(minuteTo / HOUR_MS) * HOUR_MS;
  const hoursFit = hourTo - hourFrom >= MIN_WHOLE_HOURS * HOUR_MS;
  const bucketsFit = bucketSeconds === undefined || (bucketSeconds * 1000) % HOUR_MS === 0;
  if (levels === 'auto' && hoursFit && bucketsFit) return { minuteFrom, minuteTo, hourFrom, hourTo };
  return { minuteFrom, minuteTo, hourFrom: minuteTo, hourTo: minuteTo };
}

/** The columns both levels share, in one order (UNION ALL matches by position); the hour is the `minute` of its rows. */
const COLUMNS = `r.project_id, r.service_name, r.environment, r.operation, r.agent_name, r.tool_name, r.model, r.is_root,
  r.span_count, r.error_count, r.input_tokens, r.output_tokens, r.duration_quantiles, r.sessions,
  r.input_cost, r.output_cost, r.total_cost, r.unpriced_calls`;

const AT = (p: string) => `fromUnixTimestamp64Milli({${p}:Int64})`;

/**
 * The rows of a planned range as a FROM source aliased `r` (columns of span_rollups_1m), filtered by
 * `where` (conditions on `r`'s dimensions), with its time parameters. Without hours it is the minute
 * table itself.
 */
export function levelSource(plan: LevelPlan, where: string): { from: string; params: Record<string, number> } {
  const { minuteFrom, minuteTo, hourFrom, hourTo } = plan;
  if (hourFrom >= hourTo) {
    return {
      from: `span_rollups_1m AS r WHERE ${where} AND r.minute >= ${AT('minuteFrom')} AND r.minute < ${AT('minuteTo')}`,
      params: { minuteFrom, minuteTo },
    };
  }
  const edges = `(r.minute >= ${AT('minuteFrom')} AND r.minute < ${AT('hourFrom')} OR r.minute >= ${AT('hourTo')} AND r.minute < ${AT('minuteTo')})`;
  return {
    from: `(
      SELECT r.minute AS minute, ${COLUMNS} FROM span_rollups_1m AS r WHERE ${where} AND ${edges}
      UNION ALL
      SELECT r.hour AS minute, ${COLUMNS} FROM span_rollups_1h AS r WHERE ${where} AND r.hour >= ${AT('hourFrom')} AND r.hour < ${AT('hourTo')}
    ) AS r`,
    params: { minuteFrom, minuteTo, hourFrom, hourTo },
  };
}
