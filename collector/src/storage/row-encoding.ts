/**
 * How span rows travel to ClickHouse (and sit in the write-ahead log): JSONCompactEachRow lines
 * under an explicit column list. Arrays instead of objects make both JSON.stringify here and parsing
 * in ClickHouse cheaper than JSONEachRow (see BENCHMARKS.md).
 */
// String.prototype.toWellFormed is in Node since 20; the shared tsconfig's lib stops at ES2023.
/// <reference lib="es2024.string" />
import type { SpanRow } from './span-row.js';

export const SPAN_COLUMNS = [
  'trace_id', 'span_id', 'parent_span_id', 'trace_state', 'name', 'kind', 'start_time', 'end_time', 'duration_ns',
  'status_code', 'status_message', 'service_name', 'scope_name', 'scope_version', 'session_id', 'operation',
  'agent_name', 'tool_name', 'tool_call_id', 'request_model', 'response_model', 'provider', 'input_tokens',
  'output_tokens', 'finish_reasons', 'error_type', 'environment', 'release', 'convention', 'input', 'output',
  'resource_attributes', 'span_attributes', 'event_times', 'event_names', 'event_attributes', 'link_trace_ids',
  'link_span_ids', 'link_attributes',
] as const satisfies ReadonlyArray<keyof SpanRow>;


/**
 * One row as a JSON array line, in SPAN_COLUMNS order (spelled out: this is the ingest hot path).
 *
 * Every string is written as well-formed UTF-16: a lone surrogate (`"\ud800"` in a JSON request,
 * or a protobuf string decoded without validation) would reach ClickHouse as a `\udXXX` escape it
 * refuses, and fail the whole insert. JSON.stringify writes such a code unit, and only such a one,
 * as a `\ud8xx`..`\udfxx` escape (a valid pair is written as is), so one scan of the line finds
 * them; the rare row that has one is encoded again with U+FFFD in their place.
 */
export function encodeSpanRow(r: SpanRow): string {
  const line = encodeRaw(r);
  // includes() first: a plain substring search is cheaper than the regex on the common clean line.
  return line.includes('\\ud') && LONE_SURROGATE_ESCAPE.test(line) ? encodeRaw(wellFormed(r)) : line;
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

function encodeRaw(r: SpanRow): string {
  return (
    JSON.stringify([
      r.trace_id, r.span_id, r.parent_span_id, r.trace_state, r.name, r.kind, r.start_time, r.end_time, r.duration_ns,
      r.status_code, r.status_message, r.service_name, r.scope_name, r.scope_version, r.session_id, r.operation,
      r.agent_name, r.tool_name, r.tool_call_id, r.request_model, r.response_model, r.provider, r.input_tokens,
      r.output_tokens, r.finish_reasons, r.error_type, r.environment, r.release, r.convention, r.input, r.output,
      r.resource_attributes, r.span_attributes, r.event_times, r.event_names, r.event_attributes, r.link_trace_ids,
      r.link_span_ids, r.link_attributes,
    ]) + '\n'
  );
}
