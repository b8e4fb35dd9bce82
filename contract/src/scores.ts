/**
 * Scores and feedback: a named judgement of a trace, a span or a session, numeric or categorical,
 * from a user, a human reviewer or an automated evaluator. Sent with `POST /api/scores` or as the
 * OpenTelemetry GenAI `gen_ai.evaluation.result` event (a span event or a log record parented to
 * the evaluated span), which the collector stores as an evaluator score.
 */
import { z } from 'zod';
import { ScopeQuery } from './query.js';
import { Nanos, TIME_MAX_MS, TIME_MIN_MS, TimeParam, text } from './common.js';

export const ScoreSource = z.enum(['user_feedback', 'human_review', 'evaluator']);
export type ScoreSource = z.infer<typeof ScoreSource>;

const HEX_TRACE_ID = /^[0-9a-f]{32}$/;
const HEX_SPAN_ID = /^[0-9a-f]{16}$/;

export const ScoreInput = z
  .object({
    /** Your id for the score: sending the same id again replaces it (feedback changed its mind). */
    id: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits and . _ : - only, at most 128')
      .optional(),
    traceId: z.string().regex(HEX_TRACE_ID, '32 lowercase hex digits').optional(),
    spanId: z.string().regex(HEX_SPAN_ID, '16 lowercase hex digits').optional(),
    sessionId: text(500, { min: 1 }).optional(),
    name: text(200, { min: 1, trim: true }),
    /** A number (e.g. 0..1, 1..5, thumbs = 1 / 0). */
    value: z.number().finite().optional(),
    /** A category (e.g. "correct", "off-topic"). */
    label: text(200, { min: 1 }).optional(),
    source: ScoreSource.default('user_feedback'),
    comment: text(4096).optional(),
    /** Epoch ms or ISO time of the judgement; the time it is received when absent. */
    timestamp: z.union([z.number().int().min(TIME_MIN_MS).max(TIME_MAX_MS), TimeParam]).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.traceId === undefined && s.sessionId === undefined)
      ctx.addIssue({ code: 'custom', path: ['traceId'], message: 'a score needs a traceId or a sessionId' });
    if (s.spanId !== undefined && s.traceId === undefined)
      ctx.addIssue({ code: 'custom', path: ['traceId'], message: 'a span score needs the traceId of the span' });
    if (s.value === undefined && s.label === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a score needs a value or a label' });
  });
export type ScoreInput = z.input<typeof ScoreInput>;

/** One score, or up to 1,000 at once. */
export const ScoresInput = z.union([ScoreInput, z.object({ scores: z.array(ScoreInput).min(1).max(1000) }).strict()]);
export type ScoresInput = z.input<typeof ScoresInput>;

export const ScoresCreated = z.object({ ids: z.array(z.string()) });
export type ScoresCreated = z.infer<typeof ScoresCreated>;

export const Score = z.object({
  id: z.string(),
  traceId: z.string(),
  spanId: z.string(),
  sessionId: z.string(),
  name: z.string(),
  value: z.number().nullable(),
  label: z.string(),
  source: ScoreSource,
  comment: z.string(),
  /** Epoch ns. */
  timestamp: Nanos,
});
export type Score = z.infer<typeof Score>;

export const ScoreListQuery = z.object({
  traceId: z.string().regex(HEX_TRACE_ID, '32 lowercase hex digits').optional(),
  sessionId: text(500).optional(),
  name: text(200).optional(),
  source: ScoreSource.optional(),
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type ScoreListQuery = z.infer<typeof ScoreListQuery>;

export const ScoreList = z.object({ scores: z.array(Score) });
export type ScoreList = z.infer<typeof ScoreList>;

export const ScoreSummaryQuery = ScopeQuery.pick({ from: true, to: true }).extend({
  bucketSeconds: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400 * 7)
    .optional(),
});
export type ScoreSummaryQuery = z.infer<typeof ScoreSummaryQuery>;

export const ScoreSeries = z.object({
  name: z.string(),
  /** Scores with a numeric value in the range, their mean, and how many had only a label. */
  count: z.number(),
  mean: z.number().nullable(),
  labelled: z.number(),
  /** Mean of the numeric values per bucket (`t`: bucket start, epoch ms). */
  points: z.array(z.object({ t: z.number(), mean: z.number(), count: z.number() })),
  /** The most frequent labels with their counts. */
  labels: z.array(z.object({ label: z.string(), count: z.number() })),
});
export type ScoreSeries = z.infer<typeof ScoreSeries>;

export const ScoreSummary = z.object({ bucketSeconds: z.number(), series: z.array(ScoreSeries) });
export type ScoreSummary = z.infer<typeof ScoreSummary>;
