/**
 * The simulated support desk: intents, tools, the fake model's policy, and how all of it shifts
 * after the drift point. Deterministic for a given seed.
 */
import type { Clock } from './clock.js';
import type { Rng } from './prng.js';

export type Intent = 'order_status' | 'refund' | 'product_question' | 'billing' | 'complaint';
export type ToolName = 'search_kb' | 'lookup_order' | 'refund' | 'escalate' | 'web_search';

export interface Situation {
  rng: Rng;
  clock: Clock;
  /** After the drift point: the agent's tool choice, path and output format change. */
  drifted: boolean;
  /** Inside the incident window: lookup_order is slow and flaky. */
  incident: boolean;
  /** Live mode's scheduled latency spike: every model and tool call takes this many times longer (1 outside it). */
  slowdown: number;
}

export const INTENT_WEIGHTS: Record<Intent, number> = {
  order_status: 30,
  product_question: 30,
  refund: 15,
  billing: 15,
  complaint: 10,
};

const QUESTIONS: Record<Intent, string[]> = {
  order_status: ['Where is my order #{n}?', 'My package #{n} has not arrived', 'Any update on order {n}?'],
  refund: ['I want a refund for order #{n}', 'Item {n} arrived broken, please refund', 'Refund my last order'],
  product_question: ['Does the X200 support USB-C?', 'How do I reset my router?', 'Is the blue jacket waterproof?'],
  billing: ['I was charged twice this month', 'Why is my invoice {n} higher?', 'Update my card please'],
  complaint: ['This is the third time my order is late!', 'Your support never answers', 'I am very unhappy with {n}'],
};

export function question(s: Situation, intent: Intent): string {
  return s.rng.pick(QUESTIONS[intent]).replace('{n}', String(s.rng.int(10000, 99999)));
}

/** The plan the (fake) model follows for an intent: the tools it calls, in order. */
export function plan(s: Situation, intent: Intent): ToolName[] {
  const { rng, drifted } = s;
  switch (intent) {
    case 'product_question':
      if (drifted && rng.chance(0.8)) return rng.chance(0.5) ? ['web_search', 'web_search', 'web_search'] : ['web_search', 'web_search'];
      return rng.chance(0.3) ? ['search_kb', 'search_kb'] : ['search_kb'];
    case 'order_status':
      return drifted && rng.chance(0.6) ? ['search_kb', 'lookup_order', 'web_search'] : ['lookup_order'];
    case 'refund':
      return drifted && rng.chance(0.5) ? ['lookup_order', 'search_kb', 'refund', 'escalate'] : ['lookup_order', 'refund'];
    case 'billing':
      return rng.chance(0.5) ? ['lookup_order', 'refund'] : ['lookup_order'];
    case 'complaint':
      return drifted && rng.chance(0.5) ? ['web_search', 'escalate'] : ['search_kb', 'escalate'];
  }
}

export class ToolError extends Error {
  override name = 'ToolError';
}
export class ToolTimeoutError extends Error {
  override name = 'ToolTimeoutError';
}

const TOOL_MEDIAN_MS: Record<ToolName, number> = {
  search_kb: 100,
  lookup_order: 150,
  refund: 250,
  escalate: 80,
  web_search: 900,
};

/** Runs a fake tool: latency (with rare 10x outliers, the incident window and the live spike), ~4% failures. */
export async function runTool(s: Situation, name: ToolName, args: Record<string, unknown>): Promise<unknown> {
  const { rng, clock } = s;
  let ms = rng.lognormal(TOOL_MEDIAN_MS[name], 0.5);
  // Rare enough that a run's p95 stays under 2 s outside incidents: ~1% of runs hit one.
  if (rng.chance(0.003)) ms *= 10;
  const slowIncident = s.incident && name === 'lookup_order';
  if (slowIncident) ms *= 5;
  await clock.sleep(ms * s.slowdown);
  const failRate = slowIncident ? 0.2 : name === 'web_search' ? 0.06 : 0.035;
  if (rng.chance(failRate)) {
    if (rng.chance(0.5)) throw new ToolTimeoutError(`${name} timed out after ${Math.round(ms)} ms`);
    throw new ToolError(`${name} failed: upstream returned 503`);
  }
  switch (name) {
    case 'search_kb':
      return { articles: [`kb-${rng.int(100, 999)}`, `kb-${rng.int(100, 999)}`], query: args.query };
    case 'web_search':
      return { results: Array.from({ length: 5 }, (_, i) => ({ url: `https://example.com/r${i}`, snippet: 'lorem ipsum' })) };
    case 'lookup_order':
      return { order: args.order, status: rng.pick(['shipped', 'processing', 'delivered', 'delayed']), eta_days: rng.int(0, 7) };
    case 'refund':
      return { refund_id: `rf_${rng.int(1e5, 1e6)}`, amount: rng.int(5, 300) };
    case 'escalate':
      return { ticket: `T-${rng.int(1000, 9999)}`, queue: 'tier-2' };
  }
}

/** What the fake model answers at the end; after drift the shape changes (long JSON instead of text). */
export function finalAnswer(s: Situation, intent: Intent): string {
  if (s.drifted) {
    return JSON.stringify({
      intent,
      answer: 'Thanks for reaching out! '.repeat(s.rng.int(4, 9)),
      sources: ['web'],
      confidence: Number(s.rng.next().toFixed(2)),
    });
  }
  return `Here is what I found about your ${intent.replace('_', ' ')}. Anything else?`;
}
