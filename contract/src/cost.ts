/**
 * The cost API contract: custom prices per project, a recompute of past costs, and the spend
 * summary of the overview. Amounts are US dollars (numbers); prices are USD per million tokens.
 */
import { z } from 'zod';
import { TimeParam, text } from './common.js';

/** Where a span's cost came from; '' is unpriced (no source knew the model): shown as such, never as $0. */
export const CostSource = z.enum(['reported', 'custom', 'database', '']);
export type CostSource = z.infer<typeof CostSource>;

const perMTok = z.number().min(0).max(1_000_000);

/**
 * A model pattern: the model name as the instrumentation reports it (request or response model),
 * `*` matching any run of characters, case-insensitive. `gpt-4o*` prices gpt-4o and its dated variants.
 */
export const ModelPattern = text(200, { trim: true, min: 1 }).refine((p) => /^[A-Za-z0-9*._:/@+-]+$/.test(p), {
  message: 'letters, digits, * and . _ : / @ + - only',
});

export const CustomPriceInput = z
  .object({
    modelPattern: ModelPattern,
    /** Only calls of this provider (gen_ai.provider.name); any provider when absent. */
    provider: text(100, { trim: true }).optional(),
    /** USD per million input tokens (uncached). */
    inputPerMTok: perMTok,
    /** USD per million output tokens. */
    outputPerMTok: perMTok,
    /** USD per million cache-read input tokens; the input price when absent. */
    cacheReadPerMTok: perMTok.optional(),
    /** USD per million cache-write input tokens; the input price when absent. */
    cacheWritePerMTok: perMTok.optional(),
    /** USD per million reasoning output tokens; the output price when absent. */
    reasoningPerMTok: perMTok.optional(),
    /** Calls that started at or after this instant use the price; default: now. */
    validFrom: z.union([z.number().int().min(0).max(4_294_967_295_000), TimeParam]).optional(),
  })
  .strict();
export type CustomPriceInput = z.input<typeof CustomPriceInput>;
export type CustomPriceSpec = z.output<typeof CustomPriceInput>;

export const CustomPrice = z.object({
  id: z.string(),
  modelPattern: z.string(),
  provider: z.string(),
  inputPerMTok: z.number(),
  outputPerMTok: z.number(),
  cacheReadPerMTok: z.number().nullable(),
  cacheWritePerMTok: z.number().nullable(),
  reasoningPerMTok: z.number().nullable(),
  /** Epoch ms. */
  validFrom: z.number(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type CustomPrice = z.infer<typeof CustomPrice>;

export const CustomPriceList = z.object({ prices: z.array(CustomPrice) });
export type CustomPriceList = z.infer<typeof CustomPriceList>;

export const PriceIdParam = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/** Prices again every model call that started in [from, to) with today's custom prices and price database. */
export const RecomputeInput = z
  .object({
    from: z.union([z.number().int().min(0).max(4_294_967_295_000), TimeParam]),
    to: z.union([z.number().int().min(0).max(4_294_967_295_000), TimeParam]),
  })
  .strict()
  .refine((r) => r.to > r.from, { path: ['to'], message: 'must be after from' })
  .refine((r) => r.to - r.from <= 400 * 86_400_000, { path: ['to'], message: 'a recompute covers at most 400 days' });
export type RecomputeInput = z.input<typeof RecomputeInput>;

export const RecomputeResult = z.object({
  /** Model calls read in the range (reported costs are kept as reported). */
  modelCalls: z.number(),
  /** Calls whose cost or source changed. */
  changed: z.number(),
  /** Spend over the range before and after, USD. */
  beforeUsd: z.number(),
  afterUsd: z.number(),
});
export type RecomputeResult = z.infer<typeof RecomputeResult>;

/** The overview's spend figures over a range, from the session and trace summaries. */
export const CostSummary = z.object({
  /** Spend of priced calls, USD. */
  totalUsd: z.number(),
  /** Model calls nobody could price: the total leaves them out. */
  unpricedCalls: z.number(),
  sessions: z.number(),
  /** Sessions without an error. */
  successfulSessions: z.number(),
  /** Spend of the successful sessions divided by their number; null without one. */
  costPerSuccessfulSession: z.number().nullable(),
  /** Spend of all sessions divided by their number; null without one. */
  costPerSession: z.number().nullable(),
});
export type CostSummary = z.infer<typeof CostSummary>;
