/**
 * Rows as JSON text lines (log records, log-table.ts; span rows travel in RowBinary, row-binary.ts).
 *
 * Every string is written as well-formed UTF-16: a lone surrogate (`"\ud800"` in a JSON request,
 * or a protobuf string decoded without validation) would reach ClickHouse as a `\udXXX` escape it
 * refuses, and fail the whole insert. JSON.stringify writes such a code unit, and only such a one,
 * as a `\ud8xx`..`\udfxx` escape (a valid pair is written as is), so one scan of the line finds
 * them; the rare row that has one is encoded again with U+FFFD in their place.
 */
// String.prototype.toWellFormed is in Node since 20; the shared tsconfig's lib stops at ES2023.
/// <reference lib="es2024.string" />

/** `encode(row)`, encoded again from a well-formed copy when the line shows a lone surrogate (see above). */
export function encodeWellFormed<T>(row: T, encode: (row: T) => string): string {
  const line = encode(row);
  // includes() first: a plain substring search is cheaper than the regex on the common clean line.
  return line.includes('\\ud') && LONE_SURROGATE_ESCAPE.test(line) ? encode(wellFormed(row)) : line;
}

/**
 * `\ud800`..`\udfff` as JSON.stringify writes it. Also matches an escaped backslash followed by
 * `ud8..` (text that spells an escape): then the row is re-encoded for nothing, which is harmless.
 */
const LONE_SURROGATE_ESCAPE = /\\ud[89a-f]/;

/** A copy of `v` whose strings and object keys are well-formed (lone surrogates → U+FFFD). */
function wellFormed<T>(v: T): T {
  if (typeof v === 'string') return v.toWellFormed() as T;
  if (Array.isArray(v)) return v.map(wellFormed) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      // defineProperty: a `__proto__` key is data here, as in the decoded attribute maps.
      Object.defineProperty(out, k.toWellFormed(), { value: wellFormed(x), enumerable: true, writable: true, configurable: true });
    }
    return out as T;
  }
  return v;
}
