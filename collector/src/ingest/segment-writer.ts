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
  const body = segment.chunks.length === 1 ? segment.chunks[0]! : Buffer.concat(segment.chunks);
  const isRowsFault = (e: unknown) => blameRows || isDataError(e);
  try {
    await insert(deps, segment, body, segment.name);
    return { stored: segment.rows, quarantined: 0 };
  } catch (error) {
    if (!isRowsFault(error)) throw error;
    const lines = splitLines(body);
    const outcome = { stored: 0, quarantined: 0 };
    await isolate(deps, segment, lines, 0, lines.length, error, isRowsFault, outcome);
    return outcome;
  }
}

async function isolate(
  deps: SegmentWriterDeps,
  segment: Segment,
  lines: Buffer[],
  from: number,
  to: number,
  error: unknown,
  isRowsFault: (e: unknown) => boolean,
  outcome: WriteOutcome,
): Promise<void> {
  if (to - from === 1) {
    deps.quarantine.put(`${segment.name}-${from}`, segment.columns, [lines[from]!], insertErrorReason(error), clickhouseErrorCode(error));
    outcome.quarantined++;
    return;
  }
  const mid = from + Math.ceil((to - from) / 2);
  for (const [a, b] of [
    [from, mid],
    [mid, to],
  ] as const) {
    try {
      await insert(deps, segment, Buffer.concat(lines.slice(a, b)), `${segment.name}/${a}-${b}`);
      outcome.stored += b - a;
    } catch (e) {
      if (!isRowsFault(e)) throw e;
      await isolate(deps, segment, lines, a, b, e, isRowsFault, outcome);
    }
  }
}

function insert(deps: SegmentWriterDeps, segment: Segment, body: Buffer, token: string): Promise<void> {
  return deps.insertRaw({
    table: 'spans',
    format: 'JSONCompactEachRow',
    columns: segment.columns,
    body,
    // A replayed segment carries the same token: ClickHouse (and the views) skip what is stored.
    settings: { ...SPANS_INSERT_SETTINGS, insert_deduplication_token: token },
  });
}

/** The row lines of a segment body, each with its newline (views into `body`, no copies). */
export function splitLines(body: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = body.indexOf(0x0a); i >= 0; i = body.indexOf(0x0a, start)) {
    lines.push(body.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < body.length) lines.push(body.subarray(start));
  return lines;
}
