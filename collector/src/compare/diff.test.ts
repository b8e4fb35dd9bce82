import { describe, expect, it } from 'vitest';
import type { CompareStep } from '@sightline/contract';
import { compareSteps, latencyChanged, totals } from './diff.js';

let seq = 0;
function step(kind: CompareStep['kind'], name: string, over: Partial<CompareStep> = {}): CompareStep {
  seq++;
  return {
    traceId: 't'.repeat(32),
    spanId: seq.toString(16).padStart(16, '0'),
    startTime: String(1_700_000_000_000_000_000n + BigInt(seq) * 1_000_000_000n),
    durationMs: 100,
    kind,
    operation: kind === 'tool' ? 'execute_tool' : kind === 'llm' ? 'chat' : 'invoke_agent',
    name,
    spanName: name,
    agentName: 'agent',
    status: 'ok',
    error: '',
    input: '{"q":1}',
    output: 'done',
    inputTokens: kind === 'llm' ? 10 : 0,
    outputTokens: kind === 'llm' ? 5 : 0,
    costUsd: kind === 'llm' ? 0.001 : null,
    ...over,
  };
}

const changedFields = (r: { fields: Record<string, { changed: boolean }> }) =>
  Object.entries(r.fields)
    .filter(([, f]) => f.changed)
    .map(([k]) => k);

describe('compareSteps', () => {
  it('marks a different tool as a change of choice, a failure as a change of status, the rest as same', () => {
    const a = [step('agent', 'planner'), step('llm', 'gpt-4o'), step('tool', 'web_search'), step('tool', 'fetch')];
    const b = [
      step('agent', 'planner'),
      step('llm', 'gpt-4o'),
      step('tool', 'search_kb'),
      step('tool', 'fetch', { status: 'error', error: 'TimeoutError' }),
    ];
    const { rows, summary } = compareSteps(a, b);
    expect(rows.map((r) => r.op)).toEqual(['same', 'same', 'changed', 'changed']);
    expect(rows.map(changedFields)).toEqual([[], [], ['choice'], ['status']]);
    expect(rows[2]!.fields.choice).toEqual({ a: 'web_search', b: 'search_kb', changed: true });
    expect(rows[3]!.fields.status).toEqual({ a: 'ok', b: 'error: TimeoutError', changed: true });
    expect(summary).toEqual({ onlyA: 0, onlyB: 0, changed: 2, same: 2 });
  });

  it('reports a step only one side took as onlyA / onlyB with null on the other side', () => {
    const a = [step('agent', 'x'), step('tool', 'lookup'), step('llm', 'm')];
    const b = [step('agent', 'x'), step('llm', 'm'), step('tool', 'notify')];
    const { rows, summary } = compareSteps(a, b);
    expect(rows.map((r) => r.op)).toEqual(['same', 'onlyA', 'same', 'onlyB']);
    expect(rows[1]).toMatchObject({ aIndex: 1, bIndex: null, fields: { choice: { a: 'lookup', b: null, changed: true } } });
    expect(summary).toEqual({ onlyA: 1, onlyB: 1, changed: 0, same: 2 });
  });

  it('never aligns steps of different kinds', () => {
    const { rows } = compareSteps([step('tool', 'a')], [step('llm', 'a')]);
    expect(rows.map((r) => r.op)).toEqual(['onlyA', 'onlyB']);
  });

  it('marks arguments, output, tokens and cost when they differ', () => {
    const { rows } = compareSteps(
      [step('llm', 'm'), step('tool', 't')],
      [step('llm', 'm', { outputTokens: 50, costUsd: 0.002 }), step('tool', 't', { input: '{"q":2}', output: 'other' })],
    );
    expect(rows.map(changedFields)).toEqual([
      ['tokens', 'costUsd'],
      ['arguments', 'output'],
    ]);
  });

  it('calls latency changed past both 50 ms and 25 % of the slower, not on jitter', () => {
    expect(latencyChanged(100, 120)).toBe(false);
    expect(latencyChanged(1000, 1200)).toBe(false);
    expect(latencyChanged(100, 200)).toBe(true);
    expect(latencyChanged(1000, 2000)).toBe(true);
  });

  it('totals latency, tokens and cost of model calls, and errors', () => {
    const t = totals([step('agent', 'a', { inputTokens: 99 }), step('llm', 'm'), step('tool', 't', { status: 'error' })]);
    expect(t).toMatchObject({ steps: 3, latencyMs: 300, tokens: 15, costUsd: 0.001, errors: 1 });
    expect(totals([])).toEqual({ steps: 0, latencyMs: 0, wallMs: 0, tokens: 0, costUsd: 0, errors: 0 });
  });
});
