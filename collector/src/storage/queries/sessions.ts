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
  type TimeRange,
  toNumber,
  usd,
} from './common.js';
import { scoreCondition, scoreParams } from './scores.js';
import { matchingIds, SEARCH_SLACK_MS, spanSearch } from './search.js';
import { newestFirst, type TimeWindow } from './newest-first.js';
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
export function sessionFilter(
  q: SessionFilters,
  now = Date.now(),
): { where: string; having: string; params: Record<string, unknown> & TimeRange } {
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
    // One of its rows names it: has(groupUniqArrayArray(…))'s answer, without an array per session.
    [q.service !== undefined, 'countIf(has(t.services, {service:String})) > 0'],
    [q.agent !== undefined, 'countIf(has(t.agents, {agent:String})) > 0'],
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
    ...scoreParams(q),
    ...search?.params,
    searchTo: to + SEARCH_SLACK_MS,
    sessionIdPart: byId ? search.parsed[0]!.text : undefined,
  };
  return { where, having, params };
}

/**
 * Sessions active in the range, most recently active (or most expensive) first, in two steps: the
 * page's ids folded from only the sort key and the filters' columns, then the full summaries
 * (exact trace counts, arrays) of those ids alone, from the same days. Most recent first, the first
 * step walks back in windows of last activity (newest-first.ts): its cost follows the page (issue 19).
 */
export async function listSessions(
  client: ClickHouseClient,
  projectId: string,
  q: Omit<SessionListQuery, 'sort'> & { sort?: SessionListQuery['sort'] | undefined },
): Promise<SessionList> {
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  const sort = q.sort ?? 'recent';
  if (q.cursor !== undefined && (!cursor || cursor.kind !== (sort === 'recent' ? 'start' : sort)))
    throw new SightlineError('invalid_parameter', 'cursor is not one this API returned for this sort', { field: 'cursor' });
  const filter = sessionFilter(q);
  const params = { projectId, ...filter.params, cursorNs: cursor?.ns, cursorId: cursor?.id };
  const pageOf = (w: TimeWindow | undefined, n: number) =>
    select<{ session_id: string; sort_key: string }>(client, sessionPageSql(sort, filter, cursor !== undefined, w), {
      ...params,
      limit: n,
      winLo: w?.lo,
      winHi: w?.hi,
    });
  const { from, to } = filter.params;
  // A session can stay active after the range's end: the first window has no upper bound. A search
  // reads spans over the whole range in each query: one query, its ids are few anyway.
  const page =
    sort === 'recent' && spanSearch(q.q) === undefined
      ? await newestFirst(from, cursor ? Number(BigInt(cursor.ns) / 1_000_000n) + 1 : undefined, to, q.limit + 1, pageOf)
      : await pageOf(undefined, q.limit + 1);
  const shown = page.slice(0, q.limit);
  const rows =
    shown.length === 0
      ? []
      : await select<SessionRow>(
          client,
          `SELECT ${SESSION_COLUMNS} FROM session_summaries AS t
           WHERE project_id = {projectId:String} AND ${DAYS_OF_RANGE} AND session_id IN {ids:Array(String)}
           GROUP BY session_id`,
          { projectId, from, to, ids: shown.map((r) => r.session_id) },
        );
  const byId = new Map(rows.map((r) => [r.session_id, toSessionSummary(r)]));
  const last = shown[shown.length - 1];
  return {
    sessions: shown.map((r) => byId.get(r.session_id)).filter((x): x is SessionSummary => x !== undefined),
    // 'start' for the default sort: cursors this API gave out before the cost sort existed stay valid.
    nextCursor: page.length > q.limit && last ? encodeCursor(last.sort_key, last.session_id, sort === 'recent' ? 'start' : sort) : null,
  };
}

/**
 * The first step's SQL, in the window `w` of last activity if given. A session last active in
 * [lo, hi) has a summary row whose last activity is at or after lo: those rows (two light columns)
 * give the candidates, and only theirs are folded.
 */
function sessionPageSql(
  sort: 'recent' | 'cost',
  filter: ReturnType<typeof sessionFilter>,
  cursor: boolean,
  w: TimeWindow | undefined,
): string {
  const sortKey = SESSION_SORT_KEY[sort];
  const where = conditions([
    [true, filter.where],
    [
      w !== undefined && !w.rest,
      `session_id IN (SELECT session_id FROM session_summaries WHERE project_id = {projectId:String} AND ${DAYS_OF_RANGE}
         AND last_seen >= fromUnixTimestamp64Milli({winLo:Int64}))`,
    ],
  ]);
  const having = conditions([
    [true, filter.having],
    [cursor, `(${sortKey}, session_id) < ({cursorNs:Int64}, {cursorId:String})`],
    [w !== undefined, 'max(t.last_seen) >= fromUnixTimestamp64Milli({winLo:Int64})'],
    [w?.hi !== undefined, 'max(t.last_seen) < fromUnixTimestamp64Milli({winHi:Int64})'],
  ]);
  return `SELECT session_id, toString(${sortKey}) AS sort_key
     FROM session_summaries AS t
     WHERE project_id = {projectId:String} AND ${DAYS_OF_RANGE} AND ${where}
     GROUP BY session_id
     HAVING ${having}
     ORDER BY ${sortKey} DESC, session_id DESC
     LIMIT {limit:UInt32}`;
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
