/**
 * Spend of agents and tools, which do not make model calls themselves, so the rollups' direct cost
 * of their spans is 0. How it is attributed (said in MetricsResponse.costAttribution):
 * - an agent: the cost of the traces it ran in (trace summaries), split evenly when a trace ran
 *   several agents. Model calls rarely carry their agent's name; the trace always knows its agents.
 * - a tool: the cost of the model calls in the steps that called it — the calls under the same
 *   parent span as the tool call (the step, or the agent run when there are no step spans) — split
 *   evenly among the distinct tools the step called. This reads the model-call and tool spans of the
 *   range (a few narrow columns), since no summary links a tool to the call that chose it.
 * Unpriced calls are counted for each group they are attributed to (a count, not split).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { MODEL_CALL_OPERATIONS } from '../span-row.js';
import { conditions, DAYS_OF_RANGE, select } from './common.js';
import type { RollupScope } from './rollups.js';

export type AttributedDimension = 'agent' | 'tool';

export interface AttributedRow {
  key: string;
  /** Bucket start, epoch seconds (0 when not bucketed). */
  t: string;
  cost: number;
  unpriced: string;
}

export interface AttributionQuery {
  dimension: AttributedDimension;
  scope: RollupScope;
  from: number;
  to: number;
  /** Bucket width in seconds; totals over the range when absent. */
  bucketSeconds?: number | undefined;
}

const MODEL_CALLS = MODEL_CALL_OPERATIONS.map((o) => `'${o}'`).join(', ');

/** Traces (by their summaries) in scope: a trace-level filter, as fixed SQL with parameters. */
function traceHaving(s: RollupScope): string {
  return conditions([
    [true, 'start >= fromUnixTimestamp64Milli({from:Int64}) AND start < fromUnixTimestamp64Milli({to:Int64})'],
    [s.service !== undefined, 'has(services, {service:String})'],
    [s.agent !== undefined, 'has(agents, {agent:String})'],
    [s.environment !== undefined, 'env = {environment:String}'],
    [s.tool !== undefined, 'has(tools, {tool:String})'],
    [s.model !== undefined, 'has(models, {model:String})'],
  ]);
}

const TRACES = (having: string) => `
  SELECT trace_id, min(t.start_time) AS start, groupUniqArrayArray(t.agents) AS agents, groupUniqArrayArray(t.services) AS services,
    groupUniqArrayArray(t.tools) AS tools, groupUniqArrayArray(t.models) AS models, max(t.environment) AS env,
    sum(t.total_cost) AS cost, sum(t.unpriced_calls) AS unpriced
  FROM trace_summaries AS t
  WHERE t.project_id = {projectId:String} AND ${DAYS_OF_RANGE}
  GROUP BY trace_id
  HAVING ${having}`;

function agentSql(q: AttributionQuery): string {
  const t = q.bucketSeconds ? "toUnixTimestamp(toStartOfInterval(start, INTERVAL {bucket:UInt32} SECOND, 'UTC'))" : '0';
  return `SELECT key, toString(${t}) AS t, sum(cost / length(agents)) AS cost, toString(sum(unpriced)) AS unpriced
    FROM (${TRACES(`notEmpty(agents) AND ${traceHaving(q.scope)}`)})
    ARRAY JOIN agents AS key
    ${q.scope.agent !== undefined ? 'WHERE key = {agent:String}' : ''}
    GROUP BY key, t ORDER BY key, t`;
}

function toolSql(q: AttributionQuery): string {
  const t = q.bucketSeconds ? "toUnixTimestamp(toStartOfInterval(start, INTERVAL {bucket:UInt32} SECOND, 'UTC'))" : '0';
  const where = conditions([
    [true, 'start_time >= fromUnixTimestamp64Milli({from:Int64}) AND start_time < fromUnixTimestamp64Milli({to:Int64})'],
    [true, 'project_id = {projectId:String}'],
    [true, `operation IN (${MODEL_CALLS}, 'execute_tool') AND parent_span_id != ''`],
    [q.scope.service !== undefined, 'service_name = {service:String}'],
    [q.scope.environment !== undefined, 'environment = {environment:String}'],
    [
      q.scope.agent !== undefined,
      `trace_id IN (SELECT trace_id FROM trace_summaries AS t WHERE t.project_id = {projectId:String} AND ${DAYS_OF_RANGE} AND has(t.agents, {agent:String}))`,
    ],
  ]);
  const modelCall =
    q.scope.model !== undefined
      ? `operation IN (${MODEL_CALLS}) AND if(response_model != '', response_model, request_model) = {model:String}`
      : `operation IN (${MODEL_CALLS})`;
  return `SELECT key, toString(${t}) AS t, sum(step_cost / length(tools)) AS cost, toString(sum(unpriced)) AS unpriced
    FROM (
      SELECT trace_id, parent_span_id, min(start_time) AS start,
        sumIf(total_cost, ${modelCall}) AS step_cost,
        countIf(${modelCall} AND cost_source = '') AS unpriced,
        groupUniqArrayIf(toString(tool_name), operation = 'execute_tool' AND tool_name != '') AS tools
      FROM spans
      WHERE ${where}
      GROUP BY trace_id, parent_span_id
      HAVING notEmpty(tools)
    )
    ARRAY JOIN tools AS key
    ${q.scope.tool !== undefined ? 'WHERE key = {tool:String}' : ''}
    GROUP BY key, t ORDER BY key, t`;
}

/** Attributed spend per agent or tool of a project (and per bucket when `bucketSeconds` is set). */
export async function attributedCost(client: ClickHouseClient, projectId: string, q: AttributionQuery): Promise<AttributedRow[]> {
  const { service, agent, environment, tool, model } = q.scope;
  const params = Object.fromEntries(
    Object.entries({ projectId, service, agent, environment, tool, model, from: q.from, to: q.to, bucket: q.bucketSeconds }).filter(
      ([, v]) => v !== undefined,
    ),
  );
  return select<AttributedRow>(client, q.dimension === 'agent' ? agentSql(q) : toolSql(q), params);
}
