/**
 * The Settings forms ⇄ the cost API's inputs, as pure functions (unit-tested). Prices are typed in
 * USD per million tokens; dates as UTC date-times (datetime-local inputs, read as UTC: the UI shows UTC).
 */
import type { CustomPriceInput, RecomputeInput } from '@sightline/contract';

type Fields = Record<string, string>;

/** A number when the field holds one, else the raw text so that the collector names the field as invalid. */
function num(v: string | undefined): number | string | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

/** "2026-12-01T10:00" (no zone) → epoch ms in UTC; the raw text when it is not a date. */
export function utcMs(v: string | undefined): number | string | undefined {
  if (v === undefined || v === '') return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`);
  return Number.isFinite(ms) ? ms : v;
}

export function priceFromFields(f: Fields): CustomPriceInput {
  const out: Record<string, unknown> = {
    modelPattern: f.modelPattern ?? '',
    inputPerMTok: num(f.inputPerMTok),
    outputPerMTok: num(f.outputPerMTok),
  };
  if (f.provider) out.provider = f.provider;
  for (const k of ['cacheReadPerMTok', 'cacheWritePerMTok', 'reasoningPerMTok'] as const) {
    const v = num(f[k]);
    if (v !== undefined) out[k] = v;
  }
  const from = utcMs(f.validFrom);
  if (from !== undefined) out.validFrom = from;
  // The shape is checked by the collector (400 naming the field); the cast only satisfies the compiler.
  return out as unknown as CustomPriceInput;
}

export function recomputeFromFields(f: Fields): RecomputeInput {
  return { from: utcMs(f.from), to: utcMs(f.to) } as unknown as RecomputeInput;
}
