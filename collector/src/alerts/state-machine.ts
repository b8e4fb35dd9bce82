/**
 * The alert state machine for one rule and one scope, as a pure function so every edge is unit-tested.
 *
 *   ok ──breach──▶ pending ──breach × forEvaluations──▶ firing ──clear × resolveEvaluations──▶ resolved
 *    ▲               │ not breaching                      │ not clear (breach or inside the band)
 *    └───────────────┘                                    └──▶ stays firing, clear count restarts
 *
 * Hysteresis: a breach is `value > threshold`; a clear is `value <= threshold × (1 − hysteresis)`.
 * Between the two a firing alert stays firing and an ok one stays ok, so a value hovering at the
 * threshold cannot make it flap. "No data" (value null: fewer spans than the rule's minimum) is
 * neither a breach nor a clear: a pending alert goes back to ok, a firing one stays firing with its
 * clear count kept. Missing data is not recovery (a spike of slow runs that have not ended yet leaves
 * the newest minutes empty); a scope that went silent is what a no_data rule is for.
 * `resolved` behaves as `ok` until the next breach.
 */
import type { AlertStateName } from '@sightline/contract';

export interface ScopeState {
  state: AlertStateName;
  /** Epoch ms of the last state change. */
  since: number;
  /** Consecutive breaching evaluations (counted while ok/pending). */
  breaches: number;
  /** Consecutive clear evaluations (counted while firing). */
  clears: number;
  /** Number of transitions so far: names each transition, so one re-derived after a crash has the same id. */
  seq: number;
  value: number | null;
  threshold: number | null;
  lastEvaluatedAt: number;
}

export interface Observation {
  /** null: not enough data to judge. */
  value: number | null;
  threshold: number | null;
  breaching: boolean;
  clear: boolean;
}

export interface MachineOptions {
  forEvaluations: number;
  resolveEvaluations: number;
}

export interface Step {
  next: ScopeState;
  /** Set when the state changed. */
  transition?: { from: AlertStateName; to: AlertStateName };
}

export const INITIAL: ScopeState = {
  state: 'ok',
  since: 0,
  breaches: 0,
  clears: 0,
  seq: 0,
  value: null,
  threshold: null,
  lastEvaluatedAt: 0,
};

/** Classifies a value against a threshold with a hysteresis band below it. */
export function observe(value: number | null, threshold: number | null, hysteresisPercent: number): Observation {
  if (value === null || threshold === null) return { value, threshold, breaching: false, clear: false };
  return { value, threshold, breaching: value > threshold, clear: value <= threshold * (1 - hysteresisPercent / 100) };
}

export function step(prev: ScopeState, obs: Observation, opts: MachineOptions, now: number): Step {
  const base = { ...prev, value: obs.value, threshold: obs.threshold, lastEvaluatedAt: now };
  const move = (to: AlertStateName, counters: { breaches: number; clears: number }): Step => ({
    next: { ...base, ...counters, state: to, since: now, seq: prev.seq + 1 },
    transition: { from: prev.state, to },
  });
  switch (prev.state) {
    case 'ok':
    case 'resolved': {
      if (!obs.breaching) return { next: { ...base, breaches: 0, clears: 0 } };
      const breaches = 1;
      return breaches >= opts.forEvaluations ? move('firing', { breaches, clears: 0 }) : move('pending', { breaches, clears: 0 });
    }
    case 'pending': {
      if (!obs.breaching) return move('ok', { breaches: 0, clears: 0 });
      const breaches = prev.breaches + 1;
      return breaches >= opts.forEvaluations ? move('firing', { breaches, clears: 0 }) : { next: { ...base, breaches } };
    }
    case 'firing': {
      // No data keeps the last value and the clear count: it says nothing either way.
      if (obs.value === null || obs.threshold === null) return { next: { ...prev, lastEvaluatedAt: now } };
      if (!obs.clear) return { next: { ...base, clears: 0 } };
      const clears = prev.clears + 1;
      return clears >= opts.resolveEvaluations ? move('resolved', { breaches: 0, clears: 0 }) : { next: { ...base, clears } };
    }
  }
}
