/**
 * Scores (migration 17): written by the API, read for a trace or a session, summarised per name
 * over time for the overview, and used as a filter of the trace and session lists.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { ScoreInput } from '@sightline/contract';
import type { Score, ScoreListQuery, ScoreSource, ScoreSummary } from '@sightline/contract';
import type { z } from 'zod';
import { SightlineError } from '../../errors.js';
import { conditions, DAYS_OF_RANGE, resolveRange, select, toNumber } from './common.js';

type ParsedScore = z.output<typeof ScoreInput>;

/** Stores scores; a score whose id was sent before replaces it. Returns the ids, in order. */
export async function insertScores(
  client: ClickHouseClient,
  projectId: string,
  scores: ParsedScore[],
  now = Date.now(),
): Promise<string[]> {
  const rows = scores.map((s) => ({
    project_id: projectId,
    score_id: s.id ?? randomUUID(),
    timestamp: ((s.timestamp ?? now) / 1000).toFixed(3),
    trace_id: s.traceId ?? '',
    span_id: s.spanId ?? '',
    session_id: s.sessionId ?? '',
    name: s.name,
    value: s.value ?? null,
    label: s.label ?? '',
    source: s.source,
    comment: s.comment ?? '',
  }));
  await client.insert({ table: 'scores', format: 'JSONEachRow', values: rows });
  return rows.map((r) => r.score_id);
}

interface ScoreRow {
  score_id: string;
  trace_id: string;
  span_id: string;
  session_id: string;
  name: string;
  value: number | null;
  label: string;
  source: string;
  comment: string;
  ts_ns: string;
}

/** The traces of a session, for the scores that name only their trace (OpenTelemetry evaluations). */
const SESSION_TRACES = `trace_id IN (SELECT DISTINCT trace_id FROM spans WHERE project_id = {projectId:String} AND session_id = {sessionId:String})`;

export async function listScores(client: ClickHouseClient, projectId: string, q: ScoreListQuery): Promise<Score[]> {
  const where = conditions([
    [q.traceId !== undefined, 'trace_id = {traceId:String}'],
    [q.sessionId !== undefined, `(session_id = {sessionId:String} OR ${SESSION_TRACES})`],
    [q.name !== undefined, 'name = {name:String}'],
    [q.source !== undefined, 'source = {source:String}'],
    [q.from !== undefined, 'timestamp >= fromUnixTimestamp64Milli({from:Int64})'],
    [q.to !== undefined, 'timestamp < fromUnixTimestamp64Milli({to:Int64})'],
  ]);
  const rows = await select<ScoreRow>(
    client,
    `SELECT score_id, trace_id, span_id, session_id, name, value, label, source, comment,
       toString(toUnixTimestamp64Milli(timestamp) * 1000000) AS ts_ns
     FROM scores FINAL
     WHERE project_id = {projectId:String} AND ${where}
     ORDER BY timestamp DESC, score_id
     LIMIT {limit:UInt32}`,
    { projectId, ...q },
  );
  return rows.map((r) => ({
    id: r.score_id,
    traceId: r.trace_id,
    spanId: r.span_id,
    sessionId: r.session_id,
    name: r.name,
    value: r.value === null ? null : Number(r.value),
    label: r.label,
    source: r.source as ScoreSource,
    comment: r.comment,
    timestamp: r.ts_ns,
  }));
}

/** Buckets of at most ~120 points over the range, at least a minute. */
function bucketFor(from: number, to: number): number {
  const steps = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86_400];
  return steps.find((s) => (to - from) / 1000 / s <= 120) ?? 86_400 * 7;
}

export async function scoreSummary(
  client: ClickHouseClient,
  projectId: string,
  range: { from?: number | undefined; to?: number | undefined; bucketSeconds?: number | undefined },
): Promise<ScoreSummary> {
  const { from, to } = resolveRange(range.from, range.to);
  const bucket = range.bucketSeconds ?? bucketFor(from, to);
  const params = { projectId, from, to, bucket };
  const RANGE = `project_id = {projectId:String} AND timestamp >= fromUnixTimestamp64Milli({from:Int64})
    AND timestamp < fromUnixTimestamp64Milli({to:Int64})`;
  const [totals, points, labels] = await Promise.all([
    select<{ name: string; count: string; mean: number | null; labelled: string }>(
      client,
      `SELECT name, countIf(value IS NOT NULL) AS count, avgOrNullIf(value, value IS NOT NULL) AS mean,
         countIf(value IS NULL) AS labelled
       FROM scores FINAL WHERE ${RANGE} GROUP BY name ORDER BY name`,
      params,
    ),
    select<{ name: string; t: string; mean: number; count: string }>(
      client,
      `SELECT name, toUnixTimestamp(toStartOfInterval(timestamp, INTERVAL {bucket:UInt32} SECOND, 'UTC')) * 1000 AS t,
         avg(value) AS mean, count() AS count
       FROM scores FINAL WHERE ${RANGE} AND value IS NOT NULL GROUP BY name, t ORDER BY name, t`,
      params,
    ),
    select<{ name: string; label: string; count: string }>(
      client,
      `SELECT name, label, count() AS count FROM scores FINAL WHERE ${RANGE} AND label != ''
       GROUP BY name, label ORDER BY name, count DESC, label LIMIT 10 BY name`,
      params,
    ),
  ]);
  return {
    bucketSeconds: bucket,
    series: totals.map((s) => ({
      name: s.name,
      count: toNumber(s.count),
      mean: s.mean === null ? null : Number(s.mean),
      labelled: toNumber(s.labelled),
      points: points.filter((p) => p.name === s.name).map((p) => ({ t: Number(p.t), mean: Number(p.mean), count: toNumber(p.count) })),
      labels: labels.filter((l) => l.name === s.name).map((l) => ({ label: l.label, count: toNumber(l.count) })),
    })),
  };
}

export interface ScoreFilter {
  scoreName?: string | undefined;
  scoreMin?: number | undefined;
  scoreMax?: number | undefined;
  scoreLabel?: string | undefined;
}

/** The parameters of scoreCondition's SQL. */
export const scoreParams = (f: ScoreFilter): ScoreFilter => ({
  scoreName: f.scoreName,
  scoreMin: f.scoreMin,
  scoreMax: f.scoreMax,
  scoreLabel: f.scoreLabel,
});

/**
 * The SQL condition "this list row has a matching score", over the row's `idColumn` (trace_id or
 * session_id), or undefined without a score filter. A bound without a name is a 400 on `scoreName`.
 */
export function scoreCondition(f: ScoreFilter, idColumn: 'trace_id' | 'session_id'): string | undefined {
  if (f.scoreName === undefined) {
    if (f.scoreMin !== undefined || f.scoreMax !== undefined || f.scoreLabel !== undefined)
      throw new SightlineError('invalid_parameter', 'scoreName is required with scoreMin, scoreMax or scoreLabel', { field: 'scoreName' });
    return undefined;
  }
  const match = conditions([
    [true, 'project_id = {projectId:String} AND name = {scoreName:String}'],
    [f.scoreMin !== undefined, 'value >= {scoreMin:Float64}'],
    [f.scoreMax !== undefined, 'value <= {scoreMax:Float64}'],
    [f.scoreLabel !== undefined, 'label = {scoreLabel:String}'],
  ]);
  const ids = `SELECT ${idColumn} FROM scores FINAL WHERE ${match} AND ${idColumn} != ''`;
  if (idColumn === 'trace_id') return `trace_id IN (${ids})`;
  // A session is matched by its own scores and by the scores of its traces.
  return `(session_id IN (${ids}) OR session_id IN (SELECT session_id FROM spans WHERE project_id = {projectId:String}
    AND trace_id IN (SELECT trace_id FROM scores FINAL WHERE ${match} AND trace_id != '') AND session_id != ''))`;
}

/**
 * Mean and count of the numeric scores `name` in [from, to) (ms), optionally of the traces an agent
 * ran in (their summaries, over the days of the range).
 */
export async function scoreMean(
  client: ClickHouseClient,
  projectId: string,
  q: { name: string; agent?: string | undefined; from: number; to: number },
): Promise<{ mean: number | null; n: number }> {
  const agentTraces = `trace_id IN (SELECT trace_id FROM trace_summaries AS t
    WHERE t.project_id = {projectId:String} AND ${DAYS_OF_RANGE} AND has(t.agents, {agent:String}))`;
  const [row] = await select<{ mean: number | null; n: string }>(
    client,
    `SELECT avgOrNull(value) AS mean, count() AS n FROM scores FINAL
     WHERE project_id = {projectId:String} AND name = {name:String} AND value IS NOT NULL
       AND timestamp >= fromUnixTimestamp64Milli({from:Int64}) AND timestamp < fromUnixTimestamp64Milli({to:Int64})
       AND ${q.agent === undefined ? '1' : agentTraces}`,
    { projectId, ...q },
  );
  return { mean: row?.mean === null || row?.mean === undefined ? null : Number(row.mean), n: toNumber(row?.n) };
}
