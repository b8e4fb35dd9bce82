/** The drift API's contract: reports, their signals and examples, history and the agents list. */
import { z } from 'zod';
import { Nanos, TimeParam, text } from './common.js';

export const DriftStatus = z.enum(['drift', 'no_drift', 'insufficient_data']);
export type DriftStatus = z.infer<typeof DriftStatus>;

export const DriftThresholds = z.object({
  /** Family-wise significance level over all signals of one check (Holm-corrected). */
  alpha: z.number(),
  minJsDistance: z.number(),
  minDeltaPoints: z.number(),
  minRelativeShift: z.number(),
  minBaselineSessions: z.number(),
  minCurrentSessions: z.number(),
});
export type DriftThresholds = z.infer<typeof DriftThresholds>;

export const CategoryShift = z.object({
  category: z.string(),
  baselineCount: z.number(),
  currentCount: z.number(),
  baselineShare: z.number(),
  currentShare: z.number(),
  deltaPoints: z.number(),
});
export type CategoryShift = z.infer<typeof CategoryShift>;

export const NumericShift = z.object({
  baselineMedian: z.number(),
  currentMedian: z.number(),
  baselineMean: z.number(),
  currentMean: z.number(),
  relativeShift: z.number(),
  /** Quantiles (p10, p25, p50, p75, p90) per side, to draw the two distributions. */
  baselineQuantiles: z.array(z.number()),
  currentQuantiles: z.array(z.number()),
});

export const SignalResult = z.object({
  signal: z.string(),
  label: z.string(),
  family: z.string(),
  kind: z.enum(['categorical', 'numeric']),
  status: z.enum(['tested', 'insufficient_data']),
  baselineN: z.number(),
  currentN: z.number(),
  pValue: z.number(),
  adjustedP: z.number(),
  /** JS distance (categorical) or |relative median shift| (numeric; the mean's for `score:<name>` signals). */
  effect: z.number(),
  /** effect / its threshold (for categorical: the larger of JS/minJS and points/minPoints); ≥ 1 is large. */
  effectRatio: z.number(),
  significant: z.boolean(),
  large: z.boolean(),
  drifted: z.boolean(),
  explanation: z.string(),
  categories: z.array(CategoryShift).optional(),
  numeric: NumericShift.optional(),
});
export type SignalResult = z.infer<typeof SignalResult>;

export const ExampleSession = z.object({
  sessionKey: z.string(),
  sessionId: z.string(),
  traceId: z.string(),
  startTime: Nanos,
  path: z.string(),
  steps: z.number(),
  outputShape: z.string(),
  outcome: z.string(),
});
export type ExampleSession = z.infer<typeof ExampleSession>;

export const PathShare = z.object({ path: z.string(), share: z.number(), count: z.number() });

export const DriftSide = z.object({
  from: z.number(),
  to: z.number(),
  release: z.string().optional(),
  /** A trailing baseline of a window shorter than a day covers only the window's UTC hours of day. */
  hoursOfDay: z.array(z.number()).optional(),
  sessions: z.number(),
});

export const DriftReport = z.object({
  agent: z.string(),
  status: DriftStatus,
  /** One or two sentences a person can read. */
  summary: z.string(),
  windowEnd: z.number(),
  baselineMode: z.enum(['trailing', 'release', 'range']),
  baseline: DriftSide,
  current: DriftSide,
  thresholds: DriftThresholds,
  driftedSignals: z.array(z.string()),
  signals: z.array(SignalResult),
  topPaths: z.object({ baseline: z.array(PathShare), current: z.array(PathShare) }),
  examples: z
    .object({
      signal: z.string(),
      category: z.string().optional(),
      baseline: z.array(ExampleSession),
      current: z.array(ExampleSession),
    })
    .nullable(),
});
export type DriftReport = z.infer<typeof DriftReport>;

/**
 * How fresh the per-session signals behind an answer are. API calls never wait for a catch-up:
 * they answer from what is materialized and start one in the background.
 */
export const DriftFreshness = z.object({
  /** Sessions starting before this (epoch ms) are summarized; null before the first catch-up. */
  materializedUntil: z.number().nullable(),
  /** Spans received by the collector up to this time (epoch ms) are included; null before the first catch-up. */
  spansIngestedUntil: z.number().nullable(),
  /** `running`: a catch-up (late data, new hours) is under way and the answer may change; `failed`: the last one failed. */
  catchUp: z.enum(['idle', 'running', 'failed']),
});
export type DriftFreshness = z.infer<typeof DriftFreshness>;

/** A report or comparison as the API answers it: the report and how fresh its data is. */
export const DriftReportAnswer = DriftReport.extend({ freshness: DriftFreshness });
export type DriftReportAnswer = z.infer<typeof DriftReportAnswer>;

// ---------- requests ----------

export const DriftReportQuery = z.object({
  agent: text(200, { min: 1 }),
  /** End of the current window (default: now). */
  to: TimeParam.optional(),
  /** Start of the current window (default: `to` minus the configured window). */
  from: TimeParam.optional(),
  baselineFrom: TimeParam.optional(),
  baselineTo: TimeParam.optional(),
  /** Pin the baseline to sessions of this release (service.version) instead of a time range. */
  baselineRelease: text(200).optional(),
  currentRelease: text(200).optional(),
  environment: text(200).optional(),
  /** The signal to pick example sessions for (default: the most drifted). */
  signal: text(100).optional(),
});
export type DriftReportQuery = z.infer<typeof DriftReportQuery>;

export const DriftCompareQuery = z.object({
  agent: text(200, { min: 1 }),
  releaseA: text(200).optional(),
  releaseB: text(200).optional(),
  /** Two ranges instead of two releases: A = [fromA, toA), B = [fromB, toB). */
  fromA: TimeParam.optional(),
  toA: TimeParam.optional(),
  fromB: TimeParam.optional(),
  toB: TimeParam.optional(),
  environment: text(200).optional(),
  signal: text(100).optional(),
});
export type DriftCompareQuery = z.infer<typeof DriftCompareQuery>;

export const DriftHistoryQuery = z.object({
  agent: text(200, { min: 1 }),
  from: TimeParam.optional(),
  to: TimeParam.optional(),
});
export type DriftHistoryQuery = z.infer<typeof DriftHistoryQuery>;

export const DriftHeatCell = z.object({
  windowEnd: z.number(),
  status: z.string(),
  effect: z.number(),
  effectRatio: z.number(),
  pValue: z.number(),
  drifted: z.boolean(),
});

export const DriftHistory = z.object({
  agent: z.string(),
  signals: z.array(z.object({ signal: z.string(), label: z.string(), cells: z.array(DriftHeatCell) })),
  checks: z.array(
    z.object({
      windowEnd: z.number(),
      status: DriftStatus,
      driftedSignals: z.array(z.string()),
      summary: z.string(),
      currentSessions: z.number(),
    }),
  ),
});
export type DriftHistory = z.infer<typeof DriftHistory>;

export const DriftAgents = z.object({
  agents: z.array(
    z.object({
      agent: z.string(),
      status: DriftStatus.nullable(),
      windowEnd: z.number().nullable(),
      driftedSignals: z.array(z.string()),
      summary: z.string(),
      releases: z.array(z.string()),
    }),
  ),
  freshness: DriftFreshness,
});
export type DriftAgents = z.infer<typeof DriftAgents>;

export const DriftCheckResult = z.object({ windowEnd: z.number(), reports: z.array(DriftReport) });
export type DriftCheckResult = z.infer<typeof DriftCheckResult>;
