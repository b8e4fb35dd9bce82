/**
 * Per-session behaviour signals, computed inside ClickHouse from the raw spans and stored in
 * drift_session_signals, one chunk of closed hours at a time.
 *
 * A session is the session id, or the trace id when there is none, within its project: every
 * project's sessions are computed in the same pass (one catch-up keeps the whole table current),
 * and each row keeps its project_id, which the drift queries filter on. Its agent is the agent of its
 * invoke_agent span (child spans from other instrumentations often lack gen_ai.agent.name), else
 * any agent name seen in it. A session belongs to the hour it starts in; its spans are read up to
 * `tailMs` past the chunk's end, so a session longer than that is cut (agent sessions are minutes).
 */
import type { ClickHouseClient } from '@clickhouse/client';

export const HOUR_MS = 3_600_000;

/** Markers of a refusal in the final answer (case-insensitive, English). */
export const REFUSAL_PATTERN =
  "(?i)\\b(i can(no|')t (help|assist|do|provide|comply)|i(’|')?m (sorry|unable|not able)|i am (sorry|unable|not able)|i won(’|')t|cannot (help|assist|comply)|unable to (help|assist|comply))";

const LLM_OPS = `('chat', 'text_completion', 'generate_content')`;
const MAX_PATH = 12;

/** The final output's text: the last message's text parts, a JSON string's value, or the raw output. */
const TEXT_OF = (o: string) => `multiIf(
  JSONType(${o}) = 'Array' AND JSONHas(${o}, -1, 'parts'),
    arrayStringConcat(arrayMap(p -> JSONExtractString(p, 'content'), arrayFilter(p -> JSONExtractString(p, 'type') = 'text', JSONExtractArrayRaw(${o}, -1, 'parts'))), ''),
  JSONType(${o}) = 'Array' AND JSONHas(${o}, -1, 'content'), JSONExtractString(${o}, -1, 'content'),
  JSONType(${o}) = 'String', JSONExtractString(${o}),
  ${o})`;

/** The signals of the sessions starting in [{from}, {to}), inserted into `table` (one of our own constants). */
const materializeSql = (table: SignalsTable) => `
INSERT INTO ${table}
  (project_id, agent_name, start_time, session_key, session_id, trace_id, service_name, environment, release, first_tool, tools, path,
   finish_reason, has_content, output_shape, refusal, output_length, outcome, steps, llm_calls, tool_calls, tokens,
   duration_ms, loops, retries, cost)
SELECT
  project_id, agent, first_start, session_key, sid, tid, svc, env, rel,
  if(empty(tool_seq), '(no tools)', tool_seq[1]) AS first_tool,
  tool_seq,
  if(empty(tool_seq), '(no tools)',
     concat(arrayStringConcat(arraySlice(tool_seq, 1, ${MAX_PATH}), ' → '), if(length(tool_seq) > ${MAX_PATH}, ' → …', ''))) AS path,
  if(last_finish = '', '(none)', last_finish) AS finish_reason,
  toUInt8(final_out != '') AS has_content,
  multiIf(final_out = '', '(not captured)',
          JSONType(final_text) = 'Object', concat('json {', arrayStringConcat(arraySort(JSONExtractKeys(final_text)), ', '), '}'),
          JSONType(final_text) = 'Array', 'json array',
          final_text = '', 'empty',
          'text') AS output_shape,
  toUInt8(final_out != '' AND match(final_text, {refusal:String})) AS refusal,
  toUInt32(lengthUTF8(final_text)) AS output_length,
  if(errors = 0, 'ok', if(first_error = '', 'error', first_error)) AS outcome,
  toUInt32(if(step_spans > 0, step_spans, llm)) AS steps,
  toUInt32(llm), toUInt32(length(tool_seq)),
  toUInt64(tok),
  toUInt64(greatest(0, toUnixTimestamp64Nano(last_end) - toUnixTimestamp64Nano(first_start)) / 1000000) AS duration_ms,
  toUInt32(length(tool_seq) - distinct_calls) AS loops,
  toUInt32(arrayCount((cur, prev) -> cur.1 = prev.1 AND prev.2 = 1, arrayPopFront(calls), arrayPopBack(calls))) AS retries,
  cost
FROM (
  SELECT
    project_id,
    session_key,
    any(session_id) AS sid,
    argMin(trace_id, start_time) AS tid,
    if(anyIf(agent_name, operation = 'invoke_agent' AND agent_name != '') != '',
       anyIf(agent_name, operation = 'invoke_agent' AND agent_name != ''),
       anyIf(agent_name, agent_name != '')) AS agent,
    min(start_time) AS first_start,
    max(end_time) AS last_end,
    anyIf(service_name, parent_span_id = '') AS root_svc,
    if(root_svc != '', root_svc, any(service_name)) AS svc,
    anyIf(environment, environment != '') AS env,
    anyIf(release, release != '') AS rel,
    arraySort(c -> c.3, groupArrayIf((toString(tool_name), toUInt8(status_code = 'ERROR'), start_time), operation = 'execute_tool')) AS calls,
    arrayMap(c -> c.1, calls) AS tool_seq,
    uniqExactIf((tool_name, cityHash64(input)), operation = 'execute_tool') AS distinct_calls,
    argMaxIf(finish_reasons[1], end_time, operation IN ${LLM_OPS} AND notEmpty(finish_reasons)) AS last_finish,
    if(argMaxIf(output, end_time, operation = 'invoke_agent' AND output != '') != '',
       argMaxIf(output, end_time, operation = 'invoke_agent' AND output != ''),
       argMaxIf(output, end_time, operation IN ${LLM_OPS} AND output != '')) AS final_out,
    ${TEXT_OF('final_out')} AS final_text,
    countIf(status_code = 'ERROR') AS errors,
    toString(argMinIf(error_type, start_time, status_code = 'ERROR')) AS first_error,
    countIf(operation = 'step') AS step_spans,
    countIf(operation IN ${LLM_OPS}) AS llm,
    sum(input_tokens + output_tokens) AS tok,
    sum(total_cost) AS cost
  FROM spans
  WHERE start_time >= fromUnixTimestamp64Milli({lookFrom:Int64}) AND start_time < fromUnixTimestamp64Milli({readTo:Int64})
  GROUP BY project_id, if(session_id != '', session_id, trace_id) AS session_key
  HAVING first_start >= fromUnixTimestamp64Milli({from:Int64}) AND first_start < fromUnixTimestamp64Milli({to:Int64}) AND agent != ''
)`;

/** drift_session_signals, or its staging twin where a day is recomputed before it is swapped in. */
export type SignalsTable = 'drift_session_signals' | 'drift_session_signals_staging';

export interface MaterializeOptions {
  /** How far past a chunk's end a session's spans are still read. */
  tailMs: number;
}

/**
 * Computes the signals of the sessions starting in [fromMs, toMs). Spans up to `tailMs` before
 * `fromMs` are read too, so that a session which started in the previous chunk is recognised as
 * such and not counted twice.
 */
export async function materializeRange(
  client: ClickHouseClient,
  fromMs: number,
  toMs: number,
  opts: MaterializeOptions,
  table: SignalsTable = 'drift_session_signals',
): Promise<void> {
  await client.command({
    query: materializeSql(table),
    query_params: { from: fromMs, to: toMs, lookFrom: fromMs - opts.tailMs, readTo: toMs + opts.tailMs, refusal: REFUSAL_PATTERN },
  });
}
