/**
 * Prices from @pydantic/genai-prices (a maintained price database, bundled: no network), with a
 * per-model cache so that ingest does not search the database for every span.
 *
 * `calcPrice` matches the provider and the model (dated variants such as gpt-4o-mini-2024-07-18
 * included) and then validates and prices the usage: ~35–60 µs a call, too slow for every model
 * call at ingest rates. So the match is done once per (provider, model), and for the usual model
 * (flat per-token prices) the library's own prices are read back as rates by pricing unit usages
 * once, then applied per span with a few multiplications. A model whose price is not linear in the
 * tokens (tiered by prompt size) or changes with the time of day is priced by `calcPrice` on every
 * span, restricted to its one model. Rates of a model whose price changed on a date are kept per
 * UTC day. Every derived rate set is checked against `calcPrice` on a mixed usage before use.
 */
import { calcPrice, type ModelInfo, type Provider } from '@pydantic/genai-prices';
import { partitions, type Cost, type ModelUsage } from './usage.js';

/**
 * Our provider names (gen_ai.provider.name) that the database's own provider matching misses or
 * maps to another provider; the rest (openai, anthropic, gcp.vertex_ai, aws.bedrock, ...) it matches.
 */
// A Map, not an object literal: the keys come from spans, and an object would answer '__proto__'.
const PROVIDER_ALIASES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'azure.ai.openai': 'azure',
    'azure.ai.inference': 'azure',
    'az.ai.openai': 'azure',
    'az.ai.inference': 'azure',
    x_ai: 'x-ai',
  }),
);

/** The rate of one usage kind, in USD per token, split by direction (a kind is priced in one direction). */
type Rate = readonly [input: number, output: number];

interface Rates {
  base: Rate; // per call (request fees)
  plainInput: Rate;
  cacheRead: Rate;
  cacheWrite: Rate;
  plainOutput: Rate;
  reasoning: Rate;
}

interface Resolved {
  modelId: string;
  /** The matched provider with only the matched model: `calcPrice` then searches nothing. */
  provider: Provider;
  mode: 'flat' | 'dated' | 'exact';
  flat?: Rates | null;
  /** Rates per UTC day number, for models whose price changed on a date. */
  days?: Map<number, Rates | null>;
}

const MAX_MODELS = 10_000;
const DAY_MS = 86_400_000;
const UNIT = 1_000_000;

/** The database price of a model call, or undefined when the database does not know the model. */
export class PriceDatabase {
  private readonly models = new Map<string, Resolved | null>();

  price(provider: string, model: string, usage: ModelUsage, atMs: number): Cost | undefined {
    if (model === '') return undefined;
    const r = this.resolve(provider, model);
    if (!r) return undefined;
    if (r.mode === 'exact') return this.exact(r, usage, atMs);
    let rates: Rates | null | undefined;
    if (r.mode === 'flat') rates = r.flat;
    else {
      const day = Math.floor(atMs / DAY_MS);
      rates = r.days!.get(day);
      if (rates === undefined) {
        rates = deriveRates(r, day * DAY_MS);
        if (r.days!.size > 1000) r.days!.clear();
        r.days!.set(day, rates);
      }
    }
    return rates ? apply(rates, usage) : this.exact(r, usage, atMs);
  }

  /** The database's name of the model a (provider, model) pair matches, for display; undefined when none. */
  matchedModel(provider: string, model: string): string | undefined {
    return this.resolve(provider, model)?.provider.models[0]?.id;
  }

  private resolve(provider: string, model: string): Resolved | null {
    const key = `${provider}\u0000${model}`;
    let r = this.models.get(key);
    if (r !== undefined) return r;
    r = resolveModel(provider, model);
    // A bound on distinct names: garbage model names must not grow memory without limit.
    if (this.models.size >= MAX_MODELS) this.models.clear();
    this.models.set(key, r);
    return r;
  }

  private exact(r: Resolved, usage: ModelUsage, atMs: number): Cost | undefined {
    const p = partitions(usage);
    try {
      const res = calcPrice(
        {
          input_tokens: usage.input,
          output_tokens: usage.output,
          cache_read_tokens: p.cacheRead,
          cache_write_tokens: p.cacheWrite,
          output_reasoning_tokens: p.reasoning,
        },
        r.modelId,
        { provider: r.provider, timestamp: new Date(atMs) },
      );
      return res ? { input: res.input_price, output: res.output_price, total: res.total_price } : undefined;
    } catch {
      return undefined; // usage the database refuses (a bad count) is unpriced, not a failed ingest
    }
  }
}

function resolveModel(provider: string, model: string): Resolved | null {
  const p = provider.trim().toLowerCase();
  const providerId = PROVIDER_ALIASES.get(p) ?? p;
  let found: ReturnType<typeof calcPrice> = null;
  try {
    // An unknown provider name (a gateway, a self-hosted endpoint) still gets the model's own match.
    found = (providerId ? calcPrice({ input_tokens: 0 }, model, { providerId }) : null) ?? calcPrice({ input_tokens: 0 }, model);
  } catch {
    return null;
  }
  if (!found) return null;
  const only: ModelInfo = found.model;
  const single: Provider = { ...found.provider, models: [only], fallback_model_providers: [] };
  const r: Resolved = { modelId: model, provider: single, mode: modeOf(only) };
  if (r.mode === 'flat') r.flat = deriveRates(r, Date.now());
  if (r.mode === 'dated') r.days = new Map();
  return r;
}

function modeOf(m: ModelInfo): Resolved['mode'] {
  const prices = Array.isArray(m.prices) ? m.prices : [{ prices: m.prices }];
  const tiered = prices.some((c) => Object.values(c.prices).some((v) => typeof v === 'object'));
  if (tiered || prices.some((c) => c.constraint?.type === 'time_of_date')) return 'exact';
  return Array.isArray(m.prices) ? 'dated' : 'flat';
}

/** Rates read back from the library at `atMs`; null when they do not reproduce its price (then every span goes to calcPrice). */
function deriveRates(r: Resolved, atMs: number): Rates | null {
  const at = new Date(atMs);
  const quote = (u: Record<string, number>): Rate | undefined => {
    const res = calcPrice(u, r.modelId, { provider: r.provider, timestamp: at });
    return res ? [res.input_price, res.output_price] : undefined;
  };
  try {
    const base = quote({});
    const per = (u: Record<string, number>): Rate => {
      const q = quote(u);
      if (!q || !base) throw new Error('unpriced');
      return [(q[0] - base[0]) / UNIT, (q[1] - base[1]) / UNIT];
    };
    if (!base) return null;
    const rates: Rates = {
      base,
      plainInput: per({ input_tokens: UNIT }),
      cacheRead: per({ input_tokens: UNIT, cache_read_tokens: UNIT }),
      cacheWrite: per({ input_tokens: UNIT, cache_write_tokens: UNIT }),
      plainOutput: per({ output_tokens: UNIT }),
      reasoning: per({ output_tokens: UNIT, output_reasoning_tokens: UNIT }),
    };
    // The check: a usage with every kind at once must cost what the library says it costs.
    const probe: ModelUsage = { input: 12_345, output: 6_789, cacheRead: 2_345, cacheWrite: 1_234, reasoning: 1_111 };
    const expected = quote({
      input_tokens: probe.input,
      output_tokens: probe.output,
      cache_read_tokens: probe.cacheRead,
      cache_write_tokens: probe.cacheWrite,
      output_reasoning_tokens: probe.reasoning,
    });
    const got = apply(rates, probe);
    if (!expected || !close(got.input, expected[0]) || !close(got.output, expected[1])) return null;
    return rates;
  } catch {
    return null;
  }
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b);

function apply(r: Rates, usage: ModelUsage): Cost {
  const p = partitions(usage);
  const input =
    r.base[0] +
    p.plainInput * r.plainInput[0] +
    p.cacheRead * r.cacheRead[0] +
    p.cacheWrite * r.cacheWrite[0] +
    p.plainOutput * r.plainOutput[0] +
    p.reasoning * r.reasoning[0];
  const output =
    r.base[1] +
    p.plainInput * r.plainInput[1] +
    p.cacheRead * r.cacheRead[1] +
    p.cacheWrite * r.cacheWrite[1] +
    p.plainOutput * r.plainOutput[1] +
    p.reasoning * r.reasoning[1];
  return { input, output, total: input + output };
}
