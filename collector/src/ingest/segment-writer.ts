/**
 * Inserts one segment into ClickHouse, isolating rows that ClickHouse refuses for their content.
 *
 * The whole segment goes first, as one insert whose deduplication token is the segment name. If
 * ClickHouse refuses it for its data (insert-errors.ts), the rows are split in halves, recursively,
 * each part with a token derived from its row range: the good rows are stored, and each row that
 * fails on its own goes to the quarantine. The split is a pure function of the segment, so a retry
 * after a crash repeats the same inserts with the same tokens, and ClickHouse skips the parts it
 * already holds: nothing is stored twice. A transient failure (storage down, out of memory) ends the
 * attempt; the caller retries the segment later.
 */
import type { RawInsert } from '../storage/client.js';
import { clickhouseErrorCode, insertErrorReason, isDataError } from '../storage/insert-errors.js';
import type { Quarantine } from './quarantine.js';
import type { Segment } from './segment-log.js';

export interface SegmentWriterDeps {
  insertRaw(insert: RawInsert): Promise<void>;
  quarantine: Quarantine;
}

export interface WriteOutcome {
  stored: number;
  quarantined: number;
}

/**
 * Settings of every spans insert. A batch may hold spans of many days (a backfill, a clock gone
 * wrong): the per-block partition limit would refuse the whole batch for that, which is no reason
 * to lose or block anything.
 */
export const SPANS_INSERT_SETTINGS = {
  deduplicate_blocks_in_dependent_materialized_views: 1,
  async_insert: 0,
  throw_on_max_partitions_per_insert_block: 0,
} as const;

/**
 * Stores `segment`. `blameRows` says the caller has seen this segment fail while other inserts
 * succeeded: then any error is taken as the rows' fault and split, not only the known data errors.
 */
export async function writeSegment(segment: Segment, deps: SegmentWriterDeps, blameRows = false): Promise<WriteOutcome> {
  if (segment.rows === 0) return { stored: 0, quarantined: 0 };
  const isRowsFault = (e: unknown) => blameRows || isDataError(e);
  try {
    await insert(deps, segment, undefined, segment.name);
    return { stored: segment.rows, quarantined: 0 };
  } catch (error) {
    if (!isRowsFault(error)) throw error;
    const rows = segment.format.rows(segment);
    const outcome = { stored: 0, quarantined: 0 };
    await isolate(deps, segment, rows, 0, rows.length, error, isRowsFault, outcome);
    return outcome;
  }
}

async function isolate(
  deps: SegmentWriterDeps,
  segment: Segment,
  rows: Buffer[],
  from: number,
  to: number,
  error: unknown,
  isRowsFault: (e: unknown) => boolean,
  outcome: WriteOutcome,
): Promise<void> {
  if (to - from === 1) {
    deps.quarantine.put(`${segment.name}-${from}`, segment, [rows[from]!], insertErrorReason(error), clickhouseErrorCode(error));
    outcome.quarantined++;
    return;
  }
  const mid = from + Math.ceil((to - from) / 2);
  for (const [a, b] of [
    [from, mid],
    [mid, to],
  ] as const) {
    try {
      await insert(deps, segment, rows.slice(a, b), `${segment.name}/${a}-${b}`);
      outcome.stored += b - a;
    } catch (e) {
      if (!isRowsFault(e)) throw e;
      await isolate(deps, segment, rows, a, b, e, isRowsFault, outcome);
    }
  }
}

/** Inserts `rows` of the segment, or all of it. */
function insert(deps: SegmentWriterDeps, segment: Segment, rows: Buffer[] | undefined, token: string): Promise<void> {
  const encoded = segment.format.insert(segment, rows);
  return deps.insertRaw({
    table: 'spans',
    ...encoded,
    // A replayed segment carries the same token: ClickHouse (and the views) skip what is stored.
    settings: { ...encoded.settings, ...SPANS_INSERT_SETTINGS, insert_deduplication_token: token },
  });
}
