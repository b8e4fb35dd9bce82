/**
 * Scores as drift signals: the per-session mean of each numeric score, per side, for many agents
 * at once. Read at report time from the scores table rather than materialized with the other
 * signals, because feedback and evaluations arrive after a session ends (often hours later) and a
 * score sent again replaces the older one.
 *
 * A score belongs to a session through its session id, or through the session of its trace (a
 * trace-level score carries no session id), or to the one-trace session its trace id names.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { select } from '../storage/queries/common.js';

/** Sessions on each side (baseline, current). */
interface SideCounts {
  baseline: number;
  current: number;
}

/** Score names tested per agent (the most frequent): each adds a test to the Holm correction. */
const TOP_SCORE_NAMES = 20;
/** Scores are looked for from this long before the compared range (clock skew between sources). */
const SCORE_SLACK_MS = 3_600_000;

export interface ScoreAggregates {
  /** Scored sessions per side. */
  sessions: SideCounts;
  /** Per-session mean score (3 decimals) → sessions per side. */
  histogram: Map<number, SideCounts>;
}

/**
 * `sides` is a SELECT over drift_session_signals with `agent_name`, `session_key` and `side`
 * (0 baseline, 1 current, -1 neither) columns, `params` its parameters (incl. projectId), and
 * `lo` the start of the earlier side (epoch ms).
 */
export async function scoreAggregates(
  client: ClickHouseClient,
  sides: string,
  params: Record<string, unknown>,
  lo: number,
): Promise<Map<string, Map<string, ScoreAggregates>>> {
  const rows = await select<{ agent: string; name: string; v: number; b: string; c: string }>(
    client,
    `WITH scored AS (
       SELECT name, value, session_id, trace_id FROM scores FINAL
       WHERE project_id = {projectId:String} AND value IS NOT NULL AND isFinite(assumeNotNull(value))
         AND timestamp >= fromUnixTimestamp64Milli({scoresFrom:Int64})
     ),
     trace_sessions AS (
       SELECT trace_id, max(session_id) AS sid FROM trace_summaries
       WHERE project_id = {projectId:String} AND trace_id IN (SELECT trace_id FROM scored WHERE session_id = '')
       GROUP BY trace_id
     ),
     keyed AS (
       SELECT s.name AS name, assumeNotNull(s.value) AS value,
         if(s.session_id != '', s.session_id, if(t.sid != '', t.sid, s.trace_id)) AS k
       FROM scored AS s LEFT JOIN trace_sessions AS t ON t.trace_id = s.trace_id
     ),
     per_session AS (
       SELECT d.agent_name AS agent, d.side AS side, k.name AS name, round(avg(k.value), 3) AS v
       FROM (SELECT toString(agent_name) AS agent_name, session_key, side FROM (${sides}) WHERE side >= 0) AS d
       INNER JOIN keyed AS k ON k.k = d.session_key
       GROUP BY agent, side, d.session_key, name
     ),
     top_names AS (
       SELECT agent, name FROM per_session GROUP BY agent, name
       ORDER BY agent, count() DESC, name LIMIT {topNames:UInt32} BY agent
     )
     SELECT agent, toString(name) AS name, v, countIf(side = 0) AS b, countIf(side = 1) AS c
     FROM per_session WHERE (agent, name) IN (SELECT agent, name FROM top_names)
     GROUP BY agent, name, v`,
    { ...params, scoresFrom: lo - SCORE_SLACK_MS, topNames: TOP_SCORE_NAMES },
  );
  const out = new Map<string, Map<string, ScoreAggregates>>();
  for (const r of rows) {
    let byName = out.get(r.agent);
    if (!byName) out.set(r.agent, (byName = new Map()));
    let s = byName.get(r.name);
    if (!s) byName.set(r.name, (s = { sessions: { baseline: 0, current: 0 }, histogram: new Map() }));
    const n = { baseline: Number(r.b), current: Number(r.c) };
    s.histogram.set(Number(r.v), n);
    s.sessions.baseline += n.baseline;
    s.sessions.current += n.current;
  }
  return out;
}
