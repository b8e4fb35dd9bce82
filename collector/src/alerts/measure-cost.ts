/**
 * What the cost rules measure, per scope key: spend over the window (absolute, or against the
 * scope's own baseline), and a percentile of the cost per session. Read from the rollups, the trace
 * summaries (spend per agent, attributed by trace) and the session summaries; never raw spans.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertRuleSpec } from '@sightline/contract';
import { toNumber, usd } from '../storage/queries/common.js';
import { attributedCost } from '../storage/queries/cost-attribution.js';
import { rollupTotals } from '../storage/queries/rollups.js';
import { sessionCostQuantile, type SessionGroupBy } from '../storage/queries/session-cost.js';
import { observe, type Observation } from './state-machine.js';

type Put = (key: string, o: Observation, samples: number) => void;
type Window = { from: number; to: number };

const HOUR_MS = 3_600_000;
const BASELINE_DAYS = 7;
const QUANTILE = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 } as const;

/** Spend per agent is attributed through the traces the agent ran in (see cost-attribution.ts). */
const byTraces = (spec: AlertRuleSpec) => spec.groupBy === 'agent' || (spec.groupBy === 'none' && spec.scope.agent !== undefined);

/** Spend per key over [from, to] (ms); with `sameHourOf`, the spend of the UTC hour of that instant on each of the 7 previous days. */
async function spendByKey(
  client: ClickHouseClient,
  projectId: string,
  spec: AlertRuleSpec,
  w: Window,
  sameHourOf?: number,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const add = (k: string, v: number) => out.set(k, (out.get(k) ?? 0) + v);
  if (!byTraces(spec)) {
    const time = sameHourOf === undefined ? ({ kind: 'window', ...w } as const) : ({ kind: 'sameHourBefore', to: sameHourOf } as const);
    for (const r of await rollupTotals(client, projectId, { groupBy: spec.groupBy, scope: spec.scope, time }))
      add(r.key, usd(r.total_cost));
    return out;
  }
  const hour = sameHourOf === undefined ? undefined : Math.floor(sameHourOf / HOUR_MS) * HOUR_MS;
  const rows = await attributedCost(client, projectId, {
    dimension: 'agent',
    scope: spec.scope,
    ...(hour === undefined ? { from: w.from, to: w.to + 1 } : { from: hour - BASELINE_DAYS * 24 * HOUR_MS, to: hour, bucketSeconds: 3600 }),
  });
  const hourOfDay = hour === undefined ? undefined : new Date(hour).getUTCHours();
  for (const r of rows) {
    if (hourOfDay !== undefined && new Date(toNumber(r.t) * 1000).getUTCHours() !== hourOfDay) continue;
    add(spec.groupBy === 'agent' ? r.key : '', usd(r.cost));
  }
  return out;
}

export async function measureSpend(
  client: ClickHouseClient,
  projectId: string,
  spec: AlertRuleSpec,
  w: Window,
  known: Iterable<string>,
  put: Put,
): Promise<void> {
  const c = spec.condition;
  if (c.kind !== 'spend') return;
  const current = await spendByKey(client, projectId, spec, w);
  // The baseline of a window: the same-hour spend of the previous days, averaged, scaled to the window's length.
  const baseline = c.mode === 'baseline' ? await spendByKey(client, projectId, spec, w, w.to) : undefined;
  const scale = spec.windowMinutes / (BASELINE_DAYS * 60);
  for (const key of new Set([...current.keys(), ...known, ...(baseline?.keys() ?? [])])) {
    // No spend in the window is a measured $0 (quiet is cheap), not "no data".
    const value = current.get(key) ?? 0;
    const base = baseline ? (baseline.get(key) ?? 0) * scale : undefined;
    const threshold = c.mode === 'absolute' ? (c.thresholdUsd ?? null) : base !== undefined && base > 0 ? base * (c.factor ?? 1) : null;
    put(key, observe(value, threshold, spec.hysteresisPercent), 0);
  }
}

export async function measureSessionCost(
  client: ClickHouseClient,
  projectId: string,
  spec: AlertRuleSpec,
  w: Window,
  known: Iterable<string>,
  put: Put,
): Promise<void> {
  const c = spec.condition;
  if (c.kind !== 'session_cost') return;
  const { service, agent, environment } = spec.scope;
  const rows = await sessionCostQuantile(client, projectId, {
    scope: { service, agent, environment },
    groupBy: spec.groupBy as SessionGroupBy,
    quantile: QUANTILE[c.percentile],
    from: w.from,
    to: w.to + 1,
  });
  const byKey = new Map(rows.map((r) => [r.key, r]));
  for (const key of new Set([...byKey.keys(), ...known])) {
    const r = byKey.get(key);
    const n = toNumber(r?.n);
    const value = r && n > 0 && n >= spec.minSamples ? usd(r.value) : null;
    put(key, observe(value, c.thresholdUsd, spec.hysteresisPercent), n);
  }
}
