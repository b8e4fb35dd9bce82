/**
 * The per-model rate cache prices exactly as the library's own calcPrice does (which it only
 * replaces on the hot path), for flat, tiered, time-of-day and dated models, and never prices what
 * the database does not know.
 */
import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { PriceDatabase } from './price-database.js';
import type { ModelUsage } from './usage.js';

const usages: ModelUsage[] = [
  { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
  { input: 1200, output: 300, cacheRead: 200, cacheWrite: 0, reasoning: 0 },
  { input: 5000, output: 800, cacheRead: 0, cacheWrite: 1000, reasoning: 120 },
  { input: 250_000, output: 4000, cacheRead: 10_000, cacheWrite: 0, reasoning: 1000 }, // past a 200k tier
];

const MODELS: Array<[provider: string, model: string]> = [
  ['openai', 'gpt-4o-mini-2024-07-18'],
  ['openai', 'gpt-4o'],
  ['openai', 'o3-mini'],
  ['anthropic', 'claude-3-5-haiku-20241022'],
  ['anthropic', 'claude-sonnet-4-20250514'],
  ['gcp.vertex_ai', 'gemini-2.5-pro'], // tiered by prompt size
  ['deepseek', 'deepseek-chat'], // priced by time of day
  ['', 'gpt-4o-mini'], // no provider: matched by the model name
];

const times = [Date.UTC(2025, 5, 1, 3, 0), Date.UTC(2025, 5, 1, 20, 0), Date.UTC(2026, 0, 15, 12, 0)];

describe('PriceDatabase', () => {
  it.each(MODELS)('prices %s %s as calcPrice does, at every time and usage', (provider, model) => {
    const db = new PriceDatabase();
    for (const at of times) {
      for (const u of usages) {
        const got = db.price(provider, model, u, at);
        const want = calcPrice(
          {
            input_tokens: u.input,
            output_tokens: u.output,
            cache_read_tokens: u.cacheRead,
            cache_write_tokens: u.cacheWrite,
            output_reasoning_tokens: u.reasoning,
          },
          model,
          provider === ''
            ? { timestamp: new Date(at) }
            : { providerId: provider === 'gcp.vertex_ai' ? 'google' : provider, timestamp: new Date(at) },
        );
        expect(want, `${model} is in the database`).not.toBeNull();
        expect(got!.total).toBeCloseTo(want!.total_price, 12);
        expect(got!.input).toBeCloseTo(want!.input_price, 12);
        expect(got!.output).toBeCloseTo(want!.output_price, 12);
      }
    }
  });

  it('leaves a model the database does not know unpriced, with or without a provider', () => {
    const db = new PriceDatabase();
    const u = usages[1]!;
    expect(db.price('acme', 'acme-inhouse-7b', u, times[0]!)).toBeUndefined();
    expect(db.price('', 'definitely-not-a-model', u, times[0]!)).toBeUndefined();
    expect(db.price('openai', '', u, times[0]!)).toBeUndefined();
  });

  it('clamps cache tokens reported beyond the input instead of failing the span', () => {
    const db = new PriceDatabase();
    const cost = db.price('openai', 'gpt-4o-mini', { input: 10, output: 5, cacheRead: 50, cacheWrite: 0, reasoning: 0 }, times[0]!);
    expect(cost!.total).toBeCloseTo((10 * 0.075 + 5 * 0.6) / 1e6, 15);
  });

  it('names the database model a dated variant or an aliased provider matches', () => {
    const db = new PriceDatabase();
    expect(db.matchedModel('openai', 'gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini');
    expect(db.matchedModel('x_ai', 'grok-3')).toBeDefined();
  });
});
