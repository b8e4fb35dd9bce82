/**
 * The one definition of the `spans` row the write path inserts: each column's name, in insert order,
 * with the kind of value it carries. The row type (`SpanRow`), the column list (`SPAN_COLUMNS`) and
 * the row encoder (row-binary.ts) all derive from it, so a column is added in one place. Released
 * migrations stay frozen text; `span-table.test.ts` checks this definition against the table they
 * create, so the two cannot drift apart.
 *
 * Times are nanoseconds since the epoch as decimal strings (a JS number loses precision past 2^53);
 * attribute values are strings, arrays and key-value lists JSON-encoded by the decoder.
 */

export type SpanKindName = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
export type StatusCodeName = 'UNSET' | 'OK' | 'ERROR';

/** What a column holds, as the encoder writes it. */
interface ValueKinds {
  text: string;
  /** Nanoseconds since the epoch (or a duration in ns), as a decimal string. */
  nanos: string;
  /** A non-negative safe integer. */
  count: number;
  /** US dollars: a finite non-negative number (Float64). */
  usd: number;
  texts: string[];
  nanosList: string[];
  attributes: Record<string, string>;
  attributesList: Record<string, string>[];
  spanKind: SpanKindName;
  statusCode: StatusCodeName;
}

export const SPAN_TABLE = {
  trace_id: 'text', // 32 lowercase hex chars
  span_id: 'text', // 16 lowercase hex chars
  parent_span_id: 'text', // '' for a root span
  trace_state: 'text',
  name: 'text',
  kind: 'spanKind',
  start_time: 'nanos',
  end_time: 'nanos',
  duration_ns: 'nanos',
  status_code: 'statusCode',
  status_message: 'text',
  service_name: 'text',
  scope_name: 'text',
  scope_version: 'text',
  // Typed columns filled by the normalizers (see normalize/); '' or 0 when unknown.
  session_id: 'text',
  operation: 'text', // chat, execute_tool, invoke_agent, step, embeddings, text_completion, ...
  agent_name: 'text',
  tool_name: 'text',
  tool_call_id: 'text',
  request_model: 'text',
  response_model: 'text',
  provider: 'text',
  input_tokens: 'count', // only on model-call spans, so sums over a trace do not double count
  output_tokens: 'count',
  // Parts of input_tokens / output_tokens priced at their own rates (same model-call spans only).
  cache_read_tokens: 'count',
  cache_write_tokens: 'count',
  reasoning_tokens: 'count',
  // Cost of a model call in USD (see pricing/): reported by the instrumentation, else priced at
  // ingest. cost_source says which: 'reported' | 'custom' | 'database', or '' when nothing priced
  // it (then the costs are 0 and the call counts as unpriced, never as free).
  input_cost: 'usd',
  output_cost: 'usd',
  total_cost: 'usd',
  cost_source: 'text',
  finish_reasons: 'texts',
  error_type: 'text',
  environment: 'text', // deployment.environment(.name)
  release: 'text', // service.version
  convention: 'text', // which normalizer recognised the span: genai, openinference, ... or ''
  input: 'text', // captured input content, when the instrumentation recorded it
  output: 'text', // captured output content
  resource_attributes: 'attributes',
  span_attributes: 'attributes',
  event_times: 'nanosList',
  event_names: 'texts',
  event_attributes: 'attributesList',
  link_trace_ids: 'texts',
  link_span_ids: 'texts',
  link_attributes: 'attributesList',
  // Last, so the ids stay first (recovery's fast path reads them by position). Set by the write
  // path from the caller's credentials (IngestSink.accept); a log segment written before projects
  // existed has no such column and replays into the table's default, project 'default'.
  project_id: 'text',
} as const satisfies Record<string, keyof ValueKinds>;

/** One row of the `spans` table, as the write path inserts it. */
export type SpanRow = { -readonly [C in keyof typeof SPAN_TABLE]: ValueKinds[(typeof SPAN_TABLE)[C]] };

export type SpanColumn = keyof typeof SPAN_TABLE;

/** The columns in insert order: the header of every write-ahead log segment and insert. */
export const SPAN_COLUMNS = Object.keys(SPAN_TABLE) as readonly SpanColumn[];
