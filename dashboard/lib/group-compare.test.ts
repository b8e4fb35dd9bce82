import { describe, expect, it } from 'vitest';
import { readGroupTarget } from './group-compare';

describe('readGroupTarget', () => {
  it('compares two releases of an agent', () => {
    const t = readGroupTarget({ agent: 'bot', 'a.release': '1.0', 'b.release': '1.1' });
    expect(t).toMatchObject({ params: { agent: 'bot', releaseA: '1.0', releaseB: '1.1' } });
  });

  it('compares two time ranges, ISO or epoch ms, and takes the agent from a.agent / b.agent', () => {
    const t = readGroupTarget({
      'a.agent': 'bot',
      'b.agent': 'bot',
      'a.from': '1000',
      'a.to': '2000',
      'b.from': '1970-01-01T00:00:03Z',
      'b.to': '4000',
    });
    expect(t).toEqual({
      query: { agent: 'bot', a: { from: 1000, to: 2000 }, b: { from: 3000, to: 4000 } },
      params: { agent: 'bot', fromA: 1000, toA: 2000, fromB: 3000, toB: 4000 },
    });
  });

  it('explains what is missing or not comparable', () => {
    expect(readGroupTarget({})).toEqual({ problem: 'Pick an agent.' });
    expect(readGroupTarget({ 'a.agent': 'x', 'b.agent': 'y' })).toHaveProperty('problem');
    expect(readGroupTarget({ agent: 'bot', 'a.release': '1.0' })).toMatchObject({
      problem: 'Give a release for both A and B.',
      agent: 'bot',
    });
    expect(readGroupTarget({ agent: 'bot', 'a.from': '1', 'a.to': '2' })).toHaveProperty('problem');
    expect(readGroupTarget({ agent: 'bot', 'a.from': '5', 'a.to': '2', 'b.from': '1', 'b.to': '2' })).toHaveProperty('problem');
  });
});
