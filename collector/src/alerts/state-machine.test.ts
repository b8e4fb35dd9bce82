import { describe, expect, it } from 'vitest';
import { INITIAL, observe, step, type ScopeState } from './state-machine.js';

const opts = { forEvaluations: 2, resolveEvaluations: 2 };

/** Feeds values through the machine against a threshold of 100 with 10 % hysteresis; returns the transitions. */
function run(values: Array<number | null>, o = opts, start: ScopeState = INITIAL): { transitions: string[]; last: ScopeState } {
  let s = start;
  const transitions: string[] = [];
  values.forEach((v, i) => {
    const r = step(s, observe(v, 100, 10), o, (i + 1) * 60_000);
    if (r.transition) transitions.push(`${r.transition.from}->${r.transition.to}`);
    s = r.next;
  });
  return { transitions, last: s };
}

describe('alert state machine', () => {
  it('goes ok → pending → firing after forEvaluations breaches, then resolved after resolveEvaluations clears', () => {
    const { transitions, last } = run([50, 150, 150, 150, 50, 50, 50]);
    expect(transitions).toEqual(['ok->pending', 'pending->firing', 'firing->resolved']);
    expect(last.state).toBe('resolved');
    expect(last.seq).toBe(3);
  });

  it('fires on the first breach when forEvaluations is 1', () => {
    expect(run([150], { forEvaluations: 1, resolveEvaluations: 1 }).transitions).toEqual(['ok->firing']);
  });

  it('returns to ok without firing when the breach does not last', () => {
    const { transitions, last } = run([150, 50, 150, 50]);
    expect(transitions).toEqual(['ok->pending', 'pending->ok', 'ok->pending', 'pending->ok']);
    expect(last.state).toBe('ok');
  });

  it('does not flap when the value hovers around the threshold once firing', () => {
    const hovering = [101, 105, 99, 102, 97, 100, 103, 95, 101, 98];
    const { transitions, last } = run(hovering);
    expect(transitions).toEqual(['ok->pending', 'pending->firing']);
    expect(last.state).toBe('firing');
  });

  it('restarts the clear count when the value re-enters the band', () => {
    const { transitions } = run([150, 150, 50, 95, 50, 50]);
    expect(transitions).toEqual(['ok->pending', 'pending->firing', 'firing->resolved']);
    expect(run([150, 150, 50, 95, 50]).last.state).toBe('firing');
  });

  it('keeps a firing alert firing while there is no data: missing data is not recovery', () => {
    const { transitions, last } = run([150, 150, null, null, null]);
    expect(transitions).toEqual(['ok->pending', 'pending->firing']);
    expect(last).toMatchObject({ state: 'firing', value: 150 });
  });

  it('counts clears across gaps of no data, and resolves on clear values only', () => {
    expect(run([150, 150, 50, null, 50]).transitions).toEqual(['ok->pending', 'pending->firing', 'firing->resolved']);
    expect(run([150, 150, 50, null, 150, 50]).transitions).toEqual(['ok->pending', 'pending->firing']);
  });

  it('sends a pending alert back to ok on no data', () => {
    expect(run([150, null]).transitions).toEqual(['ok->pending', 'pending->ok']);
  });

  it('never breaches on no data', () => {
    expect(run([null, null, null]).transitions).toEqual([]);
  });

  it('can fire again after resolving, with a new transition sequence number', () => {
    const { transitions, last } = run([150, 150, 50, 50, 150, 150]);
    expect(transitions).toEqual(['ok->pending', 'pending->firing', 'firing->resolved', 'resolved->pending', 'pending->firing']);
    expect(last.seq).toBe(5);
  });

  it('records the value, threshold and evaluation time on every step', () => {
    const { last } = run([42]);
    expect(last).toMatchObject({ value: 42, threshold: 100, lastEvaluatedAt: 60_000, state: 'ok' });
  });
});
