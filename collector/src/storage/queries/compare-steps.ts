/**
 * The ordered agent, tool and model-call steps of one session or one trace of a project, as a
 * compare reads them (with input, output, tokens, cost and error), or null when the project has no
 * such session or trace.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { CompareKind, CompareStep, StepKind } from '@sightline/contract';
import { MODEL_CALL_OPERATIONS } from '../span-row.js';
import { nsDiffMs, select, toNumber, usd } from './common.js';

/** At most this many steps per side are aligned (the alignment is O(n·m) in time and memory). */
export const MAX_COMPARE_STEPS = 2_000;

// `step` spans wrap a model call and its tools: their children are what a compare lines up.
const KIND_OF: Record<string, StepKind> = {
  invoke_agent: 'agent',
  execute_tool: 'tool',
  ...Object.fromEntries(MODEL_CALL_OPERATIONS.map((o) => [o, 'llm'])),
};
const OPERATIONS = Object.keys(KIND_OF);

interface StepRow {
  trace_id: string;
  span_id: string;
  start_ns: string;
  end_ns: string;
  operation: string;
  name: string;
  agent_name: string;
  tool_name: string;
  model: string;
  status_code: string;
  status_message: string;
  error_type: string;
  input: string;
  output: string;
  input_tokens: string;
  output_tokens: string;
  total_cost: number;
  cost_source: string;
}

/** Time bounds of the session or trace from its summary (key lookup), which prune the spans table. */
async function bounds(client: ClickHouseClient, projectId: string, kind: CompareKind, id: string) {
  const [row] = await select<{ lo: string; hi: string; n: string }>(
    client,
    kind === 'session'
      ? `SELECT toString(toUnixTimestamp64Nano(min(first_seen))) AS lo, toString(toUnixTimestamp64Nano(max(last_seen))) AS hi, count() AS n
         FROM session_summaries WHERE project_id = {projectId:String} AND session_id = {id:String}`
      : `SELECT toString(toUnixTimestamp64Nano(min(start_time))) AS lo, toString(toUnixTimestamp64Nano(max(end_time))) AS hi, count() AS n
         FROM trace_summaries WHERE project_id = {projectId:String} AND trace_id = {id:String}`,
    { projectId, id },
  );
  return row && toNumber(row.n) > 0 ? { lo: row.lo, hi: row.hi } : undefined;
}

export async function readCompareSteps(
  client: ClickHouseClient,
  projectId: string,
  kind: CompareKind,
  id: string,
): Promise<{ steps: CompareStep[]; truncated: boolean } | null> {
  const range = await bounds(client, projectId, kind, id);
  if (!range) return null;
  const rows = await select<StepRow>(
    client,
    `SELECT trace_id, span_id, toString(toUnixTimestamp64Nano(start_time)) AS start_ns,
       toString(toUnixTimestamp64Nano(end_time)) AS end_ns, operation, name, agent_name, tool_name,
       if(response_model != '', response_model, request_model) AS model, status_code, status_message, error_type,
       input, output, input_tokens, output_tokens, total_cost, cost_source
     FROM spans
     WHERE project_id = {projectId:String} AND ${kind === 'session' ? 'session_id' : 'trace_id'} = {id:String}
       AND start_time >= fromUnixTimestamp64Nano({lo:Int64}) AND start_time <= fromUnixTimestamp64Nano({hi:Int64})
       AND operation IN {ops:Array(String)}
     ORDER BY start_time, end_time DESC, span_id, ingested_at DESC
     LIMIT 1 BY span_id
     LIMIT {max:UInt32}`,
    { projectId, id, lo: range.lo, hi: range.hi, ops: OPERATIONS, max: MAX_COMPARE_STEPS + 1 },
  );
  return { steps: rows.slice(0, MAX_COMPARE_STEPS).map(toStep), truncated: rows.length > MAX_COMPARE_STEPS };
}

function toStep(r: StepRow): CompareStep {
  const kind = KIND_OF[r.operation] ?? 'agent';
  const failed = r.status_code === 'ERROR';
  return {
    traceId: r.trace_id,
    spanId: r.span_id,
    startTime: r.start_ns,
    durationMs: nsDiffMs(r.start_ns, r.end_ns),
    kind,
    operation: r.operation,
    name: (kind === 'tool' ? r.tool_name : kind === 'llm' ? r.model : r.agent_name) || r.name,
    spanName: r.name,
    agentName: r.agent_name,
    status: failed ? 'error' : 'ok',
    error: failed ? r.error_type || r.status_message : '',
    input: r.input,
    output: r.output,
    inputTokens: toNumber(r.input_tokens),
    outputTokens: toNumber(r.output_tokens),
    costUsd: kind === 'llm' && r.cost_source !== '' ? usd(r.total_cost) : null,
  };
}
