/**
 * Pieces every part of the API contract shares: time and text parameters bounded to what the
 * collector's storage holds, and the error body.
 */
import { z } from 'zod';

/** Nanoseconds since the epoch, as a decimal string (JS numbers lose precision past 2^53). */
export const Nanos = z.string().regex(/^\d+$/);

/**
 * The instants every time column of the storage holds, in epoch ms. Spans are DateTime64(9)
 * (1900-01-01 .. 2262-04-11 in chDB; past that a comparison fails with "decimal overflow"), but the
 * day partitions are Date (to 2149-06-06) and the minute rollups DateTime, seconds in a UInt32
 * (1970-01-01 .. 2106-02-07T06:28:15Z): outside this range chDB wraps them silently and a query
 * answers for the wrong days. So a time parameter outside it is refused, not clamped.
 */
export const TIME_MIN_MS = 0;
export const TIME_MAX_MS = 4_294_967_295_000;

/** The longest duration a span in that range can have, in milliseconds. */
export const MAX_DURATION_MS = TIME_MAX_MS - TIME_MIN_MS;

/** The range of list and metrics endpoints when `from`/`to` are absent: the hour before `to`. */
export const DEFAULT_RANGE_MS = 60 * 60 * 1000;

const timeRangeMessage = `must be between ${new Date(TIME_MIN_MS).toISOString()} and ${new Date(TIME_MAX_MS).toISOString()}`;

/** A time parameter: epoch milliseconds, or an ISO-8601 date-time. Parsed to epoch ms within what storage holds. */
export const TimeParam = z
  .union([
    z
      .string()
      .regex(/^\d{1,16}$/)
      .transform(Number),
    z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
  ])
  .pipe(z.number().int().min(TIME_MIN_MS, timeRangeMessage).max(TIME_MAX_MS, timeRangeMessage))
  .describe(`Epoch milliseconds or an ISO-8601 date-time, ${timeRangeMessage.replace('must be ', '')}`);

// A lone UTF-16 surrogate (JSON "\ud800") is not Unicode: ClickHouse refuses it in JSON input and
// it cannot be encoded as UTF-8. In unicode mode this class matches only unpaired surrogates.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
export const isWellFormed = (v: string): boolean => !LONE_SURROGATE.test(v);
export const NOT_WELL_FORMED = 'must be valid Unicode (no lone surrogate)';

/** A string parameter or field: at most `max` characters of valid Unicode (optionally trimmed, non-empty). */
export function text(max: number, opts: { min?: number; trim?: boolean } = {}) {
  let s = z.string();
  if (opts.trim) s = s.trim();
  if (opts.min !== undefined) s = s.min(opts.min);
  return s.max(max).refine(isWellFormed, NOT_WELL_FORMED);
}

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
