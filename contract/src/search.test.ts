import { describe, expect, it } from 'vitest';
import { TraceListQuery } from './query.js';
import { highlightTexts, MAX_SEARCH_TERMS, parseSearch, searchWords, splitMatches } from './search.js';

const terms = (q: string) => {
  const r = parseSearch(q);
  if (!r.ok) throw new Error(r.message);
  return r.terms;
};

describe('parseSearch', () => {
  it('reads plain words as any-field terms, lower-cased, all required', () => {
    expect(terms('Refund  ORDER')).toEqual([
      { field: 'any', text: 'refund', words: ['refund'] },
      { field: 'any', text: 'order', words: ['order'] },
    ]);
  });

  it('keeps a quoted phrase as one term with its words', () => {
    expect(terms('"refund issued" late')).toEqual([
      { field: 'any', text: 'refund issued', words: ['refund', 'issued'] },
      { field: 'any', text: 'late', words: ['late'] },
    ]);
  });

  it('scopes input:, output:, tool: and attr.key=value, quoted values included', () => {
    expect(terms('input:"Where is" output:shipped tool:lookup_order attr.user.tier=Gold')).toEqual([
      { field: 'input', text: 'where is', words: ['where', 'is'] },
      { field: 'output', text: 'shipped', words: ['shipped'] },
      { field: 'tool', text: 'lookup_order', words: ['lookup', 'order'] },
      { field: 'attr', key: 'user.tier', text: 'gold', words: ['gold'] },
    ]);
  });

  it('treats an unknown prefix as text to find, not a field', () => {
    expect(terms('status:ok')).toEqual([{ field: 'any', text: 'status:ok', words: ['status', 'ok'] }]);
  });

  it.each([
    ['"refund', 'a quote is not closed'],
    ['input:', 'input: has no value'],
    ['attr.tier=', 'attr.tier= has no value'],
    ['""', 'an empty phrase'],
    ['---', '--- has no letters or digits to search for'],
    ['re"fu"nd', 'a quote must enclose a whole value: re"fu"nd'],
    ['   ', 'nothing to search for'],
    [Array.from({ length: MAX_SEARCH_TERMS + 1 }, (_, i) => `w${i}`).join(' '), `at most ${MAX_SEARCH_TERMS} terms`],
  ])('refuses %j: %s', (q, message) => {
    expect(parseSearch(q)).toEqual({ ok: false, message });
  });

  it('tokenizes like hasToken: ASCII punctuation separates, non-ASCII letters are word characters', () => {
    expect(searchWords('order-4411 café_Crème')).toEqual(['order', '4411', 'café', 'crème']);
  });
});

describe('q at the boundary', () => {
  it('refuses bad syntax on the field q and accepts good syntax unchanged', () => {
    const bad = TraceListQuery.safeParse({ q: 'input:"open' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['q']);
    expect(bad.error?.issues[0]?.message).toBe('search syntax: a quote is not closed');
    expect(TraceListQuery.parse({ q: 'tool:x refund' }).q).toBe('tool:x refund');
  });
});

describe('highlighting', () => {
  it('marks whole words and phrases, case-insensitive, longest first', () => {
    const needles = highlightTexts('refund "refund issued"');
    expect(needles).toEqual(['refund issued', 'refund']);
    expect(splitMatches('Refund issued; refunded? REFUND.', needles)).toEqual([
      { text: 'Refund issued', match: true },
      { text: '; refunded? ', match: false },
      { text: 'REFUND', match: true },
      { text: '.', match: false },
    ]);
  });

  it('returns the text as one plain part when nothing matches or the search is invalid', () => {
    expect(splitMatches('<b>x</b>', highlightTexts('y'))).toEqual([{ text: '<b>x</b>', match: false }]);
    expect(highlightTexts('"open')).toEqual([]);
  });
});
