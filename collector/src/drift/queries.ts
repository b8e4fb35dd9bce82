/**
 * The aggregates a drift report needs, computed by ClickHouse over drift_session_signals for many
 * agents at once: category counts and numeric histograms per side (baseline = 0, current = 1).
 * Statistics then run in TS over a few thousand rows, whatever the number of sessions.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { conditions, select } from '../storage/queries/common.js';
import { scoreAggregates, type ScoreAggregates } from './score-queries.js';

export interface SideSpec {
  from: number; // epoch ms, inclusive
  to: number; // epoch ms, exclusive
  release?: string;
  /** Only sessions starting in these UTC hours of day (a seasonally matched baseline). */
  hoursOfDay?: number[];
}

export interface Comparison {
  baseline: SideSpec;
  current: SideSpec;
  environment?: string;
}

export interface SideCounts {
  baseline: number;
  current: number;
}

export interface AgentAggregates {
  sessions: SideCounts;
  contentSessions: SideCounts;
  /** signal → category → counts. Session-level signals are complete; per-call ones count calls. */
  categories: Map<string, Map<string, SideCounts>>;
  /** Units per side for each categorical signal (sessions, or calls for per-call signals). */
  totals: Map<string, SideCounts>;
  /** signal → value → counts. */
  histograms: Map<string, Map<number, SideCounts>>;
  /** Paths never seen in the baseline; `baseline`/`current` are the sessions the tests ran on (after sampling). */
  novelty: { novelCurrent: number; current: number; baselineSingletons: number; baseline: number };
  /** Score name → per-session means (all scored sessions: scores are sparse, never sampled). */
  scores: Map<string, ScoreAggregates>;
}

/** Distinct categories kept per signal; the rest is folded into "(other)" from the totals. */
const TOP_CATEGORIES = 200;

/**
 * A baseline far larger than the current window adds almost no power (the effective sample size
 * is n_b·n_c / (n_b + n_c)) but costs time: it is sampled, by a hash of the session key, down to
 * max(BASELINE_MIN_SAMPLE, BASELINE_RATIO × current sessions). With ratio 5 the power lost is ≤ 17%.
 */
const BASELINE_MIN_SAMPLE = 20_000;
const BASELINE_RATIO = 5;

function base(projectId: string, cmp: Comparison): { sql: string; params: Record<string, unknown> } {
  const lo = Math.min(cmp.baseline.from, cmp.current.from);
  const hi = Math.max(cmp.baseline.to, cmp.current.to);
  const cur = conditions([
    [true, 'start_time >= fromUnixTimestamp64Milli({cFrom:Int64}) AND start_time < fromUnixTimestamp64Milli({cTo:Int64})'],
    [cmp.current.release !== undefined, 'release = {cRelease:String}'],
  ]);
  const bas = conditions([
    [true, 'start_time >= fromUnixTimestamp64Milli({bFrom:Int64}) AND start_time < fromUnixTimestamp64Milli({bTo:Int64})'],
    [cmp.baseline.release !== undefined, 'release = {bRelease:String}'],
    [cmp.baseline.hoursOfDay !== undefined, "toHour(start_time, 'UTC') IN {bHours:Array(UInt8)}"],
  ]);
  const where = conditions([
    [true, 'project_id = {projectId:String}'],
    [true, 'agent_name IN {agents:Array(String)}'],
    [true, 'start_time >= fromUnixTimestamp64Milli({lo:Int64}) AND start_time < fromUnixTimestamp64Milli({hi:Int64})'],
    [cmp.environment !== undefined, 'environment = {environment:String}'],
  ]);
  return {
    sql: `SELECT *, multiIf(${cur}, 1, ${bas}, 0, -1) AS side,
            side = 1 OR (side = 0 AND cityHash64(session_key) % greatest(1, arrayElement({mods:Array(UInt32)}, indexOf({agents:Array(String)}, toString(agent_name)))) = 0) AS keep
          FROM drift_session_signals WHERE ${where}`,
    params: {
      projectId,
      lo,
      hi,
      cFrom: cmp.current.from,
      cTo: cmp.current.to,
      cRelease: cmp.current.release,
      bFrom: cmp.baseline.from,
      bTo: cmp.baseline.to,
      bRelease: cmp.baseline.release,
      bHours: cmp.baseline.hoursOfDay,
      environment: cmp.environment,
    },
  };
}

const SESSION_CATEGORIES = `[
  ('tool.first', toString(first_tool)),
  ('path', path),
  ('finish_reason', toString(finish_reason)),
  ('output.shape', if(has_content = 1, toString(output_shape), '')),
  ('output.refusal', if(has_content = 1, if(refusal = 1, 'refusal', 'no refusal'), '')),
  ('outcome', toString(outcome))]`;

/** A session's step-to-step transitions, "start → a", "a → b", …, "z → end": one element per whole step pair. */
const TRANSITIONS = `arrayMap((x, y) -> concat(x, ' → ', y),
    arrayPushFront(arrayMap(t -> toString(t), tools), 'start'), arrayPushBack(arrayMap(t -> toString(t), tools), 'end'))`;

const CALL_CATEGORIES = `arrayConcat(
  arrayMap(t -> ('tool.choice', toString(t)), tools),
  arrayMap(t -> ('transition', t), ${TRANSITIONS}))`;

/** 3 significant digits: ≤ 1% resolution, a few hundred distinct values per decade. */
const bucket = (x: string) =>
  `if(${x} < 100, toFloat64(${x}), round(${x} / exp10(floor(log10(${x})) - 2)) * exp10(floor(log10(${x})) - 2))`;

const NUMERIC_VALUES = `[
  ('steps', toFloat64(steps)),
  ('llm_calls', toFloat64(llm_calls)),
  ('tool_calls', toFloat64(tool_calls)),
  ('loops', toFloat64(loops)),
  ('retries', toFloat64(retries)),
  ('tokens', ${bucket('tokens')}),
  ('duration_ms', ${bucket('duration_ms')}),
  ('cost', ${bucket('round(cost * 1000000)')} / 1000000),
  ('output.length', if(has_content = 1, ${bucket('output_length')}, -1))]`;

interface CatRow {
  agent: string;
  sig: string;
  cat: string;
  b: string;
  c: string;
  tb: string;
  tc: string;
}

export async function aggregate(
  client: ClickHouseClient,
  projectId: string,
  agents: string[],
  cmp: Comparison,
): Promise<Map<string, AgentAggregates>> {
  const { sql, params } = base(projectId, cmp);
  const counts = { ...params, agents, mods: agents.map(() => 1) };
  const categorical = (pairs: string) => `
    SELECT agent, sig, cat, b, c, tb, tc FROM (
      SELECT agent, sig, cat, b, c, sum(b) OVER (PARTITION BY agent, sig) AS tb, sum(c) OVER (PARTITION BY agent, sig) AS tc
      FROM (
        SELECT agent_name AS agent, pair.1 AS sig, pair.2 AS cat, countIf(side = 0) AS b, countIf(side = 1) AS c
        FROM (${sql}) ARRAY JOIN ${pairs} AS pair
        WHERE keep AND cat != ''
        GROUP BY agent, sig, cat))
    ORDER BY agent, sig, b + c DESC, cat
    LIMIT {top:UInt32} BY agent, sig`;
  const sessions = await select<{ agent: string; sb: string; sc: string; cb: string; cc: string }>(
    client,
    `SELECT agent_name AS agent, countIf(side = 0) AS sb, countIf(side = 1) AS sc,
         countIf(side = 0 AND has_content = 1) AS cb, countIf(side = 1 AND has_content = 1) AS cc
       FROM (${sql}) WHERE side >= 0 GROUP BY agent`,
    counts,
  );
  const bySessions = new Map(sessions.map((r) => [r.agent, r]));
  const mods = agents.map((a) => {
    const r = bySessions.get(a);
    return r ? Math.max(1, Math.floor(Number(r.sb) / Math.max(BASELINE_MIN_SAMPLE, BASELINE_RATIO * Number(r.sc)))) : 1;
  });
  const p = { ...params, agents, mods, top: TOP_CATEGORIES };
  // Sequential on purpose: the embedded engine runs one query at a time anyway.
  const [cats, calls, hist, novel] = [
    await select<CatRow>(client, categorical(SESSION_CATEGORIES), p),
    await select<CatRow>(client, categorical(CALL_CATEGORIES), p),
    await select<{ agent: string; sig: string; v: number; b: string; c: string }>(
      client,
      `SELECT agent_name AS agent, pair.1 AS sig, pair.2 AS v, countIf(side = 0) AS b, countIf(side = 1) AS c
       FROM (${sql}) ARRAY JOIN ${NUMERIC_VALUES} AS pair
       WHERE keep AND v >= 0
       GROUP BY agent, sig, v`,
      p,
    ),
    await select<{ agent: string; novel: string; cur: string; singletons: string; bas: string }>(
      client,
      `SELECT agent, sumIf(c, b = 0) AS novel, sum(c) AS cur, countIf(b = 1) AS singletons, sum(b) AS bas
       FROM (SELECT agent_name AS agent, path, countIf(side = 0) AS b, countIf(side = 1) AS c FROM (${sql}) WHERE keep GROUP BY agent, path)
       GROUP BY agent`,
      p,
    ),
  ] as const;
  const scores = await scoreAggregates(client, sql, { ...p, mods: agents.map(() => 1) }, Math.min(cmp.baseline.from, cmp.current.from));
  const out = new Map<string, AgentAggregates>();
  const get = (agent: string): AgentAggregates => {
    let a = out.get(agent);
    if (!a) {
      a = {
        sessions: { baseline: 0, current: 0 },
        contentSessions: { baseline: 0, current: 0 },
        categories: new Map(),
        totals: new Map(),
        histograms: new Map(),
        novelty: { novelCurrent: 0, current: 0, baselineSingletons: 0, baseline: 0 },
        scores: scores.get(agent) ?? new Map(),
      };
      out.set(agent, a);
    }
    return a;
  };
  for (const agent of agents) get(agent);
  for (const r of sessions) {
    const a = get(r.agent);
    a.sessions = { baseline: Number(r.sb), current: Number(r.sc) };
    a.contentSessions = { baseline: Number(r.cb), current: Number(r.cc) };
  }
  for (const r of [...cats, ...calls]) {
    const a = get(r.agent);
    let m = a.categories.get(r.sig);
    if (!m) a.categories.set(r.sig, (m = new Map()));
    m.set(r.cat, { baseline: Number(r.b), current: Number(r.c) });
    a.totals.set(r.sig, { baseline: Number(r.tb), current: Number(r.tc) });
  }
  for (const r of hist) {
    const a = get(r.agent);
    let m = a.histograms.get(r.sig);
    if (!m) a.histograms.set(r.sig, (m = new Map()));
    m.set(Number(r.v), { baseline: Number(r.b), current: Number(r.c) });
  }
  for (const r of novel) {
    get(r.agent).novelty = {
      novelCurrent: Number(r.novel),
      current: Number(r.cur),
      baselineSingletons: Number(r.singletons),
      baseline: Number(r.bas),
    };
  }
  return out;
}

/** Agents with sessions in the range (for the scheduled check and the dashboard's agent picker). */
export async function agentsWithSessions(client: ClickHouseClient, projectId: string, fromMs: number, toMs: number): Promise<string[]> {
  const rows = await select<{ agent: string }>(
    client,
    `SELECT DISTINCT agent_name AS agent FROM drift_session_signals
     WHERE project_id = {projectId:String}
       AND start_time >= fromUnixTimestamp64Milli({from:Int64}) AND start_time < fromUnixTimestamp64Milli({to:Int64})
     ORDER BY agent`,
    { projectId, from: fromMs, to: toMs },
  );
  return rows.map((r) => r.agent);
}

/** Projects with sessions in the range: the scheduled check runs once for each. */
export async function projectsWithSessions(client: ClickHouseClient, fromMs: number, toMs: number): Promise<string[]> {
  const rows = await select<{ p: string }>(
    client,
    `SELECT DISTINCT toString(project_id) AS p FROM drift_session_signals
     WHERE start_time >= fromUnixTimestamp64Milli({from:Int64}) AND start_time < fromUnixTimestamp64Milli({to:Int64})
     ORDER BY p`,
    { from: fromMs, to: toMs },
  );
  return rows.map((r) => r.p);
}

export interface ExampleSession {
  sessionKey: string;
  sessionId: string;
  traceId: string;
  startTime: string;
  path: string;
  steps: number;
  outputShape: string;
  outcome: string;
}

/** SQL that matches a session to a category of a signal, or orders it by a numeric signal. */
const MATCH: Record<string, string> = {
  'tool.first': 'toString(first_tool) = {cat:String}',
  path: 'path = {cat:String}',
  'path.novel': '1',
  finish_reason: 'toString(finish_reason) = {cat:String}',
  'output.shape': 'toString(output_shape) = {cat:String}',
  'output.refusal': "if(refusal = 1, 'refusal', 'no refusal') = {cat:String}",
  outcome: 'toString(outcome) = {cat:String}',
  'tool.choice': 'has(tools, {cat:String})',
  // Whole transitions, not a substring of the path ("search → end" is not in "web_search → end").
  transition: `has(${TRANSITIONS}, {cat:String})`,
};
const VALUE: Record<string, string> = {
  steps: 'steps',
  llm_calls: 'llm_calls',
  tool_calls: 'tool_calls',
  loops: 'loops',
  retries: 'retries',
  tokens: 'tokens',
  duration_ms: 'duration_ms',
  cost: 'cost',
  'output.length': 'output_length',
};

/**
 * Example sessions of one side for a signal: for a category, sessions in it (a stable pseudo-random
 * pick); for a numeric signal, the most extreme in the direction it moved (current) or the most
 * typical (baseline).
 */
export async function exampleSessions(
  client: ClickHouseClient,
  projectId: string,
  agent: string,
  cmp: Comparison,
  side: 0 | 1,
  signal: string,
  target: { category: string } | { direction: 1 | -1; median: number },
  limit = 3,
): Promise<ExampleSession[]> {
  const { sql, params } = base(projectId, cmp);
  const value = VALUE[signal];
  const filter = 'category' in target ? (MATCH[signal] ?? '1') : '1';
  const order =
    'category' in target || value === undefined
      ? 'cityHash64(session_key)'
      : side === 1
        ? `${value} * {dir:Int8} DESC`
        : `abs(toFloat64(${value}) - {median:Float64})`;
  const rows = await select<{
    session_key: string;
    session_id: string;
    trace_id: string;
    start_ns: string;
    path: string;
    steps: string;
    output_shape: string;
    outcome: string;
  }>(
    client,
    `SELECT session_key, session_id, trace_id, toString(toUnixTimestamp64Nano(start_time)) AS start_ns, path, steps,
       toString(output_shape) AS output_shape, toString(outcome) AS outcome
     FROM (${sql}) WHERE side = {side:Int8} AND ${filter}
     ORDER BY ${order} LIMIT {limit:UInt32}`,
    {
      ...params,
      agents: [agent],
      mods: [1],
      side,
      cat: 'category' in target ? target.category : '',
      dir: 'direction' in target ? target.direction : 1,
      median: 'median' in target ? target.median : 0,
      limit,
    },
  );
  return rows.map((r) => ({
    sessionKey: r.session_key,
    sessionId: r.session_id,
    traceId: r.trace_id,
    startTime: r.start_ns,
    path: r.path,
    steps: Number(r.steps),
    outputShape: r.output_shape,
    outcome: r.outcome,
  }));
}
