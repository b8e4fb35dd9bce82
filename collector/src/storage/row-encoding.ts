/**
 * How span rows travel to ClickHouse (and sit in the write-ahead log): JSONCompactEachRow lines
 * under an explicit column list. Arrays instead of objects make both JSON.stringify here and parsing
 * in ClickHouse cheaper than JSONEachRow (see BENCHMARKS.md).
 */
import type { SpanRow } from './span-row.js';

export const SPAN_COLUMNS = [
  'trace_id', 'span_id', 'parent_span_id', 'trace_state', 'name', 'kind', 'start_time', 'end_time', 'duration_ns',
  'status_code', 'status_message', 'service_name', 'scope_name', 'scope_version', 'session_id', 'operation',
  'agent_name', 'tool_name', 'tool_call_id', 'request_model', 'response_model', 'provider', 'input_tokens',
  'output_tokens', 'finish_reasons', 'error_type', 'environment', 'release', 'convention', 'input', 'output',
  'resource_attributes', 'span_attributes', 'event_times', 'event_names', 'event_attributes', 'link_trace_ids',
  'link_span_ids', 'link_attributes',
] as const satisfies ReadonlyArray<keyof SpanRow>;


/** One row as a JSON array line, in SPAN_COLUMNS order (spelled out: this is the ingest hot path). */
export function encodeSpanRow(r: SpanRow): string {
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
