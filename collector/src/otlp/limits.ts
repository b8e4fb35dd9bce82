/**
 * Size and depth limits applied while turning OTLP values into row strings.
 * They bound the memory one span can pin in the write queue and keep hostile input from
 * blowing the stack; each cut leaves a visible marker so a reader knows data was dropped.
 */
import { TIME_MAX_MS } from '@sightline/contract';

/** Longest attribute value kept, in UTF-16 code units (~64 KiB of ASCII). */
export const MAX_ATTRIBUTE_CHARS = 64 * 1024;

/**
 * Longest value kept for attributes that carry captured content (prompts, completions, tool
 * arguments and results; see `CONTENT_ATTRIBUTE_KEYS` in normalize/). Content is the point of
 * an agent trace, so it gets a larger budget; it is stored once, in the `input`/`output` columns.
 */
export const MAX_CONTENT_CHARS = 256 * 1024;

/** Deepest array/kvlist nesting rendered; deeper levels become TRUNCATED_DEPTH_MARKER. */
export const MAX_VALUE_DEPTH = 16;

export const TRUNCATED_DEPTH_MARKER = '[sightline: truncated, nested deeper than 16 levels]';

/** Appended to a value cut at its size cap: `…[sightline: truncated 123 chars]`. */
export function truncationMarker(droppedChars: number): string {
  return `…[sightline: truncated ${droppedChars} chars]`;
}

/** Reasons listed in a partial-success message before it says "and N more". */
export const MAX_LISTED_REJECTIONS = 10;

/**
 * The nanosecond times a `DateTime64(9)` column stores as sent, found with chDB (storage-limits
 * test). Rows travel as JSON with times as decimal strings, and ClickHouse's DateTime64 text parser
 * reads a 19-digit number as nanoseconds but a shorter one as something else: up to 10 digits as
 * whole seconds (`1700000000` ns would land in 2023), 8 and 14 digits as YYYYMMDD[hhmmss], other
 * lengths as a parse error. 10^18 ns (2001-09-09T01:46:40Z) is the first 19-digit value; 2^63 - 1
 * (2262-04-11T23:47:16.854775807Z) is the largest Int64 tick, 2^63 is a decimal overflow and
 * 2^64 - 1 a parse error. The upper bound is lower still: the summaries' `Date` days and the
 * rollups' `DateTime` minutes end at 2106-02-07T06:28:15Z and wrap silently past it (a 2200 span
 * would be counted in 2064), so times stop where every table stores them: the contract's
 * TIME_MAX_MS, the same bound the query API accepts. A span time outside is rejected, an event
 * time clamped.
 */
export const MIN_STORABLE_NS = 1_000_000_000_000_000_000n;
export const MAX_STORABLE_NS = BigInt(TIME_MAX_MS) * 1_000_000n + 999_999n;
