/**
 * Comparing two sessions or two traces side by side (GET /api/compare): both sides' agent, tool
 * and model-call steps in order, and a global alignment of the two sequences whose rows say what
 * differs between the aligned steps and which steps only one side took.
 */
import { z } from 'zod';
import { Nanos, text } from './common.js';

export const CompareKind = z.enum(['session', 'trace']);
export type CompareKind = z.infer<typeof CompareKind>;

export const CompareQuery = z.object({
  kind: CompareKind,
  /** Session id or trace id of side A, and of side B (both in the caller's project, else 404). */
  a: text(500, { min: 1 }),
  b: text(500, { min: 1 }),
});
export type CompareQuery = z.infer<typeof CompareQuery>;

/** What a step is: an agent invocation, a tool call or a model call. */
export const StepKind = z.enum(['agent', 'tool', 'llm']);
export type StepKind = z.infer<typeof StepKind>;

/** One step of a side, in the order the agent took it. */
export const CompareStep = z.object({
  traceId: z.string(),
  spanId: z.string(),
  startTime: Nanos,
  durationMs: z.number(),
  kind: StepKind,
  operation: z.string(),
  /** What the alignment matches on with the kind: the tool name, the model, or the agent name. */
  name: z.string(),
  spanName: z.string(),
  agentName: z.string(),
  status: z.enum(['ok', 'error']),
  /** The error type, else the status message, of a failed step ('' when it did not fail). */
  error: z.string(),
  /** Tool arguments or model input, as stored (cut to COMPARE_TEXT_MAX characters; `changed` is judged on the whole text). */
  input: z.string(),
  output: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  /** USD of a priced model call; null otherwise. */
  costUsd: z.number().nullable(),
});
export type CompareStep = z.infer<typeof CompareStep>;

/** The longest input/output text a compare answer carries per step. */
export const COMPARE_TEXT_MAX = 2_000;

export const CompareTotals = z.object({
  steps: z.number(),
  /** Sum of the steps' latency in ms (overlapping steps count each). */
  latencyMs: z.number(),
  /** Wall-clock span of the side, first step start to last step end, ms. */
  wallMs: z.number(),
  tokens: z.number(),
  costUsd: z.number(),
  errors: z.number(),
});
export type CompareTotals = z.infer<typeof CompareTotals>;

export const CompareSide = z.object({
  id: z.string(),
  steps: z.array(CompareStep),
  totals: CompareTotals,
  /** The side had more steps than a compare reads; only the first ones are aligned. */
  truncated: z.boolean(),
});
export type CompareSide = z.infer<typeof CompareSide>;

const FieldValue = z.union([z.string(), z.number(), z.null()]);
/** One compared field of an aligned pair: both values and whether they differ. */
export const FieldDiff = z.object({ a: FieldValue, b: FieldValue, changed: z.boolean() });
export type FieldDiff = z.infer<typeof FieldDiff>;

export const DIFF_FIELDS = ['choice', 'arguments', 'output', 'latencyMs', 'tokens', 'costUsd', 'status'] as const;
export const DiffField = z.enum(DIFF_FIELDS);
export type DiffField = z.infer<typeof DiffField>;

/**
 * One row of the alignment. `same`/`changed`: steps a[aIndex] and b[bIndex] are aligned (same kind),
 * `fields` says what differs (choice: the tool, model or agent). `onlyA`: a step B did not take
 * (a deletion); `onlyB`: a step only B took (an insertion); their fields compare with null.
 */
export const AlignedRow = z.object({
  op: z.enum(['same', 'changed', 'onlyA', 'onlyB']),
  aIndex: z.number().int().nullable(),
  bIndex: z.number().int().nullable(),
  fields: z.record(DiffField, FieldDiff),
});
export type AlignedRow = z.infer<typeof AlignedRow>;

export const CompareSummary = z.object({
  onlyA: z.number(),
  onlyB: z.number(),
  changed: z.number(),
  same: z.number(),
});
export type CompareSummary = z.infer<typeof CompareSummary>;

export const CompareResult = z.object({
  kind: CompareKind,
  a: CompareSide,
  b: CompareSide,
  rows: z.array(AlignedRow),
  summary: CompareSummary,
});
export type CompareResult = z.infer<typeof CompareResult>;
