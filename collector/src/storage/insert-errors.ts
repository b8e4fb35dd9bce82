/**
 * Tells an insert that failed because of its rows from one that failed because of the moment.
 *
 * The write path retries transient failures (storage down, out of memory or disk, too many parts)
 * with back-off, but a batch that ClickHouse refuses for its content would fail forever and block
 * everything queued behind it: those are split to isolate the bad rows (see ingest/segment-writer.ts).
 * Both back ends carry the server's numeric code: `@clickhouse/client` as ClickHouseError.code
 * (a string), chDB as ChdbInsertError.clickhouseCode; the text "Code: N." is the fallback.
 */

/**
 * ClickHouse error codes that describe the inserted data itself (parse, type and range errors,
 * columns a segment names that the table lacks). Retrying the same bytes cannot succeed.
 * Not 252: it is TOO_MANY_PARTS (merges lagging: transient) as well as the per-insert partition limit,
 * which the write path turns off instead.
 */
const DATA_ERROR_CODES: ReadonlySet<number> = new Set([
  6, // CANNOT_PARSE_TEXT
  8, // THERE_IS_NO_COLUMN
  10, // NOT_FOUND_COLUMN_IN_BLOCK
  16, // NO_SUCH_COLUMN_IN_TABLE
  25, // CANNOT_PARSE_ESCAPE_SEQUENCE
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  32, // ATTEMPT_TO_READ_AFTER_EOF
  33, // CANNOT_READ_ALL_DATA
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  43, // ILLEGAL_TYPE_OF_ARGUMENT
  44, // ILLEGAL_COLUMN
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  128, // TOO_LARGE_ARRAY_SIZE
  131, // TOO_LARGE_STRING_SIZE
  190, // SIZES_OF_ARRAYS_DONT_MATCH
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  376, // CANNOT_PARSE_UUID
  395, // FUNCTION_THROW_IF_VALUE_IS_NON_ZERO (a view's throwIf on a row)
  407, // DECIMAL_OVERFLOW
  469, // VIOLATED_CONSTRAINT (a CHECK on the table refuses a row)
]);

/** The ClickHouse error code carried by `error`, if any. */
export function clickhouseErrorCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { clickhouseCode?: unknown; code?: unknown; message?: unknown };
  if (typeof e.clickhouseCode === 'number') return e.clickhouseCode;
  if (typeof e.code === 'string' && /^\d+$/.test(e.code)) return Number(e.code);
  const m = typeof e.message === 'string' ? /\bCode: (\d+)\b/.exec(e.message) : null;
  return m ? Number(m[1]) : undefined;
}

/** True when the insert failed because of the rows it carried. */
export function isDataError(error: unknown): boolean {
  const code = clickhouseErrorCode(error);
  return code !== undefined && DATA_ERROR_CODES.has(code);
}

/** A short reason for logs and quarantine records: the first line of the message, without row text. */
export function insertErrorReason(error: unknown): string {
  const code = clickhouseErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  // ClickHouse quotes the offending row after ": while ..." or in "Row N:" blocks; keep prompts out of logs.
  const first = message.split('\n', 1)[0]!.replace(/\s*(: while|Row \d+:|\(at row).*$/s, '');
  const short = first.length > 300 ? `${first.slice(0, 300)}…` : first;
  return code !== undefined && !short.includes(`Code: ${code}`) ? `Code: ${code}. ${short}` : short;
}
