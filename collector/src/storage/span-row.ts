/**
 * One row of the `spans` table, in the shape it is inserted as JSONEachRow.
 * Times are nanoseconds since the epoch as decimal strings: a JS number loses precision past 2^53.
 * Attribute values are strings; arrays and key-value lists are JSON-encoded by the decoder.
 */
export interface SpanRow {
  trace_id: string; // 32 lowercase hex chars
  span_id: string; // 16 lowercase hex chars
  parent_span_id: string; // '' for a root span
  trace_state: string;
  name: string;
  kind: SpanKindName;
  start_time: string; // ns
  end_time: string; // ns
  duration_ns: string;
  status_code: StatusCodeName;
  status_message: string;
  service_name: string;
  scope_name: string;
  scope_version: string;

  // Typed columns filled by the normalizers (see normalize/); '' or 0 when unknown.
  session_id: string;
  operation: string; // chat, execute_tool, invoke_agent, step, embeddings, text_completion, ...
  agent_name: string;
  tool_name: string;
  tool_call_id: string;
  request_model: string;
  response_model: string;
  provider: string;
  input_tokens: number; // only on model-call spans, so sums over a trace do not double count
  output_tokens: number;
  finish_reasons: string[];
  error_type: string;
  environment: string; // deployment.environment(.name)
  release: string; // service.version
  convention: string; // which normalizer recognised the span: genai, openinference, ... or ''
  input: string; // captured input content, when the instrumentation recorded it
  output: string; // captured output content

  resource_attributes: Record<string, string>;
  span_attributes: Record<string, string>;
  event_times: string[]; // ns
  event_names: string[];
  event_attributes: Record<string, string>[];
  link_trace_ids: string[];
  link_span_ids: string[];
  link_attributes: Record<string, string>[];
}

export type SpanKindName = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
export type StatusCodeName = 'UNSET' | 'OK' | 'ERROR';

/** Operations whose spans are model calls: only these carry token counts in the typed columns. */
export const MODEL_CALL_OPERATIONS = ['chat', 'text_completion', 'generate_content', 'embeddings'] as const;
