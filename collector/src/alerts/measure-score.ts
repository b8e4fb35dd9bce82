/**
 * Score rules: the mean of a named score over the window falls below a value, or drops by a share
 * below its own mean over the 7 days before the window. A falling score is bad, so these rules
 * breach below their threshold (the other kinds breach above).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertRuleSpec } from '@sightline/contract';
import { scoreMean } from '../storage/queries/scores.js';
import type { Observation } from './state-machine.js';

const BASELINE_MS = 7 * 24 * 3_600_000;

/** `observe` mirrored: breaching below the threshold, clear once back above it by the hysteresis band. */
export function observeBelow(value: number | null, threshold: number | null, hysteresisPercent: number): Observation {
  if (value === null || threshold === null) return { value, threshold, breaching: false, clear: false };
  return { value, threshold, breaching: value < threshold, clear: value >= threshold + (Math.abs(threshold) * hysteresisPercent) / 100 };
}

export async function measureScore(
  client: ClickHouseClient,
  projectId: string,
  spec: AlertRuleSpec,
  w: { from: number; to: number },
  put: (key: string, o: Observation, samples: number) => void,
): Promise<void> {
  const c = spec.condition;
  if (c.kind !== 'score') return;
  const agent = spec.scope.agent;
  const current = await scoreMean(client, projectId, { name: c.name, agent, from: w.from, to: w.to + 1 });
  const value = current.n > 0 && current.n >= spec.minSamples ? current.mean : null;
  let threshold: number | null = c.below ?? null;
  if (c.mode === 'baseline') {
    const base = await scoreMean(client, projectId, { name: c.name, agent, from: w.from - BASELINE_MS, to: w.from });
    threshold = base.mean === null || base.n < spec.minSamples ? null : base.mean - (Math.abs(base.mean) * (c.dropPercent ?? 0)) / 100;
  }
  put('', observeBelow(value, threshold, spec.hysteresisPercent), current.n);
}
