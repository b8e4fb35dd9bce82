/** Custom prices: a pattern matches like a glob, the latest valid price applies, and a project sees only its own. */
import { describe, expect, it } from 'vitest';
import { customCost, CustomPriceBook, patternMatcher } from './custom-prices.js';

const price = (over: Partial<Parameters<CustomPriceBook['replace']>[0][number]>) => ({
  projectId: 'p1',
  id: 'x',
  modelPattern: 'gpt-4o*',
  provider: '',
  inputPerMTok: 1,
  outputPerMTok: 2,
  cacheReadPerMTok: null,
  cacheWritePerMTok: null,
  reasoningPerMTok: null,
  validFrom: 0,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

describe('custom prices', () => {
  it('matches a pattern with * as any run, case-insensitive, everything else literally', () => {
    const m = patternMatcher('gpt-4o*');
    expect([m('gpt-4o'), m('GPT-4o-mini-2024-07-18'), m('xgpt-4o'), m('gpt-4')]).toEqual([true, true, false, false]);
    expect(patternMatcher('a.b')('axb')).toBe(false);
  });

  it('applies the latest price valid at the call, of the call’s project and provider only', () => {
    const book = new CustomPriceBook();
    book.replace([
      price({ id: 'old', validFrom: 0, inputPerMTok: 1 }),
      price({ id: 'new', validFrom: 1000, inputPerMTok: 3 }),
      price({ id: 'azure', provider: 'azure', validFrom: 2000, inputPerMTok: 9 }),
      price({ id: 'other', projectId: 'p2', inputPerMTok: 5 }),
    ]);
    expect(book.priceFor('p1', 'openai', 'gpt-4o', 500)?.id).toBe('old');
    expect(book.priceFor('p1', 'openai', 'gpt-4o', 5000)?.id).toBe('new');
    expect(book.priceFor('p1', 'Azure', 'gpt-4o', 5000)?.id).toBe('azure');
    expect(book.priceFor('p2', 'openai', 'gpt-4o', 5000)?.id).toBe('other');
    expect(book.priceFor('p3', 'openai', 'gpt-4o', 5000)).toBeUndefined();
    expect(book.priceFor('p1', 'openai', 'claude-3', 5000)).toBeUndefined();
  });

  it('prices cache tokens at the input price and reasoning at the output price unless set', () => {
    const usage = { input: 1000, output: 500, cacheRead: 400, cacheWrite: 100, reasoning: 200 };
    expect(customCost(price({}), usage).total).toBeCloseTo((1000 * 1 + 500 * 2) / 1e6, 15);
    const c = customCost(price({ cacheReadPerMTok: 0.1, cacheWritePerMTok: 1.25, reasoningPerMTok: 4 }), usage);
    expect(c.input).toBeCloseTo((500 * 1 + 400 * 0.1 + 100 * 1.25) / 1e6, 15);
    expect(c.output).toBeCloseTo((300 * 2 + 200 * 4) / 1e6, 15);
  });
});
