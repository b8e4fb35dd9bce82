import type { ClickHouseClient } from '@clickhouse/client';
import type { Span, TraceDetail, TraceList, TraceListQuery, TraceSummary } from '@sightline/contract';
import { SightlineError } from '../../errors.js';
import { MODEL_CALL_OPERATIONS } from '../span-row.js';
import { attachLogs, traceLogs } from './trace-logs.js';
import { conditions, DAY_MS, decodeCursor, encodeCursor, nsDiffMs, resolveRange, select, type TimeRange, toNumber, usd } from './common.js';
import { scoreCondition, scoreParams } from './scores.js';
import { matchingIds, SEARCH_SLACK_MS, spanSearch } from './search.js';
import { newestFirst, type TimeWindow } from './newest-first.js';
import { SORT_KEY, tracePageSql } from './trace-page.js';

interface TraceSummaryRow {
  trace_id: string;
  start_ns: string;
  end_ns: string;
  root_name: string;
  root_service: string;
  session_id: string;
  agents: string[];
  tools: string[];
  models: string[];
  span_count: string;
  error_count: string;
  input_tokens: string;
  output_tokens: string;
  environment: string;
  total_cost: number;
  unpriced_calls: string;
}

/** Folds the partial rows of trace_summaries into one row per trace. */
export const TRACE_SUMMARY_COLUMNS = `
  trace_id,
  toString(toUnixTimestamp64Nano(min(t.start_time))) AS start_ns,
  toString(toUnixTimestamp64Nano(max(t.end_time))) AS end_ns,
  argMinMerge(t.root_name) AS root_name,
  argMinMerge(t.root_service) AS root_service,
  max(t.session_id) AS session_id,
  groupUniqArrayArray(t.agents) AS agents,
  groupUniqArrayArray(t.tools) AS tools,
  groupUniqArrayArray(t.models) AS models,
  sum(t.span_count) AS span_count,
  sum(t.error_count) AS error_count,
  sum(t.input_tokens) AS input_tokens,
  sum(t.output_tokens) AS output_tokens,
  max(t.environment) AS environment,
  sum(t.total_cost) AS total_cost,
  sum(t.unpriced_calls) AS unpriced_calls`;

export function toTraceSummary(r: TraceSummaryRow): TraceSummary {
  const errors = toNumber(r.error_count);
  return {
    traceId: r.trace_id,
    startTime: r.start_ns,
    endTime: r.end_ns,
    durationMs: nsDiffMs(r.start_ns, r.end_ns),
    rootName: r.root_name,
    serviceName: r.root_service,
    sessionId: r.session_id,
    agents: [...r.agents].sort(),
    tools: [...r.tools].sort(),
    models: [...r.models].sort(),
    spanCount: toNumber(r.span_count),
    errorCount: errors,
    status: errors > 0 ? 'error' : 'ok',
    inputTokens: toNumber(r.input_tokens),
    outputTokens: toNumber(r.output_tokens),
    environment: r.environment,
    costUsd: usd(r.total_cost),
    unpricedCalls: toNumber(r.unpriced_calls),
  };
}

/** The trace list's filters, without its page (the span export takes the same). */
export type TraceFilters = Omit<TraceListQuery, 'sort' | 'limit' | 'cursor'>;

/**
 * The conditions over `trace_summaries AS t` that keep the traces the filters describe: `where` on
 * its rows (score, content search) and `having` once grouped by trace_id (started in the range, then
 * each other filter given), and their parameters, `from` and `to` resolved. Fixed SQL fragments chosen by which filters are present; values are parameters.
 */
export function traceFilter(
  q: TraceFilters,
  now = Date.now(),
): { where: string; having: string; params: Record<string, unknown> & TimeRange } {
  const { from, to } = resolveRange(q.from, q.to, now);
  const scored = scoreCondition(q, 'trace_id');
  const search = spanSearch(q.q);
  const having = conditions([
    [true, 'min(t.start_time) >= fromUnixTimestamp64Milli({from:Int64}) AND min(t.start_time) < fromUnixTimestamp64Milli({to:Int64})'],
    // "One of its rows names it", the same answer as has(groupUniqArrayArray(…)) without building
    // an array per trace (issue 19).
    [q.service !== undefined, 'countIf(has(t.services, {service:String})) > 0'],
    [q.agent !== undefined, 'countIf(has(t.agents, {agent:String})) > 0'],
    [q.tool !== undefined, 'countIf(has(t.tools, {tool:String})) > 0'],
    [q.model !== undefined, 'countIf(has(t.models, {model:String})) > 0'],
    [q.environment !== undefined, 'max(t.environment) = {environment:String}'],
    [q.session !== undefined, 'max(t.session_id) = {session:String}'],
    [q.status === 'error', 'sum(t.error_count) > 0'],
    [q.status === 'ok', 'sum(t.error_count) = 0'],
    [q.minDurationMs !== undefined, `${SORT_KEY.duration} >= toInt64({minDurationMs:Float64} * 1000000)`],
  ]);
  // Row filters (not folded per trace): a score of the trace, words in the trace's spans.
  const where = conditions([
    [scored !== undefined, scored ?? ''],
    [search !== undefined, search ? `trace_id IN (${matchingIds(search, 'trace_id')})` : ''],
  ]);
  const params = {
    from,
    to,
    service: q.service,
    agent: q.agent,
    tool: q.tool,
    model: q.model,
    environment: q.environment,
    session: q.session,
    minDurationMs: q.minDurationMs,
    ...scoreParams(q),
    ...search?.params,
    searchTo: to + SEARCH_SLACK_MS,
  };
  return { where, having, params };
}

/**
 * A page of traces in two steps. The first folds only what the filters and the sort need, per
 * trace, and keeps the page's ids; the second reads the full summaries of those few ids by primary
 * key, from the day before the range's (newest first: the page's) first day on, not every day kept.
 * Newest first (without content search), the first step walks back in windows of time
 * (newest-first.ts, trace-page.ts): it folds the traces of the page's last days, not of the range.
 */
export async function listTraces(client: ClickHouseClient, projectId: string, q: TraceListQuery): Promise<TraceList> {
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  if (q.cursor !== undefined && (!cursor || cursor.kind !== q.sort)) {
    throw new SightlineError('invalid_parameter', 'cursor is not one this API returned for this sort', { field: 'cursor' });
  }
  const filter = traceFilter(q);
  const params = { projectId, ...filter.params, cursorKey: cursor?.ns, cursorId: cursor?.id };
  const pageOf = (w: TimeWindow | undefined, n: number) =>
    select<{ trace_id: string; sort_key: string }>(client, tracePageSql(q.sort, filter, { cursor: cursor !== undefined }, w), {
      ...params,
      limit: n,
      winLo: w?.lo,
      winHi: w?.hi,
    });
  const { from, to } = filter.params;
  // A search reads spans over the whole range in each query: one query, its ids are few anyway.
  const page =
    q.sort === 'start' && spanSearch(q.q) === undefined
      ? await newestFirst(from, Math.min(to, cursor ? Number(BigInt(cursor.ns) / 1_000_000n) + 1 : to), to, q.limit + 1, pageOf)
      : await pageOf(undefined, q.limit + 1);
  const shown = page.slice(0, q.limit);
  const last = shown[shown.length - 1];
  const byId = new Map(
    (
      await traceSummariesById(
        client,
        projectId,
        shown.map((r) => r.trace_id),
        // Newest first, the page's rows start from its last trace's start on (as in a window).
        q.sort === 'start' && last ? Math.max(from, Number(BigInt(last.sort_key) / 1_000_000n) - DAY_MS) : from,
      )
    ).map((t) => [t.traceId, t]),
  );
  const traces = shown.map((r) => byId.get(r.trace_id)).filter((t): t is TraceSummary => t !== undefined);
  return {
    traces,
    nextCursor: page.length > q.limit && last ? encodeCursor(last.sort_key, last.trace_id, q.sort) : null,
  };
}

/**
 * Summaries of the given traces, keyed by the primary key of trace_summaries; with `sinceMs`, from
 * the summary day before that time on (the days the lists read: DAYS_OF_RANGE), not every day kept.
 */
export async function traceSummariesById(
  client: ClickHouseClient,
  projectId: string,
  traceIds: string[],
  sinceMs?: number,
): Promise<TraceSummary[]> {
  if (traceIds.length === 0) return [];
  const since = sinceMs === undefined ? '' : ` AND day >= toDate(fromUnixTimestamp64Milli(greatest({since:Int64} - ${DAY_MS}, 0)), 'UTC')`;
  const rows = await select<TraceSummaryRow>(
    client,
    `SELECT ${TRACE_SUMMARY_COLUMNS} FROM trace_summaries AS t WHERE project_id = {projectId:String} AND trace_id IN {ids:Array(String)}${since}
     GROUP BY trace_id ORDER BY min(t.start_time)`,
    { projectId, ids: traceIds, since: sinceMs },
  );
  return rows.map(toTraceSummary);
}

/** A stored span as read for the API (SPAN_COLUMNS). */
export interface SpanDbRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  name: string;
  kind: string;
  start_ns: string;
  end_ns: string;
  status_code: 'UNSET' | 'OK' | 'ERROR';
  status_message: string;
  service_name: string;
  session_id: string;
  operation: string;
  agent_name: string;
  tool_name: string;
  tool_call_id: string;
  request_model: string;
  response_model: string;
  provider: string;
  input_tokens: string;
  output_tokens: string;
  cache_read_tokens: string;
  cache_write_tokens: string;
  reasoning_tokens: string;
  input_cost: number;
  output_cost: number;
  total_cost: number;
  cost_source: 'reported' | 'custom' | 'database' | '';
  finish_reasons: string[];
  error_type: string;
  environment: string;
  release: string;
  convention: string;
  input: string;
  output: string;
  span_attributes: Record<string, string>;
  resource_attributes: Record<string, string>;
  event_ns: string[];
  event_names: string[];
  event_attributes: Record<string, string>[];
  link_trace_ids: string[];
  link_span_ids: string[];
  link_attributes: Record<string, string>[];
}

/** The columns of a span as SpanDbRow reads them. */
export const SPAN_COLUMNS = `trace_id, span_id, parent_span_id, name, kind,
       toString(toUnixTimestamp64Nano(start_time)) AS start_ns, toString(toUnixTimestamp64Nano(end_time)) AS end_ns,
       status_code, status_message, service_name, session_id, operation, agent_name, tool_name, tool_call_id,
       request_model, response_model, provider, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
       reasoning_tokens, input_cost, output_cost, total_cost, cost_source, finish_reasons, error_type,
       environment, release, convention, input, output, span_attributes, resource_attributes,
       arrayMap(t -> toString(toUnixTimestamp64Nano(t)), event_times) AS event_ns, event_names, event_attributes,
       link_trace_ids, link_span_ids, link_attributes`;

const MAX_TRACE_SPANS = 20_000;

export async function getTrace(client: ClickHouseClient, projectId: string, traceId: string): Promise<TraceDetail> {
  // The summary's key lookup gives the time bounds that prune the spans table to a few parts.
  const [bounds] = await select<{ lo: string; hi: string; n: string }>(
    client,
    `SELECT toString(toUnixTimestamp64Nano(min(start_time))) AS lo, toString(toUnixTimestamp64Nano(max(end_time))) AS hi, count() AS n
     FROM trace_summaries AS t WHERE project_id = {projectId:String} AND trace_id = {id:String}`,
    { projectId, id: traceId },
  );
  if (!bounds || toNumber(bounds.n) === 0) throw new SightlineError('not_found', `trace ${traceId} not found`);
  const rows = await select<SpanDbRow>(
    client,
    `SELECT ${SPAN_COLUMNS}
     FROM spans
     WHERE project_id = {projectId:String} AND trace_id = {id:String}
       AND start_time >= fromUnixTimestamp64Nano({lo:Int64}) AND start_time <= fromUnixTimestamp64Nano({hi:Int64})
     ORDER BY start_time, end_time DESC, span_id, ingested_at DESC
     LIMIT 1 BY span_id
     LIMIT {max:UInt32}`,
    { projectId, id: traceId, lo: bounds.lo, hi: bounds.hi, max: MAX_TRACE_SPANS },
  );
  const spans = rows.map(toSpan);
  attachLogs(spans, await traceLogs(client, projectId, traceId, bounds.lo, bounds.hi));
  let total = 0;
  let unpriced = 0;
  for (const s of spans) {
    total += s.costUsd ?? 0;
    if (isModelCall(s.operation) && s.costSource === '') unpriced++;
  }
  return { traceId, spans, totalCostUsd: total, unpricedCalls: unpriced };
}

export function toSpan(r: SpanDbRow): Span {
  return {
    traceId: r.trace_id,
    spanId: r.span_id,
    parentSpanId: r.parent_span_id,
    name: r.name,
    kind: r.kind,
    startTime: r.start_ns,
    endTime: r.end_ns,
    durationMs: nsDiffMs(r.start_ns, r.end_ns),
    statusCode: r.status_code,
    statusMessage: r.status_message,
    serviceName: r.service_name,
    sessionId: r.session_id,
    operation: r.operation,
    agentName: r.agent_name,
    toolName: r.tool_name,
    toolCallId: r.tool_call_id,
    requestModel: r.request_model,
    responseModel: r.response_model,
    provider: r.provider,
    inputTokens: toNumber(r.input_tokens),
    outputTokens: toNumber(r.output_tokens),
    cacheReadTokens: toNumber(r.cache_read_tokens),
    cacheWriteTokens: toNumber(r.cache_write_tokens),
    reasoningTokens: toNumber(r.reasoning_tokens),
    ...spanCost(r),
    finishReasons: r.finish_reasons,
    errorType: r.error_type,
    environment: r.environment,
    release: r.release,
    convention: r.convention,
    input: r.input,
    output: r.output,
    attributes: r.span_attributes,
    resourceAttributes: r.resource_attributes,
    events: r.event_ns.map((time, i) => ({ time, name: r.event_names[i] ?? '', attributes: r.event_attributes[i] ?? {} })),
    links: r.link_trace_ids.map((traceId, i) => ({
      traceId,
      spanId: r.link_span_ids[i] ?? '',
      attributes: r.link_attributes[i] ?? {},
    })),
    logs: [],
  };
}

const MODEL_CALLS: ReadonlySet<string> = new Set(MODEL_CALL_OPERATIONS);
const isModelCall = (operation: string) => MODEL_CALLS.has(operation);

/** A model call's cost, or nulls: on other spans, and on an unpriced call (never shown as $0). */
function spanCost(r: SpanDbRow): Pick<Span, 'costUsd' | 'inputCostUsd' | 'outputCostUsd' | 'costSource'> {
  const priced = r.cost_source !== '' && isModelCall(r.operation);
  return {
    costUsd: priced ? usd(r.total_cost) : null,
    inputCostUsd: priced ? usd(r.input_cost) : null,
    outputCostUsd: priced ? usd(r.output_cost) : null,
    costSource: r.cost_source,
  };
}
