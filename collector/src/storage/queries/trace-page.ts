/** The first step of the trace list (traces.ts): which traces are on the page. */
import type { TraceListQuery } from '@sightline/contract';
import { conditions, COST_SORT_KEY, DAY_MS, DAYS_OF_RANGE } from './common.js';
import type { TimeWindow } from './newest-first.js';

/** Sort keys in nanoseconds, so cursors of either sort are exact integers. */
export const SORT_KEY = {
  start: 'toUnixTimestamp64Nano(min(t.start_time))',
  duration: 'toUnixTimestamp64Nano(max(t.end_time)) - toUnixTimestamp64Nano(min(t.start_time))',
  // Nano-dollars, rounded: an integer, like the other keys, so a cursor compares exactly.
  cost: COST_SORT_KEY,
} as const;

/**
 * The first step's SQL: ids and sort keys of the traces the filters keep, in the window `w` if
 * given. A trace whose first span starts in [lo, hi) has a span that starts there: the spans table,
 * sorted by time, gives those candidates, and the summaries of only those are folded, from the
 * summary days from two before lo's on. A candidate with a row on one of those two days started
 * before lo and is left out whatever its older rows; one whose rows start later would need a whole
 * day without a span start to have older ones (a day of margin covers the server-zone days of rows
 * written before migration 7). The last window (down to the range's start) needs no candidates.
 */
export function tracePageSql(
  sort: TraceListQuery['sort'],
  filter: { where: string; having: string },
  opts: { cursor: boolean },
  w: TimeWindow | undefined,
): string {
  const sortKey = SORT_KEY[sort];
  const candidates = w !== undefined && !w.rest;
  const where = conditions([
    [true, filter.where],
    [candidates, `day >= toDate(fromUnixTimestamp64Milli(greatest({winLo:Int64} - ${2 * DAY_MS}, 0)), 'UTC')`],
    [
      candidates,
      `trace_id IN (SELECT trace_id FROM spans WHERE project_id = {projectId:String}
         AND start_time >= fromUnixTimestamp64Milli({winLo:Int64}) AND start_time < fromUnixTimestamp64Milli({winHi:Int64}))`,
    ],
  ]);
  const having = conditions([
    [true, filter.having],
    [opts.cursor, `(${sortKey}, trace_id) < ({cursorKey:Int64}, {cursorId:String})`],
    [w !== undefined, 'min(t.start_time) >= fromUnixTimestamp64Milli({winLo:Int64})'],
    [w?.hi !== undefined, 'min(t.start_time) < fromUnixTimestamp64Milli({winHi:Int64})'],
  ]);
  return `SELECT trace_id, toString(${sortKey}) AS sort_key
     FROM trace_summaries AS t
     WHERE project_id = {projectId:String} AND ${DAYS_OF_RANGE} AND ${where}
     GROUP BY trace_id
     HAVING ${having}
     ORDER BY ${sortKey} DESC, trace_id DESC
     LIMIT {limit:UInt32}`;
}
