/**
 * Write-ahead log segments as versions before issue 18 wrote them (JSON lines: a JSON array of the
 * column names, then one JSONCompactEachRow line per row), for the tests that prove such leftovers
 * still replay after an upgrade.
 */
import { encodeWellFormed } from '../storage/row-encoding.js';
import { SPAN_COLUMNS, type SpanRow } from '../storage/span-table.js';

const encodeLine = new Function('r', `return JSON.stringify([${SPAN_COLUMNS.map((c) => `r.${c}`).join(', ')}]) + '\\n';`) as (
  r: SpanRow,
) => string;

/** One row as the JSON line the old write path appended (lone surrogates written as U+FFFD). */
export function legacySpanLine(row: SpanRow): string {
  return encodeWellFormed(row, encodeLine);
}

/** The bytes of a whole legacy segment file holding `rows`. */
export function legacySegmentFile(rows: readonly SpanRow[]): Buffer {
  return Buffer.from(JSON.stringify(SPAN_COLUMNS) + '\n' + rows.map(legacySpanLine).join(''), 'utf8');
}
