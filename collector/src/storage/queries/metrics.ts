import type { ClickHouseClient } from '@clickhouse/client';
import type { FilterValues, GroupBy, MetricPoint, MetricsResponse, MetricTotal, MetricValues } from '@sightline/contract';
import { attributedCost, type AttributedRow } from './cost-attribution.js';
import { resolveRange, toNumber, usd, type TimeRange } from './common.js';
import { rollupDimensions, rollupSeriesAndTotals, type RollupQuery, type RollupRow, type RollupScope } from './rollups.js';

export interface MetricsFilter extends Partial<TimeRange>, RollupScope {
  bucket?: number | undefined;
  groupBy: GroupBy;
}

const TARGET_BUCKETS = 60;
const NICE_BUCKETS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

const DAY_SECONDS = 86_400;

/** About 60 buckets over the range, on a round width (whole days past a day, so years stay about 60 buckets). */
export function chooseBucketSeconds(range: TimeRange): number {
  const ideal = (range.to - range.from) / 1000 / TARGET_BUCKETS;
  return NICE_BUCKETS.find((b) => b >= ideal) ?? Math.ceil(ideal / DAY_SECONDS) * DAY_SECONDS;
}

function values(r: RollupRow): MetricValues {
  const count = toNumber(r.count);
  const errors = toNumber(r.errors);
  const ms = (i: number) => (count === 0 ? null : Math.round(Number(r.q[i] ?? 0) / 1e3) / 1e3);
  return {
    count,
    errorCount: errors,
    errorRate: count === 0 ? 0 : errors / count,
    p50: ms(0),
    p90: ms(1),
    p95: ms(2),
    p99: ms(3),
    inputTokens: toNumber(r.input_tokens),
    outputTokens: toNumber(r.output_tokens),
    costUsd: usd(r.total_cost),
    inputCostUsd: usd(r.input_cost),
    outputCostUsd: usd(r.output_cost),
    unpricedCalls: toNumber(r.unpriced_calls),
  };
}

const EMPTY: MetricValues = {
  count: 0,
  errorCount: 0,
  errorRate: 0,
  p50: null,
  p90: null,
  p95: null,
  p99: null,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  inputCostUsd: 0,
  outputCostUsd: 0,
  unpricedCalls: 0,
};

const ATTRIBUTION = { agent: 'traces', tool: 'steps' } as const;

/**
 * Agents and tools make no model call themselves: their costUsd is replaced by the attributed
 * spend (cost-attribution.ts); the input/output split is not attributed and reads 0.
 */
function withAttributed(v: MetricValues, a: AttributedRow | undefined): MetricValues {
  return { ...v, costUsd: usd(a?.cost), inputCostUsd: 0, outputCostUsd: 0, unpricedCalls: toNumber(a?.unpriced) };
}

export async function queryMetrics(client: ClickHouseClient, projectId: string, f: MetricsFilter): Promise<MetricsResponse> {
  const range = resolveRange(f.from, f.to);
  const bucketSeconds = f.bucket ?? chooseBucketSeconds(range);
  const { groupBy, service, agent, environment, operation, tool, model, rootOnly } = f;
  const q: RollupQuery = {
    groupBy,
    scope: { service, agent, environment, operation, tool, model, rootOnly },
    time: { kind: 'range', ...range },
  };
  const attributed = groupBy === 'agent' || groupBy === 'tool' ? groupBy : undefined;
  const attribution = { scope: q.scope, from: range.from, to: range.to };
  const [rows, attrPoints] = await Promise.all([
    rollupSeriesAndTotals(client, projectId, q, bucketSeconds),
    attributed ? attributedCost(client, projectId, { dimension: attributed, ...attribution, bucketSeconds }) : [],
  ]);
  // Attributed spend is a plain sum: a key's total is the sum of its buckets (one read, not two).
  const attrTotal = new Map<string, AttributedRow>();
  for (const a of attrPoints) {
    const t = attrTotal.get(a.key);
    attrTotal.set(a.key, t ? { ...t, cost: t.cost + a.cost, unpriced: String(toNumber(t.unpriced) + toNumber(a.unpriced)) } : a);
  }
  const attrPoint = new Map(attrPoints.map((a) => [`${a.key}\u0000${a.t}`, a]));
  // Every series gets every bucket, so charts show gaps as zero traffic rather than joining points.
  const firstBucket = Math.floor(range.from / 1000 / bucketSeconds) * bucketSeconds;
  const bucketTimes: number[] = [];
  for (let t = firstBucket; t * 1000 < range.to; t += bucketSeconds) bucketTimes.push(t);
  // Totals (no bucket) come largest first; the points are placed by key and time.
  const totalRows = rows.filter((r) => r.t === null);
  const byKey = new Map<string, Map<number, MetricValues>>();
  for (const r of rows) {
    if (r.t === null) continue;
    const m = byKey.get(r.key) ?? new Map<number, MetricValues>();
    m.set(toNumber(r.t), values(r));
    byKey.set(r.key, m);
  }
  const totals: MetricTotal[] = totalRows.map((r) => ({
    key: r.key,
    ...(attributed ? withAttributed(values(r), attrTotal.get(r.key)) : values(r)),
    sessions: toNumber(r.sessions),
    traces: toNumber(r.traces),
  }));
  const series = totals.map((t) => {
    const m = byKey.get(t.key) ?? new Map<number, MetricValues>();
    const points: MetricPoint[] = bucketTimes.map((bt) => {
      const v = m.get(bt) ?? EMPTY;
      return { time: bt * 1000, ...(attributed ? withAttributed(v, attrPoint.get(`${t.key}\u0000${bt}`)) : v) };
    });
    return { key: t.key, points };
  });
  const costAttribution = attributed ? ATTRIBUTION[attributed] : 'direct';
  return { from: range.from, to: range.to, bucketSeconds, groupBy: f.groupBy, series, totals, costAttribution };
}

export async function filterValues(client: ClickHouseClient, projectId: string, range: Partial<TimeRange>): Promise<FilterValues> {
  const { from, to } = resolveRange(range.from, range.to);
  const r = await rollupDimensions(client, projectId, { from, to });
  const sorted = (a: string[] | undefined) => [...(a ?? [])].sort();
  return {
    services: sorted(r?.services),
    agents: sorted(r?.agents),
    environments: sorted(r?.environments),
    operations: sorted(r?.operations),
    tools: sorted(r?.tools),
    models: sorted(r?.models),
  };
}
