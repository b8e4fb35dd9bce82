/**
 * The cache and reasoning parts of a model call's tokens, and the cost its instrumentation already
 * reported, read from every convention's names (they do not collide, so one table serves all).
 * Applied to model-call spans after their convention's normalizer filled the token columns.
 * A reported cost wins over any price (pricing/pricer.ts prices only spans left unpriced here).
 *
 * Names, checked against the instrumentations' sources:
 * - OpenTelemetry GenAI: gen_ai.usage.cache_read.input_tokens, gen_ai.usage.cache_creation.input_tokens;
 *   OpenLLMetry/Traceloop: gen_ai.usage.cache_read_input_tokens, gen_ai.usage.cache_creation_input_tokens,
 *   gen_ai.usage.reasoning_tokens.
 * - OpenLIT: gen_ai.usage.cost (total USD); gen_ai.usage.input_cost / output_cost (any-agent, Laminar).
 * - OpenInference (openinference-semantic-conventions 2.x): llm.token_count.prompt_details.cache_read /
 *   cache_write, llm.token_count.completion_details.reasoning; llm.cost.total, llm.cost.prompt,
 *   llm.cost.completion.
 * - Vercel AI SDK 5/6: ai.usage.cachedInputTokens, ai.usage.inputTokenDetails.cacheReadTokens /
 *   cacheWriteTokens, ai.usage.reasoningTokens, ai.usage.outputTokenDetails.reasoningTokens.
 * - Langfuse (@langfuse/tracing 4/5): langfuse.observation.usage_details (JSON; cache keys as the
 *   providers name them) and langfuse.observation.cost_details (JSON: input, output, total, …).
 */
import type { SpanRow } from '../storage/span-row.js';
import { first, parseJson, tokenCount } from './shared.js';

const CACHE_READ = [
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_read_input_tokens',
  'llm.token_count.prompt_details.cache_read',
  'ai.usage.inputTokenDetails.cacheReadTokens',
  'ai.usage.cachedInputTokens',
];
const CACHE_WRITE = [
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.cache_creation_input_tokens',
  'llm.token_count.prompt_details.cache_write',
  'ai.usage.inputTokenDetails.cacheWriteTokens',
];
const REASONING = [
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.reasoning_tokens',
  'llm.token_count.completion_details.reasoning',
  'ai.usage.outputTokenDetails.reasoningTokens',
  'ai.usage.reasoningTokens',
];
const LANGFUSE_USAGE = 'langfuse.observation.usage_details';
const LANGFUSE_COST = 'langfuse.observation.cost_details';
const LANGFUSE_CACHE_READ = ['cache_read_input_tokens', 'input_cached_tokens', 'cached_tokens', 'cache_read'];
const LANGFUSE_CACHE_WRITE = ['cache_creation_input_tokens', 'cache_write', 'input_cache_creation'];
const LANGFUSE_REASONING = ['reasoning_tokens', 'output_reasoning_tokens', 'reasoning'];

/** A reported amount in USD: a finite non-negative number, else undefined (an unusable report is ignored). */
function usd(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 && n < 1e9 ? n : undefined;
}

function jsonObject(v: string | undefined): Record<string, unknown> | undefined {
  const o = parseJson(v);
  return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
}

function pick(o: Record<string, unknown> | undefined, keys: readonly string[]): number {
  if (!o) return 0;
  for (const k of keys) if (o[k] !== undefined) return tokenCount(o[k]);
  return 0;
}

/** Reported cost as [input, output, total]; undefined when the instrumentation reported none. */
function reportedCost(a: Readonly<Record<string, string>>): [number, number, number] | undefined {
  const lf = jsonObject(a[LANGFUSE_COST]);
  if (lf) {
    // Langfuse's cost details are free-form keys; total is their sum when not given.
    let input = 0;
    let output = 0;
    let sum = 0;
    for (const [k, v] of Object.entries(lf)) {
      const n = usd(v);
      if (n === undefined || k === 'total') continue;
      sum += n;
      if (/output|completion|reasoning/.test(k)) output += n;
      else input += n;
    }
    const total = usd(lf.total) ?? sum;
    return Object.keys(lf).length > 0 ? [input, output, total] : undefined;
  }
  const input = usd(first(a, ['llm.cost.prompt', 'gen_ai.usage.input_cost']));
  const output = usd(first(a, ['llm.cost.completion', 'gen_ai.usage.output_cost']));
  const total = usd(first(a, ['llm.cost.total', 'gen_ai.usage.cost']));
  if (input === undefined && output === undefined && total === undefined) return undefined;
  return [input ?? 0, output ?? 0, total ?? (input ?? 0) + (output ?? 0)];
}

/** Fills the cache/reasoning token columns and, when reported, the cost columns of a model-call row. */
export function readUsageDetails(row: SpanRow): void {
  const a = row.span_attributes;
  const lfUsage = row.convention === 'langfuse' ? jsonObject(a[LANGFUSE_USAGE]) : undefined;
  row.cache_read_tokens = tokenCount(first(a, CACHE_READ)) || pick(lfUsage, LANGFUSE_CACHE_READ);
  row.cache_write_tokens = tokenCount(first(a, CACHE_WRITE)) || pick(lfUsage, LANGFUSE_CACHE_WRITE);
  row.reasoning_tokens = tokenCount(first(a, REASONING)) || pick(lfUsage, LANGFUSE_REASONING);
  const cost = reportedCost(a);
  if (cost) {
    [row.input_cost, row.output_cost, row.total_cost] = cost;
    row.cost_source = 'reported';
  }
}
