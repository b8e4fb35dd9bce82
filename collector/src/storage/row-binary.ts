/**
 * How span rows travel to ClickHouse and sit in the write-ahead log: ClickHouse's
 * RowBinaryWithNamesAndTypes, a header (column count, names, types) then the rows, each value in
 * binary. ClickHouse reads it several times faster than JSON text (no number or string parsing,
 * no escapes: see BENCHMARKS.md), and a segment file is the insert body as it lies on disk.
 *
 * The encoder is generated from SPAN_TABLE (span-table.ts), so adding a column stays one line
 * there; a new value kind needs a BinaryWriter method named after it and a layout below.
 *
 * The header's types state the byte layout of each value kind (String, UInt64, Array, Map), not the
 * table's types: inserts read them with `input_format_with_types_use_header = 0`, so ClickHouse maps
 * columns by name and reads each value as the table's own type, which has the same layout
 * (LowCardinality(String) is laid out as String, DateTime64(9) as its Int64 ticks).
 * `span-table.test.ts` checks every column's table type against its kind's layout.
 */
import { BinaryWriter } from './binary-writer.js';
import { SPAN_COLUMNS, SPAN_TABLE, type SpanRow } from './span-table.js';

export const ROW_BINARY_FORMAT = 'RowBinaryWithNamesAndTypes';

/** The byte layout of each value kind, as a ClickHouse type. */
export const KIND_LAYOUTS = {
  text: 'String',
  spanKind: 'String',
  statusCode: 'String',
  nanos: 'UInt64',
  count: 'UInt64',
  usd: 'Float64',
  texts: 'Array(String)',
  nanosList: 'Array(UInt64)',
  attributes: 'Map(String, String)',
  attributesList: 'Array(Map(String, String))',
} as const satisfies Record<(typeof SPAN_TABLE)[keyof typeof SPAN_TABLE], string>;

/** Settings of every insert of these bytes: columns by the header's names, values as the table's types. */
export const ROW_BINARY_INSERT_SETTINGS = { input_format_with_types_use_header: 0 } as const;

/**
 * `w.text(r.trace_id); w.text(r.span_id); …` for every column in SPAN_COLUMNS order, generated once:
 * property reads and method calls the engine can inline, instead of a keyed loop over the columns.
 * The source is our own constant column and kind names, never input.
 */
const writeRow = new Function('w', 'r', SPAN_COLUMNS.map((c) => `w.${SPAN_TABLE[c]}(r.${c});`).join('\n')) as (
  w: BinaryWriter,
  r: SpanRow,
) => void;

const scratch = new BinaryWriter();

/** The rows, without header, in SPAN_COLUMNS order (one buffer of their own). */
export function encodeSpanRows(rows: readonly SpanRow[]): Buffer {
  scratch.reset();
  for (let i = 0; i < rows.length; i++) writeRow(scratch, rows[i]!);
  return scratch.bytes();
}

/** A RowBinaryWithNamesAndTypes header. */
export function rowBinaryHeader(columns: readonly string[], types: readonly string[]): Buffer {
  const w = new BinaryWriter(1024);
  w.varint(columns.length);
  for (const c of columns) w.string(c);
  for (const t of types) w.string(t);
  return w.bytes();
}

/** The header of span rows as encodeSpanRows writes them. */
export const SPAN_ROW_BINARY_HEADER = rowBinaryHeader(
  SPAN_COLUMNS,
  SPAN_COLUMNS.map((c) => KIND_LAYOUTS[SPAN_TABLE[c]]),
);
