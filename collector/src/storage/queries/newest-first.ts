/**
 * Newest-first pages in windows of time (issue 19). The summary tables are sorted by id, so a page
 * of "the 50 newest" grouped over the whole range folds every trace (or session) of every day the
 * range touches. The newest ones are in the range's last minutes: ask for the rows whose sort key
 * (start, or last activity) falls in a window of 15 minutes ending at the range's end (or the cursor), then
 * in the window before it, each 4× wider, until the page is full or the range is exhausted.
 *
 * Exact: windows are disjoint and walked in the sort order, so the rows of a window all sort after
 * those of the windows before it and before those of the windows after it; concatenated, they are
 * the page one query over the whole range would return. A window's query keeps every condition of
 * the whole range (and the cursor) and only adds "key in [lo, hi)".
 */
// A window's query reads the summary days it touches whatever its width: the first is wide enough
// for a page at a few thousand traces a day, so that one query is usually all.
const FIRST_WINDOW_MS = 15 * 60_000;
const GROWTH = 4;

/** One window [lo, hi) (ms); `hi` undefined: no upper bound. `rest`: lo is the range's start. */
export interface TimeWindow {
  lo: number;
  hi: number | undefined;
  rest: boolean;
}

/**
 * Rows of `want` at most, newest first, from windows walked back from `end` (ms, exclusive; or
 * unbounded) to `from`. `page` returns the rows of one window in sort order, at most `n`.
 */
export async function newestFirst<T>(
  from: number,
  end: number | undefined,
  anchor: number,
  want: number,
  page: (w: TimeWindow, n: number) => Promise<T[]>,
): Promise<T[]> {
  const rows: T[] = [];
  let hi = end;
  let width = FIRST_WINDOW_MS;
  for (;;) {
    const lo = Math.max(from, (hi ?? anchor) - width);
    rows.push(...(await page({ lo, hi, rest: lo <= from }, want - rows.length)));
    if (rows.length >= want || lo <= from) return rows;
    hi = lo;
    width *= GROWTH;
  }
}
