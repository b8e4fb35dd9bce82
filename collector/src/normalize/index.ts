/**
 * The normalizer registry.
 *
 * Precedence: the FIRST normalizer in NORMALIZERS whose `matches` is true claims the span; it
 * alone fills the typed columns and its name goes into `row.convention`. Vendor conventions go
 * BEFORE genai: their spans carry a distinctive marker and often a partial copy of gen_ai.*, and
 * their normalizer knows which of the two to trust (traceloop calls genai's apply, then overlays).
 * The markers, in order:
 *   1. openinference  `openinference.span.kind`
 *   2. vercel-ai      `ai.operationId`
 *   3. traceloop      any `traceloop.*` attribute
 *   4. langfuse       any `langfuse.observation.*` attribute
 *   5. genai          any `gen_ai.*` or `sightline.*` attribute (the generic fallback, last)
 * The span-creating markers (1, 2) come before the context-propagated ones (3, 4): Traceloop and
 * Langfuse copy association/trace attributes onto every span created inside their scope,
 * including OpenInference or Vercel AI spans, which must still be read by their own normalizer.
 *
 * A span no normalizer claims keeps convention '' and all its attributes, untouched.
 * A normalizer that throws (in `matches` or `apply`) leaves the span stored exactly as decoded,
 * counted by normalizeFailures(): ingest never fails on a bug here.
 */
import { MODEL_CALL_OPERATIONS, type SpanRow } from '../storage/span-row.js';
import { genai } from './genai.js';
import { langfuse } from './langfuse.js';
import { openinference } from './openinference.js';
import { propagateSessionIds } from './propagate-session.js';
import { traceloop } from './traceloop.js';
import type { Normalizer } from './types.js';
import { readUsageDetails } from './usage-details.js';
import { vercelAi } from './vercel-ai.js';

const MODEL_CALLS: ReadonlySet<string> = new Set(MODEL_CALL_OPERATIONS);

export type { Normalizer, SpanView } from './types.js';

export const NORMALIZERS: readonly Normalizer[] = [openinference, vercelAi, traceloop, langfuse, genai];

/** Every normalizer's content attributes: the decoder caps these at MAX_CONTENT_CHARS. */
export const CONTENT_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set(NORMALIZERS.flatMap((n) => n.contentKeys));

let failures = 0;

/** Spans a normalizer threw on, since start-up (stored as decoded; shown by /api/health). */
export function normalizeFailures(): number {
  return failures;
}

/** Told of each normalizer exception (the span is still stored, as decoded): for the log. */
export type NormalizeFailureHandler = (err: unknown, normalizer: string, row: SpanRow) => void;

/**
 * Applies the first matching normalizer to `row`, in place; returns the row.
 * A normalizer that throws leaves the row exactly as decoded: its own fields are restored from a
 * shallow snapshot (typed columns back to the decode defaults) and so is `span_attributes`, the
 * one map normalizers write to (they delete the attribute copies of content they moved).
 */
export function normalizeRow(row: SpanRow, normalizers: readonly Normalizer[] = NORMALIZERS, onFailure?: NormalizeFailureHandler): SpanRow {
  for (let i = 0; i < normalizers.length; i++) {
    const n = normalizers[i]!;
    let decoded: SpanRow | undefined;
    let attributes: Record<string, string> | undefined;
    try {
      if (!n.matches(row)) continue;
      decoded = { ...row };
      attributes = { ...row.span_attributes };
      n.apply(row, row);
      row.convention = n.name;
      // Cache/reasoning parts of the tokens and a reported cost, whatever the convention's names.
      if (MODEL_CALLS.has(row.operation)) readUsageDetails(row);
    } catch (err) {
      if (decoded && attributes) {
        Object.assign(row, decoded);
        row.span_attributes = attributes;
      }
      failures++;
      onFailure?.(err, n.name, row);
    }
    return row;
  }
  return row;
}

/** Normalizes every row, then shares session ids across the spans of each trace in the batch. */
export function normalizeRows(
  rows: SpanRow[],
  normalizers: readonly Normalizer[] = NORMALIZERS,
  onFailure?: NormalizeFailureHandler,
): SpanRow[] {
  for (let i = 0; i < rows.length; i++) normalizeRow(rows[i]!, normalizers, onFailure);
  propagateSessionIds(rows);
  return rows;
}
