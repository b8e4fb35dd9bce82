/**
 * What a rule measures, per scope key, read from the minute rollups only (never raw spans): cost grows
 * with minutes × groups in the window. The SQL belongs to storage (storage/queries/rollups.ts).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertRuleSpec, Percentile } from '@sightline/contract';
import { toNumber } from '../storage/queries/common.js';
import { QUANTILE_INDEX, rollupCountsSeen, rollupTotals, type RollupRow, type RollupTime } from '../storage/queries/rollups.js';
import type { DriftSource } from './drift-source.js';
import { measureSessionCost, measureSpend } from './measure-cost.js';
import { measureScore } from './measure-score.js';
import { observe, type Observation } from './state-machine.js';

const PERCENTILE_INDEX: Record<Percentile, number> = QUANTILE_INDEX;

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

/**
 * The rollup minutes that overlap the last W minutes, (now − W, now]. Evaluated at the very end of a
 * minute that is W whole minutes; a moment into a new minute it is the W − 1 minutes before, the
 * partial current one and the minute that the window's start cuts. Never the partial minute alone:
 * spans are keyed by their start minute and reach the collector when they end, so right after a
 * minute boundary the current minute holds almost nothing while the previous one is still filling.
 */
export function windowOf(spec: Pick<AlertRuleSpec, 'windowMinutes'>, now: number): Window {
  const start = now + 1 - spec.windowMinutes * 60_000;
  return { from: Math.floor(start / 60_000) * 60_000, to: now };
}

async function aggregate(
  client: ClickHouseClient,
  projectId: string,
  spec: AlertRuleSpec,
  time: RollupTime,
): Promise<Map<string, RollupRow>> {
  const rows = await rollupTotals(client, projectId, { groupBy: spec.groupBy, scope: spec.scope, time });
  return new Map(rows.map((r) => [r.key, r]));
}

/** Percentile of an aggregate row in ms, or null below the rule's minimum sample count. */
function percentileMs(r: RollupRow | undefined, p: Percentile, minSamples: number): number | null {
  const n = toNumber(r?.count);
  if (!r || n === 0 || n < minSamples) return null;
  return Number(r.q[PERCENTILE_INDEX[p]] ?? 0) / 1e6;
}

export const conditionUnit = (spec: AlertRuleSpec): string =>
  ({ latency: 'ms', error_rate: '%', drift: 'signals', no_data: 'spans', spend: 'USD', session_cost: 'USD', score: 'mean' })[
    spec.condition.kind
  ];

/** Measures every scope key the rule currently sees in its project, plus the `known` keys (states from earlier evaluations). */
export async function measure(
  client: ClickHouseClient,
  projectId: string,
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

  if (c.kind === 'spend' || c.kind === 'session_cost') {
    await (c.kind === 'spend' ? measureSpend : measureSessionCost)(client, projectId, spec, w, known, put);
    return [...out.values()];
  }

  if (c.kind === 'score') {
    await measureScore(client, projectId, spec, w, put);
    return [...out.values()];
  }

  if (c.kind === 'latency' || c.kind === 'error_rate') {
    const current = await aggregate(client, projectId, spec, { kind: 'window', ...w });
    const baseline =
      c.kind === 'latency' && c.mode === 'baseline'
        ? await aggregate(client, projectId, spec, { kind: 'sameHourBefore', to: w.to })
        : undefined;
    for (const key of new Set([...current.keys(), ...known])) {
      const r = current.get(key);
      const n = toNumber(r?.count);
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
  const seen = await rollupCountsSeen(client, projectId, { groupBy: spec.groupBy, scope: spec.scope, lookback: now - LOOKBACK_MS, ...w });
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
  const min = c.kind === 'drift' ? (c.minSignals ?? 1) : 1;
  for (const key of keys) {
    const agent = byAgent ? key : (spec.scope.agent ?? '');
    const verdict = drift && agent ? await drift.latestVerdict(projectId, agent).catch(() => undefined) : undefined;
    if (!verdict || now - verdict.windowEnd > LOOKBACK_MS) {
      put(key, observe(null, min, h), counts.get(key) ?? 0);
      continue;
    }
    const drifted = verdict.status === 'drift' ? verdict.driftedSignals.length : 0;
    put(
      key,
      { value: drifted, threshold: min, breaching: verdict.status === 'drift' && drifted >= min, clear: verdict.status !== 'drift' },
      counts.get(key) ?? 0,
    );
  }
  return [...out.values()];
}
