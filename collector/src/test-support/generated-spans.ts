/**
 * Agent spans generated inside the engine (INSERT … SELECT from numbers()), written to `spans` so the
 * real materialized views fill the summaries and both rollup levels: the hour-rollup test and the
 * scale bench (bench/scale.bench.ts) share it. Deterministic: a row is a function of its number.
 *
 * A trace is 8 spans: the agent run (root), two steps, two model calls, two tool calls and a
 * retrieval, starting 700 ms apart. Its start is spread by a hash over [startMs, startMs + spanMs).
 * 6 agents, 12 tools, 4 models, 3 services, 2 environments; 10% of the traces belong to project
 * `other`; 2% errors; durations log-uniform from 20 ms to about 20 s; model calls priced by their
 * tokens (1% unpriced); 5 traces per session.
 */
import type { ClickHouseClient } from '@clickhouse/client';

export interface GeneratedSpans {
  /** Number of the first row (rows offset … offset + count − 1). */
  offset: number;
  count: number;
  /** Start of the time span the traces are spread over, and its length (ms). */
  startMs: number;
  spanMs: number;
}

const INSERT = `
INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ns, status_code,
  service_name, scope_name, session_id, operation, agent_name, tool_name, request_model, response_model, provider,
  input_tokens, output_tokens, input_cost, output_cost, total_cost, cost_source, environment, input, output)
SELECT
  if(trace % 10 = 9, 'other', 'default') AS project_id,
  lower(hex(cityHash64(trace, 'trace'))) || lower(hex(cityHash64(trace, 't2'))) AS trace_id,
  lower(hex(cityHash64(number, 'span'))) AS span_id,
  multiIf(role = 0, '', role IN (1, 4), lower(hex(cityHash64(trace * 8, 'span'))), lower(hex(cityHash64(trace * 8 + if(role < 4, 1, 4), 'span')))) AS parent_span_id,
  multiIf(role = 0, concat('invoke_agent ', agent), role IN (1, 4), 'step', role IN (2, 5), concat('chat ', model),
          role IN (3, 6), concat('execute_tool ', tool), 'retrieve documents') AS name,
  'INTERNAL' AS kind,
  fromUnixTimestamp64Milli(toInt64({startMs:Int64} + cityHash64(trace, 'start') % {spanMs:UInt64} + role * 700)) AS start_time,
  start_time + toIntervalMillisecond(duration_ms) AS end_time,
  toUInt64(duration_ms) * 1000000 + number % 1000 AS duration_ns,
  if(cityHash64(number, 'error') % 50 = 0, 'ERROR', 'OK') AS status_code,
  ['support-bot', 'billing-bot', 'travel-bot'][1 + trace % 3] AS service_name,
  'generated' AS scope_name,
  concat('session-', toString(intDiv(trace, 5))) AS session_id,
  multiIf(role = 0, 'invoke_agent', role IN (1, 4), 'step', role IN (2, 5), 'chat', role IN (3, 6), 'execute_tool', 'retrieval') AS operation,
  agent AS agent_name,
  if(role IN (3, 6), tool, '') AS tool_name,
  if(role IN (2, 5), model, '') AS request_model,
  if(role IN (2, 5), concat(model, '-2025'), '') AS response_model,
  if(role IN (2, 5), 'openai', '') AS provider,
  if(role IN (2, 5), 200 + cityHash64(number, 'in') % 3000, 0) AS input_tokens,
  if(role IN (2, 5), 20 + cityHash64(number, 'out') % 600, 0) AS output_tokens,
  if(priced, input_tokens * 1.5e-7, 0) AS input_cost,
  if(priced, output_tokens * 6e-7, 0) AS output_cost,
  input_cost + output_cost AS total_cost,
  if(priced, 'database', '') AS cost_source,
  if(trace % 7 = 0, 'staging', 'production') AS environment,
  multiIf(role = 0, concat('customer ', toString(trace % 50000), ' asks about order ', toString(trace % 1000003)), role IN (3, 6), '{"order_id":"ord-1"}', '') AS input,
  multiIf(role = 0, 'resolved', role IN (3, 6), '{"status":"ok"}', '') AS output
FROM (
  SELECT number, intDiv(number, 8) AS trace, number % 8 AS role,
    ['support-agent', 'billing-agent', 'refund-agent', 'triage-agent', 'travel-agent', 'research-agent'][1 + intDiv(trace, 3) % 6] AS agent,
    ['lookup_order', 'refund_payment', 'update_address', 'search_kb', 'send_email', 'get_weather', 'book_flight', 'cancel_booking',
     'charge_card', 'open_ticket', 'escalate', 'translate'][1 + cityHash64(number, 'tool') % 12] AS tool,
    ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet-4', 'gemini-2.5-flash'][1 + cityHash64(trace, 'model') % 4] AS model,
    toUInt64(round(exp(log(20) + (cityHash64(number, 'duration') % 10000) / 10000 * log(1000)))) AS duration_ms,
    role IN (2, 5) AND cityHash64(number, 'priced') % 100 != 0 AS priced
  FROM numbers({offset:UInt64}, {count:UInt64})
)
SETTINGS max_partitions_per_insert_block = 0, max_block_size = 65536`;

/** Inserts the rows; the materialized views fire as for any write. */
export async function insertGeneratedSpans(client: ClickHouseClient, g: GeneratedSpans): Promise<void> {
  await client.command({ query: INSERT, query_params: { ...g } });
}
