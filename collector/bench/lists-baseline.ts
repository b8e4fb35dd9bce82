/**
 * BASELINE, for comparison only: the trace and session list queries as they were on main before
 * issue 19 (commit cd95524), kept verbatim so the list benchmark (lists.bench.ts) times old and new
 * on the same data in the same run, and the equivalence test (lists-equivalence.test.ts) checks
 * that the new queries give the same answers. Not used by the collector.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { SessionList, SessionListQuery, TraceList, TraceListQuery, TraceSummary } from '@sightline/contract';
import {
  conditions,
  COST_SORT_KEY,
  DAYS_OF_RANGE,
  decodeCursor,
  encodeCursor,
  nsDiffMs,
  resolveRange,
  select,
  toNumber,
  usd,
} from '../src/storage/queries/common.js';
import { scoreCondition } from '../src/storage/queries/scores.js';
import { matchingIds, SEARCH_SLACK_MS, spanSearch } from '../src/storage/queries/search.js';
import type { SessionFilters } from '../src/storage/queries/sessions.js';
import { toTraceSummary, TRACE_SUMMARY_COLUMNS, type TraceFilters } from '../src/storage/queries/traces.js';

function traceFilter(q: TraceFilters, now = Date.now()) {
  const { from, to } = resolveRange(q.from, q.to, now);
  const scored = scoreCondition(q, 'trace_id');
  const search = spanSearch(q.q);
  const having = conditions([
    [true, 'min(t.start_time) >= fromUnixTimestamp64Milli({from:Int64}) AND min(t.start_time) < fromUnixTimestamp64Milli({to:Int64})'],
    [q.service !== undefined, 'has(groupUniqArrayArray(t.services), {service:String})'],
    [q.agent !== undefined, 'has(groupUniqArrayArray(t.agents), {agent:String})'],
    [q.tool !== undefined, 'has(groupUniqArrayArray(t.tools), {tool:String})'],
    [q.model !== undefined, 'has(groupUniqArrayArray(t.models), {model:String})'],
    [q.environment !== undefined, 'max(t.environment) = {environment:String}'],
    [q.session !== undefined, 'max(t.session_id) = {session:String}'],
    [q.status === 'error', 'sum(t.error_count) > 0'],
    [q.status === 'ok', 'sum(t.error_count) = 0'],
    [q.minDurationMs !== undefined, `${SORT_KEY.duration} >= toInt64({minDurationMs:Float64} * 1000000)`],
  ]);
  const where = conditions([
    [scored !== undefined, scored ?? ''],
    [search !== undefined, search ? `trace_id IN (${matchingIds(search, 'trace_id')})` : ''],
  ]);
  const { service, agent, tool, model, environment, session, minDurationMs, scoreName, scoreMin, scoreMax, scoreLabel } = q;
  const params = { from, to, service, agent, tool, model, environment, session, minDurationMs, scoreName, scoreMin, scoreMax, scoreLabel };
  return { where, having, params: { ...params, ...search?.params, searchTo: to + SEARCH_SLACK_MS } };
}

function sessionFilter(q: SessionFilters, now = Date.now()) {
  const { from, to } = resolveRange(q.from, q.to, now);
  const scored = scoreCondition(q, 'session_id');
  const search = spanSearch(q.q);
  const byId = search?.parsed.length === 1 && search.parsed[0]!.field === 'any';
  const where = conditions([
    [scored !== undefined, scored ?? ''],
    [
      search !== undefined,
      search
        ? `(session_id IN (${matchingIds(search, 'session_id')})${byId ? ' OR positionCaseInsensitiveUTF8(session_id, {sessionIdPart:String}) > 0' : ''})`
        : '',
    ],
  ]);
  const having = conditions([
    [true, 'max(t.last_seen) >= fromUnixTimestamp64Milli({from:Int64}) AND min(t.first_seen) < fromUnixTimestamp64Milli({to:Int64})'],
    [q.service !== undefined, 'has(groupUniqArrayArray(t.services), {service:String})'],
    [q.agent !== undefined, 'has(groupUniqArrayArray(t.agents), {agent:String})'],
    [q.environment !== undefined, 'max(t.environment) = {environment:String}'],
    [q.status === 'error', 'sum(t.error_count) > 0'],
    [q.status === 'ok', 'sum(t.error_count) = 0'],
  ]);
  const { service, agent, environment, scoreName, scoreMin, scoreMax, scoreLabel } = q;
  const params = {
    from,
    to,
    service,
    agent,
    environment,
    scoreName,
    scoreMin,
    scoreMax,
    scoreLabel,
    ...search?.params,
    searchTo: to + SEARCH_SLACK_MS,
    sessionIdPart: byId ? search.parsed[0]!.text : undefined,
  };
  return { where, having, params };
}

const SORT_KEY = {
  start: 'toUnixTimestamp64Nano(min(t.start_time))',
  duration: 'toUnixTimestamp64Nano(max(t.end_time)) - toUnixTimestamp64Nano(min(t.start_time))',
  cost: COST_SORT_KEY,
} as const;

export async function baselineListTraces(client: ClickHouseClient, projectId: string, q: TraceListQuery, now?: number): Promise<TraceList> {
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  if (q.cursor !== undefined && (!cursor || cursor.kind !== q.sort)) throw new Error('bad cursor');
  const sortKey = SORT_KEY[q.sort];
  const filter = traceFilter(q, now);
  const having = conditions([
    [true, filter.having],
    [cursor !== undefined, `(${sortKey}, trace_id) < ({cursorKey:Int64}, {cursorId:String})`],
  ]);
  const page = await select<{ trace_id: string; sort_key: string }>(
    client,
    `SELECT trace_id, toString(${sortKey}) AS sort_key
     FROM trace_summaries AS t
     WHERE project_id = {projectId:String} AND ${DAYS_OF_RANGE} AND ${filter.where}
     GROUP BY trace_id
     HAVING ${having}
     ORDER BY ${sortKey} DESC, trace_id DESC
     LIMIT {limit:UInt32}`,
    { projectId, ...filter.params, limit: q.limit + 1, cursorKey: cursor?.ns, cursorId: cursor?.id },
  );
  const shown = page.slice(0, q.limit);
  const rows =
    shown.length === 0
      ? []
      : await select<Parameters<typeof toTraceSummary>[0]>(
          client,
          `SELECT ${TRACE_SUMMARY_COLUMNS} FROM trace_summaries AS t WHERE project_id = {projectId:String} AND trace_id IN {ids:Array(String)}
           GROUP BY trace_id ORDER BY min(t.start_time)`,
          { projectId, ids: shown.map((r) => r.trace_id) },
        );
  const byId = new Map(rows.map(toTraceSummary).map((t) => [t.traceId, t]));
  const traces = shown.map((r) => byId.get(r.trace_id)).filter((t): t is TraceSummary => t !== undefined);
  const last = shown[shown.length - 1];
  return { traces, nextCursor: page.length > q.limit && last ? encodeCursor(last.sort_key, last.trace_id, q.sort) : null };
}

const SESSION_COLUMNS = `
  session_id,
  toString(toUnixTimestamp64Nano(min(t.first_seen))) AS first_ns,
  toString(toUnixTimestamp64Nano(max(t.last_seen))) AS last_ns,
  uniqExactMerge(t.traces) AS trace_count,
  sum(t.span_count) AS span_count, sum(t.error_count) AS error_count, sum(t.llm_calls) AS llm_calls,
  sum(t.tool_calls) AS tool_calls, sum(t.input_tokens) AS input_tokens, sum(t.output_tokens) AS output_tokens,
  sum(t.total_cost) AS total_cost, sum(t.unpriced_calls) AS unpriced_calls,
  groupUniqArrayArray(t.tools) AS tools, groupUniqArrayArray(t.agents) AS agents, groupUniqArrayArray(t.services) AS services`;

const SESSION_SORT_KEY = { recent: 'toUnixTimestamp64Nano(max(t.last_seen))', cost: COST_SORT_KEY } as const;

export async function baselineListSessions(
  client: ClickHouseClient,
  projectId: string,
  q: Omit<SessionListQuery, 'sort'> & { sort?: SessionListQuery['sort'] | undefined },
  now?: number,
): Promise<SessionList> {
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  const sort = q.sort ?? 'recent';
  const sortKey = SESSION_SORT_KEY[sort];
  const filter = sessionFilter(q, now);
  const having = conditions([
    [true, filter.having],
    [cursor !== undefined, `(${sortKey}, session_id) < ({cursorNs:Int64}, {cursorId:String})`],
  ]);
  const rows = await select<Record<string, string> & { tools: string[]; agents: string[]; services: string[]; total_cost: number }>(
    client,
    `SELECT ${SESSION_COLUMNS}, toString(${sortKey}) AS sort_key
     FROM session_summaries AS t
     WHERE project_id = {projectId:String} AND ${DAYS_OF_RANGE} AND ${filter.where}
     GROUP BY session_id
     HAVING ${having}
     ORDER BY ${sortKey} DESC, session_id DESC
     LIMIT {limit:UInt32}`,
    { projectId, ...filter.params, limit: q.limit + 1, cursorNs: cursor?.ns, cursorId: cursor?.id },
  );
  const shown = rows.slice(0, q.limit);
  const last = shown[shown.length - 1];
  return {
    sessions: shown.map((r) => ({
      sessionId: r.session_id!,
      firstSeen: r.first_ns!,
      lastSeen: r.last_ns!,
      durationMs: nsDiffMs(r.first_ns!, r.last_ns!),
      traceCount: toNumber(r.trace_count),
      spanCount: toNumber(r.span_count),
      errorCount: toNumber(r.error_count),
      llmCalls: toNumber(r.llm_calls),
      toolCalls: toNumber(r.tool_calls),
      inputTokens: toNumber(r.input_tokens),
      outputTokens: toNumber(r.output_tokens),
      costUsd: usd(r.total_cost),
      unpricedCalls: toNumber(r.unpriced_calls),
      tools: [...r.tools].sort(),
      agents: [...r.agents].sort(),
      services: [...r.services].sort(),
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.sort_key!, last.session_id!, sort === 'recent' ? 'start' : sort) : null,
  };
}
