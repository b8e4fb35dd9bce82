/**
 * Drift detection: per-session behaviour signals → per-signal tests → a verdict that explains itself.
 * Alerting consumes `DriftSource.latestVerdict(agent)`; DriftEngine implements it.
 */
export { DriftEngine, DEFAULT_DRIFT_OPTIONS, type DriftOptions, type DriftSource, type DriftVerdict } from './engine.js';
export { DriftScheduler } from './scheduler.js';
export { DEFAULT_THRESHOLDS, detect } from './detector.js';
export { SIGNALS, type SignalDef } from './signals.js';
export type { DriftReport, DriftStatus, DriftThresholds, SignalResult } from '@sightline/contract';
