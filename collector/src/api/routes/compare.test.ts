/**
 * GET /api/compare on a real collector over stored spans (embedded chDB): two sessions that differ
 * in one tool choice and one failed tool call get exactly those two rows marked, and nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompareResult, ErrorBody } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../../index.js';
import { agentTrace } from '../../test-support/span-rows.js';
import { tempDataDir } from '../../test-support/temp-storage.js';

const tmp = tempDataDir();
let collector: RunningCollector;
const startNs = BigInt(Date.now() - 3_600_000) * 1_000_000n;
let traceA = '';
let traceB = '';

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'warn', flushIntervalMs: 100, wal: false });
  // Same agent run twice (3 steps of chat + lookup_order), same timings; B picks another tool in
  // step 0 and its step-2 tool call fails (same output otherwise, the agent span stays ok).
  const a = agentTrace({ traceIndex: 1, startNs, steps: 3, sessionId: 'sess-a' });
  const b = agentTrace({ traceIndex: 2, startNs: startNs + 60_000_000_000n, steps: 3, sessionId: 'sess-b' });
  const tools = b.filter((r) => r.operation === 'execute_tool');
  tools[0]!.tool_name = 'search_kb';
  Object.assign(tools[2]!, { status_code: 'ERROR', error_type: 'TimeoutError', status_message: 'order service timed out' });
  // The same session id in another project: never visible to this one.
  const other = agentTrace({ traceIndex: 3, startNs, steps: 1, sessionId: 'sess-other' });
  [traceA, traceB] = [a[0]!.trace_id, b[0]!.trace_id];
  await collector.pipeline.accept([...a, ...b], 'default');
  await collector.pipeline.accept(other, 'elsewhere');
  await collector.pipeline.flush();
});
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

const get = async (query: string) => {
  const res = await fetch(`${collector.url}/api/compare?${query}`);
  return { status: res.status, body: (await res.json()) as unknown };
};

const marked = (r: CompareResult) =>
  r.rows.flatMap((row, i) =>
    row.op === 'same' ? [] : [`${i} ${row.op}: ${Object.keys(row.fields).filter((k) => row.fields[k as 'choice'].changed)}`],
  );

describe('GET /api/compare', () => {
  it('marks exactly the changed tool choice and the failed call between two sessions', async () => {
    const res = await get('kind=session&a=sess-a&b=sess-b');
    expect(res.status).toBe(200);
    const r = CompareResult.parse(res.body);
    // agent, then per step: chat, tool → 7 steps a side, all aligned.
    expect(r.a.steps.map((s) => `${s.kind}:${s.name}`)).toEqual([
      'agent:support-agent',
      'llm:gpt-4o-2024-08-06',
      'tool:lookup_order',
      'llm:gpt-4o-2024-08-06',
      'tool:lookup_order',
      'llm:gpt-4o-2024-08-06',
      'tool:lookup_order',
    ]);
    expect(marked(r)).toEqual(['2 changed: choice', '6 changed: status']);
    expect(r.rows[2]!.fields.choice).toEqual({ a: 'lookup_order', b: 'search_kb', changed: true });
    expect(r.rows[6]!.fields.status).toEqual({ a: 'ok', b: 'error: TimeoutError', changed: true });
    expect(r.summary).toEqual({ onlyA: 0, onlyB: 0, changed: 2, same: 5 });
    expect(r.a.totals).toMatchObject({ steps: 7, tokens: 3 * (812 + 96), errors: 0 });
    expect(r.b.totals).toMatchObject({ steps: 7, tokens: 3 * (812 + 96), errors: 1 });
  });

  it('compares two traces the same way', async () => {
    const r = CompareResult.parse((await get(`kind=trace&a=${traceA}&b=${traceB}`)).body);
    expect(r.kind).toBe('trace');
    expect(marked(r)).toEqual(['2 changed: choice', '6 changed: status']);
  });

  it('answers 404 naming the side that is not in the caller’s project, 400 for a bad kind', async () => {
    const missing = await get('kind=session&a=sess-a&b=sess-other');
    expect(missing.status).toBe(404);
    expect(ErrorBody.parse(missing.body).error).toMatchObject({ code: 'not_found', field: 'b' });
    expect((await get('kind=session&a=nope&b=sess-b')).status).toBe(404);
    expect((await get(`kind=session&a=${traceA}&b=sess-b`)).status).toBe(404); // a trace id is not a session id
    const bad = await get('kind=span&a=sess-a&b=sess-b');
    expect(bad.status).toBe(400);
    expect(ErrorBody.parse(bad.body).error.field).toBe('kind');
  });
});
