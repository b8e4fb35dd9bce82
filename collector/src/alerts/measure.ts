/**
 * What a rule measures, per scope key, read from the minute rollups only (never raw spans): cost grows
 * with minutes × groups in the window. Every SQL fragment is fixed text chosen by which fields are
 * set; values travel as query parameters.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertGroupBy, AlertRuleSpec, Percentile } from '@sightline/contract';
import { QUANTILES } from '../storage/migrations/003-rollups.js';
import { conditions, select, toNumber } from '../storage/queries/common.js';
import type { DriftSource } from './drift-source.js';
import { observe, type Observation } from './state-machine.js';

const GROUP_COLUMN: Record<AlertGroupBy, string> = {
  none: "''",
  service: 'r.service_name',
  agent: 'r.agent_name',
  operation: 'r.operation',
  tool: 'r.tool_name',
  model: 'r.model',
  environment: 'r.environment',
};

const PERCENTILE_INDEX: Record<Percentile, number> = { p50: 0, p90: 1, p95: 2, p99: 3 };

/** How far back no_data and drift look for the scopes that exist. */
export const LOOKBACK_MS = 24 * 60 * 60 * 1000;

export interface Measurement extends Observation {
  key: string;
  unit: string;
  samples: number;
}

export interface Window {
  from: number;
  to: number;
}

/** The window's minutes: the current (partial) one and the W − 1 before it. */
export function windowOf(spec: Pick<AlertRuleSpec, 'windowMinutes'>, now: number): Window {
  const minute = Math.floor(now / 60_000) * 60_000;
  return { from: minute - (spec.windowMinutes - 1) * 60_000, to: now };
}

function scopeWhere(spec: AlertRuleSpec): string {
  const s = spec.scope;
  return conditions([
    [s.service !== undefined, 'r.service_name = {service:String}'],
    [s.agent !== undefined, 'r.agent_name = {agent:String}'],
    [s.operation !== undefined, 'r.operation = {operation:String}'],
    [s.tool !== undefined, 'r.tool_name = {tool:String}'],
    [s.model !== undefined, 'r.model = {model:String}'],
    [s.environment !== undefined, 'r.environment = {environment:String}'],
    [s.rootOnly === true, 'r.is_root = 1'],
  ]);
}

/** The scope's string filters as query parameters (rootOnly is a fixed fragment, not a parameter). */
function scopeParams(spec: AlertRuleSpec): Record<string, string> {
  const { rootOnly: _rootOnly, ...filters } = spec.scope;
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

const IN_WINDOW = 'r.minute >= fromUnixTimestamp64Milli({from:Int64}) AND r.minute <= fromUnixTimestamp64Milli({to:Int64})';
/** The same hour of day on each of the previous 7 days. */
const BASELINE_HOURS = `r.minute >= toStartOfHour(fromUnixTimestamp64Milli({to:Int64})) - INTERVAL 7 DAY
  AND r.minute < toStartOfHour(fromUnixTimestamp64Milli({to:Int64})) AND toHour(r.minute) = toHour(fromUnixTimestamp64Milli({to:Int64}))`;

interface AggRow {
  key: string;
  n: string;
  errors: string;
  q: Array<number | string>;
}

async function aggregate(client: ClickHouseClient, spec: AlertRuleSpec, timeWhere: string, params: Record<string, unknown>): Promise<Map<string, AggRow>> {
  const rows = await select<AggRow>(
    client,
    `SELECT toString(${GROUP_COLUMN[spec.groupBy]}) AS key, sum(r.span_count) AS n, sum(r.error_count) AS errors,
       quantilesTDigestMerge(${QUANTILES})(r.duration_quantiles) AS q
     FROM span_rollups_1m AS r WHERE ${timeWhere} AND ${scopeWhere(spec)} GROUP BY key`,
    { ...scopeParams(spec), ...params },
  );
  return new Map(rows.map((r) => [r.key, r]));
}

/** Percentile of an aggregate row in ms, or null below the rule's minimum sample count. */
function percentileMs(r: AggRow | undefined, p: Percentile, minSamples: number): number | null {
  const n = toNumber(r?.n);
  if (!r || n === 0 || n < minSamples) return null;
  return Number(r.q[PERCENTILE_INDEX[p]] ?? 0) / 1e6;
}

export const conditionUnit = (spec: AlertRuleSpec): string =>
  ({ latency: 'ms', error_rate: '%', drift: 'signals', no_data: 'spans' })[spec.condition.kind];

/** Measures every scope key the rule currently sees, plus the `known` keys (states from earlier evaluations). */
export async function measure(
  client: ClickHouseClient,
  spec: AlertRuleSpec,
  now: number,
  known: Iterable<string>,
  drift: DriftSource | undefined,
): Promise<Measurement[]> {
  const w = windowOf(spec, now);
  const c = spec.condition;
  const unit = conditionUnit(spec);
  const h = spec.hysteresisPercent;
  const out = new Map<string, Measurement>();
  const put = (key: string, o: Observation, samples: number) => out.set(key, { key, unit, samples, ...o });

  if (c.kind === 'latency' || c.kind === 'error_rate') {
    const current = await aggregate(client, spec, IN_WINDOW, { ...w });
    const baseline = c.kind === 'latency' && c.mode === 'baseline' ? await aggregate(client, spec, BASELINE_HOURS, { ...w }) : undefined;
    for (const key of new Set([...current.keys(), ...known])) {
      const r = current.get(key);
      const n = toNumber(r?.n);
      if (c.kind === 'error_rate') {
        const value = r && n > 0 && n >= spec.minSamples ? (toNumber(r.errors) / n) * 100 : null;
        put(key, observe(value, c.thresholdPercent, h), n);
      } else {
        const value = percentileMs(r, c.percentile, spec.minSamples);
        const base = baseline ? percentileMs(baseline.get(key), c.percentile, spec.minSamples) : undefined;
        const threshold = c.mode === 'absolute' ? (c.thresholdMs ?? null) : base == null ? null : base * (c.factor ?? 1);
        put(key, observe(value, threshold, h), n);
      }
    }
    return [...out.values()];
  }

  // no_data and drift need the scopes that exist: those seen during the lookback.
  const seen = await select<{ key: string; n: string }>(
    client,
    `SELECT toString(${GROUP_COLUMN[spec.groupBy]}) AS key, sumIf(r.span_count, r.minute >= fromUnixTimestamp64Milli({from:Int64})) AS n
     FROM span_rollups_1m AS r
     WHERE r.minute >= fromUnixTimestamp64Milli({lookback:Int64}) AND r.minute <= fromUnixTimestamp64Milli({to:Int64}) AND ${scopeWhere(spec)}
     GROUP BY key`,
    { ...scopeParams(spec), ...w, lookback: now - LOOKBACK_MS },
  );
  const counts = new Map(seen.map((r) => [r.key, toNumber(r.n)]));

  if (c.kind === 'no_data') {
    // A known scope that vanished from the lookback is still silent: its count is 0, not "unknown".
    for (const key of new Set([...counts.keys(), ...known])) {
      const n = counts.get(key) ?? 0;
      put(key, { value: n, threshold: 0, breaching: n === 0, clear: n > 0 }, n);
    }
    return [...out.values()];
  }

  const byAgent = spec.groupBy === 'agent';
  const keys = byAgent ? new Set([...counts.keys(), ...known]) : new Set(['']);
  const min = c.minSignals ?? 1;
  for (const key of keys) {
    const agent = byAgent ? key : (spec.scope.agent ?? '');
    const verdict = drift && agent ? await drift.latestVerdict(agent).catch(() => undefined) : undefined;
    if (!verdict || now - verdict.windowEnd > LOOKBACK_MS) {
      put(key, observe(null, min, h), counts.get(key) ?? 0);
      continue;
    }
    const drifted = verdict.status === 'drift' ? verdict.driftedSignals.length : 0;
    put(key, { value: drifted, threshold: min, breaching: verdict.status === 'drift' && drifted >= min, clear: verdict.status !== 'drift' }, counts.get(key) ?? 0);
  }
  return [...out.values()];
}
