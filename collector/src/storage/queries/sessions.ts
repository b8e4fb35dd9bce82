import type { ClickHouseClient } from '@clickhouse/client';
import type { PathStep, SessionDetail, SessionList, SessionListQuery, SessionSummary } from '@sightline/contract';
import { SightlineError } from '../../errors.js';
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
} from './common.js';
import { scoreCondition } from './scores.js';
import { matchingIds, SEARCH_SLACK_MS, spanSearch } from './search.js';
import { traceSummariesById } from './traces.js';

interface SessionRow {
  session_id: string;
  first_ns: string;
  last_ns: string;
  trace_count: string;
  span_count: string;
  error_count: string;
  llm_calls: string;
  tool_calls: string;
  input_tokens: string;
  output_tokens: string;
  total_cost: number;
  unpriced_calls: string;
  tools: string[];
  agents: string[];
  services: string[];
}

const SESSION_COLUMNS = `
  session_id,
  toString(toUnixTimestamp64Nano(min(t.first_seen))) AS first_ns,
  toString(toUnixTimestamp64Nano(max(t.last_seen))) AS last_ns,
  uniqExactMerge(t.traces) AS trace_count,
  sum(t.span_count) AS span_count,
  sum(t.error_count) AS error_count,
  sum(t.llm_calls) AS llm_calls,
  sum(t.tool_calls) AS tool_calls,
  sum(t.input_tokens) AS input_tokens,
  sum(t.output_tokens) AS output_tokens,
  sum(t.total_cost) AS total_cost,
  sum(t.unpriced_calls) AS unpriced_calls,
  groupUniqArrayArray(t.tools) AS tools,
  groupUniqArrayArray(t.agents) AS agents,
  groupUniqArrayArray(t.services) AS services`;

function toSessionSummary(r: SessionRow): SessionSummary {
  return {
    sessionId: r.session_id,
    firstSeen: r.first_ns,
    lastSeen: r.last_ns,
    durationMs: nsDiffMs(r.first_ns, r.last_ns),
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
  };
}

/** Sort keys, integers so a cursor holds them exactly: last activity in ns, or spend in nano-dollars. */
const SESSION_SORT_KEY = {
  recent: 'toUnixTimestamp64Nano(max(t.last_seen))',
  cost: COST_SORT_KEY,
} as const;

/** The session list's filters, without its page (the span export takes the same). */
export type SessionFilters = Omit<SessionListQuery, 'sort' | 'limit' | 'cursor'>;

/**
 * The conditions over `session_summaries AS t` that keep the sessions the filters describe: `where`
 * on its rows (score, content search) and `having` once grouped by session_id (active in the range,
 * then each other filter given), and their parameters, `from` and `to` resolved.
 */
export function sessionFilter(q: SessionFilters, now = Date.now()): { where: string; having: string; params: Record<string, unknown> } {
  const { from, to } = resolveRange(q.from, q.to, now);
  const scored = scoreCondition(q, 'session_id');
  const search = spanSearch(q.q);
  // One plain word also finds the sessions whose id contains it, as `q` did before content search.
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
  const params = {
    from,
    to,
    service: q.service,
    agent: q.agent,
    environment: q.environment,
    scoreName: q.scoreName,
    scoreMin: q.scoreMin,
    scoreMax: q.scoreMax,
    scoreLabel: q.scoreLabel,
    ...search?.params,
    searchTo: to + SEARCH_SLACK_MS,
    sessionIdPart: byId ? search.parsed[0]!.text : undefined,
  };
  return { where, having, params };
}

/** Sessions active in the range, most recently active (or most expensive) first. */
export async function listSessions(
  client: ClickHouseClient,
  projectId: string,
  q: Omit<SessionListQuery, 'sort'> & { sort?: SessionListQuery['sort'] | undefined },
): Promise<SessionList> {
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  const sort = q.sort ?? 'recent';
  if (q.cursor !== undefined && (!cursor || cursor.kind !== (sort === 'recent' ? 'start' : sort)))
    throw new SightlineError('invalid_parameter', 'cursor is not one this API returned for this sort', { field: 'cursor' });
  const sortKey = SESSION_SORT_KEY[sort];
  const filter = sessionFilter(q);
  const having = conditions([
    [true, filter.having],
    [cursor !== undefined, `(${sortKey}, session_id) < ({cursorNs:Int64}, {cursorId:String})`],
  ]);
  const rows = await select<SessionRow & { sort_key: string }>(
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
    sessions: shown.map(toSessionSummary),
    // 'start' for the default sort: cursors this API gave out before the cost sort existed stay valid.
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.sort_key, last.session_id, sort === 'recent' ? 'start' : sort) : null,
  };
}

const PATH_OPERATIONS = ['invoke_agent', 'step', 'execute_tool', 'chat', 'text_completion', 'generate_content', 'embeddings'];
const MAX_PATH_STEPS = 5_000;
/**
 * The traces a session detail lists, earliest first; they feed an IN list. A longer session shows
 * its first MAX_SESSION_TRACES traces, and `session.traceCount` still counts them all, so a client
 * sees that the list is cut (`traces.length < session.traceCount`) and can page through
 * `/traces?session=` instead.
 */
export const MAX_SESSION_TRACES = 1_000;

export async function getSession(client: ClickHouseClient, projectId: string, sessionId: string): Promise<SessionDetail> {
  const [row] = await select<SessionRow>(
    client,
    `SELECT ${SESSION_COLUMNS} FROM session_summaries AS t WHERE project_id = {projectId:String} AND session_id = {id:String}
     GROUP BY session_id`,
    { projectId, id: sessionId },
  );
  if (!row) throw new SightlineError('not_found', `session ${sessionId} not found`);
  const session = toSessionSummary(row);
  const bounds = { projectId, id: sessionId, lo: session.firstSeen, hi: session.lastSeen };
  const steps = await select<{
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
  }>(
    client,
    `SELECT trace_id, span_id, toString(toUnixTimestamp64Nano(start_time)) AS start_ns,
       toString(toUnixTimestamp64Nano(end_time)) AS end_ns, operation, name, agent_name, tool_name,
       if(response_model != '', response_model, request_model) AS model, status_code
     FROM spans
     WHERE project_id = {projectId:String} AND session_id = {id:String}
       AND start_time >= fromUnixTimestamp64Nano({lo:Int64}) AND start_time <= fromUnixTimestamp64Nano({hi:Int64})
       AND operation IN {ops:Array(String)}
     ORDER BY start_time, end_time DESC, span_id
     LIMIT 1 BY span_id
     LIMIT {max:UInt32}`,
    { ...bounds, ops: PATH_OPERATIONS, max: MAX_PATH_STEPS },
  );
  const traceIds = await select<{ trace_id: string }>(
    client,
    `SELECT trace_id FROM spans
     WHERE project_id = {projectId:String} AND session_id = {id:String}
       AND start_time >= fromUnixTimestamp64Nano({lo:Int64}) AND start_time <= fromUnixTimestamp64Nano({hi:Int64})
     GROUP BY trace_id
     ORDER BY min(start_time), trace_id
     LIMIT {max:UInt32}`,
    { ...bounds, max: MAX_SESSION_TRACES },
  );
  const traces = await traceSummariesById(
    client,
    projectId,
    traceIds.map((t) => t.trace_id),
  );
  const path: PathStep[] = steps.map((s) => ({
    traceId: s.trace_id,
    spanId: s.span_id,
    startTime: s.start_ns,
    durationMs: nsDiffMs(s.start_ns, s.end_ns),
    operation: s.operation,
    name: s.name,
    agentName: s.agent_name,
    toolName: s.tool_name,
    model: s.model,
    status: s.status_code === 'ERROR' ? 'error' : 'ok',
  }));
  return { session, traces, path };
}
