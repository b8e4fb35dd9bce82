/**
 * The one reader of the rollups (span_rollups_1m, and span_rollups_1h for the whole hours of a long
 * range: rollup-levels.ts): the metrics API and the alert evaluator both aggregate through it. Every
 * SQL fragment is fixed text chosen by which fields are set; values travel as query parameters.
 * Time functions name 'UTC': the tables' `minute` and `hour` have no zone.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { QUANTILES } from '../migrations/003-rollups.js';
import { conditions, select } from './common.js';
import { levelSource, planLevels } from './rollup-levels.js';

export type RollupGroupBy = 'none' | 'service' | 'operation' | 'agent' | 'tool' | 'model' | 'environment';

/** The grouping column for each dimension: a fixed map, never user text. */
const GROUP_COLUMN: Record<RollupGroupBy, string> = {
  none: "''",
  service: 'r.service_name',
  operation: 'r.operation',
  agent: 'r.agent_name',
  tool: 'r.tool_name',
  model: 'r.model',
  environment: 'r.environment',
};

/** Order of the quantiles in `RollupRow.q`. */
export const QUANTILE_INDEX = { p50: 0, p90: 1, p95: 2, p99: 3 } as const;

export interface RollupScope {
  service?: string | undefined;
  agent?: string | undefined;
  environment?: string | undefined;
  operation?: string | undefined;
  tool?: string | undefined;
  model?: string | undefined;
  rootOnly?: boolean | undefined;
}

/**
 * Which minutes: `range` is [start of from's minute, to), `window` is [from, to] (both ms), and
 * `sameHourBefore` is the UTC hour of `to` on each of the 7 previous days.
 */
export type RollupTime =
  { kind: 'range'; from: number; to: number } | { kind: 'window'; from: number; to: number } | { kind: 'sameHourBefore'; to: number };

/** The minutes of the alert windows; a range's are planned (rollup-levels.ts). */
const TIME: Record<Exclude<RollupTime['kind'], 'range'>, string> = {
  window: 'r.minute >= fromUnixTimestamp64Milli({from:Int64}) AND r.minute <= fromUnixTimestamp64Milli({to:Int64})',
  sameHourBefore: `r.minute >= toStartOfHour(fromUnixTimestamp64Milli({to:Int64}), 'UTC') - INTERVAL 7 DAY
  AND r.minute < toStartOfHour(fromUnixTimestamp64Milli({to:Int64}), 'UTC')
  AND toHour(r.minute, 'UTC') = toHour(fromUnixTimestamp64Milli({to:Int64}), 'UTC')`,
};

function scopeWhere(s: RollupScope): string {
  return conditions([
    [s.service !== undefined, 'r.service_name = {service:String}'],
    [s.agent !== undefined, 'r.agent_name = {agent:String}'],
    [s.environment !== undefined, 'r.environment = {environment:String}'],
    [s.operation !== undefined, 'r.operation = {operation:String}'],
    [s.tool !== undefined, 'r.tool_name = {tool:String}'],
    [s.model !== undefined, 'r.model = {model:String}'],
    [s.rootOnly === true, 'r.is_root = 1'],
  ]);
}

/** The scope's string filters as query parameters (rootOnly is a fixed fragment, not a parameter). */
function scopeParams(s: RollupScope): Record<string, string> {
  const { service, agent, environment, operation, tool, model } = s;
  const all = { service, agent, environment, operation, tool, model };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

export interface RollupQuery {
  groupBy: RollupGroupBy;
  scope: RollupScope;
  time: RollupTime;
}

export interface RollupRow {
  key: string;
  count: string;
  errors: string;
  /** Duration quantiles in ns, in QUANTILE_INDEX order. */
  q: Array<number | string>;
  input_tokens: string;
  output_tokens: string;
  input_cost: number;
  output_cost: number;
  total_cost: number;
  unpriced_calls: string;
}

const AGGREGATES = `
  sum(r.span_count) AS count,
  sum(r.error_count) AS errors,
  quantilesTDigestMerge(${QUANTILES})(r.duration_quantiles) AS q,
  sum(r.input_tokens) AS input_tokens,
  sum(r.output_tokens) AS output_tokens,
  sum(r.input_cost) AS input_cost,
  sum(r.output_cost) AS output_cost,
  sum(r.total_cost) AS total_cost,
  sum(r.unpriced_calls) AS unpriced_calls`;

/**
 * The group key, and the rows to aggregate as a FROM source aliased `r` with their parameters: a
 * range is planned over the minute and hour levels (`bucketSeconds`: the width of its points, if
 * any); alert windows read the minute table.
 */
function parts(projectId: string, q: RollupQuery, bucketSeconds?: number): { key: string; from: string; params: Record<string, unknown> } {
  const key = `toString(${GROUP_COLUMN[q.groupBy]})`;
  const where = `r.project_id = {projectId:String} AND ${scopeWhere(q.scope)}`;
  const params = { ...scopeParams(q.scope), projectId };
  if (q.time.kind === 'range') {
    const source = levelSource(planLevels(q.time.from, q.time.to, bucketSeconds), where);
    return { key, from: source.from, params: { ...params, ...source.params } };
  }
  const { kind, ...times } = q.time;
  return { key, from: `span_rollups_1m AS r WHERE ${where} AND ${TIME[kind]}`, params: { ...params, ...times } };
}

/** Aggregates per group key, plus (`reach`) distinct sessions and root spans; largest groups first. */
export async function rollupTotals(client: ClickHouseClient, projectId: string, q: RollupQuery): Promise<RollupRow[]>;
export async function rollupTotals(
  client: ClickHouseClient,
  projectId: string,
  q: RollupQuery,
  reach: true,
): Promise<Array<RollupRow & { sessions: string; traces: string }>>;
export async function rollupTotals(client: ClickHouseClient, projectId: string, q: RollupQuery, reach = false): Promise<RollupRow[]> {
  const { key, from, params } = parts(projectId, q);
  const extra = reach ? ', uniqMerge(r.sessions) AS sessions, sumIf(r.span_count, r.is_root = 1) AS traces' : '';
  return select<RollupRow>(client, `SELECT ${key} AS key, ${AGGREGATES}${extra} FROM ${from} GROUP BY key ORDER BY count DESC`, params);
}

/**
 * Aggregates per group key and bucket of `bucketSeconds` (`t`: the bucket's start, epoch seconds),
 * and per group key over the whole range (`t` null, with `reach` as in rollupTotals), from one read
 * of the rows: the buckets' states are merged first, and the totals merge those (a bucket count of
 * states per key rather than every minute's).
 */
export async function rollupSeriesAndTotals(
  client: ClickHouseClient,
  projectId: string,
  q: RollupQuery,
  bucketSeconds: number,
): Promise<Array<RollupRow & { t: string | null; sessions: string; traces: string }>> {
  const { key, from, params } = parts(projectId, q, bucketSeconds);
  return select<RollupRow & { t: string | null; sessions: string; traces: string }>(
    client,
    `SELECT b.t AS t, b.key AS key,
       sum(b.count) AS count, sum(b.errors) AS errors, quantilesTDigestMerge(${QUANTILES})(b.q) AS q,
       sum(b.input_tokens) AS input_tokens, sum(b.output_tokens) AS output_tokens,
       sum(b.input_cost) AS input_cost, sum(b.output_cost) AS output_cost, sum(b.total_cost) AS total_cost,
       sum(b.unpriced_calls) AS unpriced_calls, uniqMerge(b.sessions) AS sessions, sum(b.traces) AS traces
     FROM (
       SELECT toUnixTimestamp(toStartOfInterval(r.minute, INTERVAL {bucket:UInt32} SECOND, 'UTC')) AS t, ${key} AS key,
         sum(r.span_count) AS count, sum(r.error_count) AS errors, quantilesTDigestMergeState(${QUANTILES})(r.duration_quantiles) AS q,
         sum(r.input_tokens) AS input_tokens, sum(r.output_tokens) AS output_tokens,
         sum(r.input_cost) AS input_cost, sum(r.output_cost) AS output_cost, sum(r.total_cost) AS total_cost,
         sum(r.unpriced_calls) AS unpriced_calls, uniqMergeState(r.sessions) AS sessions, sumIf(r.span_count, r.is_root = 1) AS traces
       FROM ${from}
       GROUP BY t, key
     ) AS b
     GROUP BY GROUPING SETS ((t, key), (key))
     ORDER BY count DESC, key
     SETTINGS group_by_use_nulls = 1`,
    { ...params, bucket: bucketSeconds },
  );
}

/** Span counts per group key since `from`, over every key seen since `lookback` (a key gone quiet counts 0). */
export async function rollupCountsSeen(
  client: ClickHouseClient,
  projectId: string,
  q: Omit<RollupQuery, 'time'> & { lookback: number; from: number; to: number },
): Promise<Array<{ key: string; n: string }>> {
  const { key, from, params } = parts(projectId, { ...q, time: { kind: 'window', from: q.lookback, to: q.to } });
  return select<{ key: string; n: string }>(
    client,
    `SELECT ${key} AS key, sumIf(r.span_count, r.minute >= fromUnixTimestamp64Milli({since:Int64})) AS n
     FROM ${from} GROUP BY key`,
    { ...params, since: q.from },
  );
}

/** The distinct values of each dimension in a range, for filter pickers. */
export async function rollupDimensions(
  client: ClickHouseClient,
  projectId: string,
  range: { from: number; to: number },
): Promise<Record<'services' | 'agents' | 'environments' | 'operations' | 'tools' | 'models', string[]> | undefined> {
  const source = levelSource(planLevels(range.from, range.to), 'r.project_id = {projectId:String}');
  const [r] = await select<Record<'services' | 'agents' | 'environments' | 'operations' | 'tools' | 'models', string[]>>(
    client,
    `SELECT groupUniqArray(toString(r.service_name)) AS services, groupUniqArrayIf(toString(r.agent_name), r.agent_name != '') AS agents,
       groupUniqArrayIf(toString(r.environment), r.environment != '') AS environments, groupUniqArrayIf(toString(r.operation), r.operation != '') AS operations,
       groupUniqArrayIf(toString(r.tool_name), r.tool_name != '') AS tools, groupUniqArrayIf(toString(r.model), r.model != '') AS models
     FROM ${source.from}`,
    { projectId, ...source.params },
  );
  return r;
}
