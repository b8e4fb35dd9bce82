import { describe, expect, it } from 'vitest';
import { compareHref, readCompareTarget } from './compare-target';

describe('readCompareTarget', () => {
  it('reads kind, a and b; kind defaults to session', () => {
    expect(readCompareTarget({ kind: 'trace', a: 'x', b: 'y' })).toEqual({ kind: 'trace', a: 'x', b: 'y' });
    expect(readCompareTarget({ a: 'x', b: 'y' })).toEqual({ kind: 'session', a: 'x', b: 'y' });
  });

  it('turns two picked checkboxes into the shareable link, and asks for exactly two', () => {
    expect(readCompareTarget({ kind: 'session', pick: ['s 1', 's&2'] })).toEqual({ redirect: '/compare?kind=session&a=s+1&b=s%262' });
    expect(readCompareTarget({ pick: 'only-one' })).toEqual({ problem: 'pick-two' });
    expect(readCompareTarget({ pick: ['a', 'b', 'c'] })).toEqual({ problem: 'pick-two' });
  });

  it('says what is missing or wrong', () => {
    expect(readCompareTarget({ a: 'x' })).toEqual({ problem: 'missing' });
    expect(readCompareTarget({ a: 'x', b: 'x' })).toEqual({ problem: 'same' });
  });

  it('builds links that read back to the same target', () => {
    const link = compareHref('trace', 'a/b', 'c?d');
    const params = Object.fromEntries(new URL(link, 'http://x').searchParams);
    expect(readCompareTarget(params)).toEqual({ kind: 'trace', a: 'a/b', b: 'c?d' });
  });
});
