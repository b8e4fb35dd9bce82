/**
 * What a model call used and what it cost, in the shapes every part of pricing shares.
 *
 * Token counts follow the OpenTelemetry GenAI convention and @pydantic/genai-prices: `input`
 * counts every input token, cache reads and writes included (they are parts of it, priced at their
 * own rates), and `output` counts every output token, reasoning included.
 */
export interface ModelUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

/** A cost in US dollars, split by direction as the price database splits it. */
export interface Cost {
  input: number;
  output: number;
  total: number;
}

/**
 * Where a span's cost came from. `''` is unpriced: a model call no source could price keeps its
 * tokens and shows as unpriced, never as $0.
 */
export type CostSource = 'reported' | 'custom' | 'database' | '';

/**
 * The parts of the input and output that are priced at the base rate: cache tokens are parts of the
 * input and reasoning tokens of the output, so they are taken out (clamped: an instrumentation that
 * reports cache tokens outside the input total still gets a non-negative base part).
 */
export function partitions(u: ModelUsage): {
  cacheRead: number;
  cacheWrite: number;
  plainInput: number;
  reasoning: number;
  plainOutput: number;
} {
  const cacheRead = Math.min(u.cacheRead, u.input);
  const cacheWrite = Math.min(u.cacheWrite, u.input - cacheRead);
  const reasoning = Math.min(u.reasoning, u.output);
  return { cacheRead, cacheWrite, plainInput: u.input - cacheRead - cacheWrite, reasoning, plainOutput: u.output - reasoning };
}
