/** Signal extraction inside ClickHouse, on spans written through the real write path. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestPipeline } from '../ingest/pipeline.js';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/client.js';
import { select } from '../storage/queries/common.js';
import type { SpanRow } from '../storage/span-row.js';
import { spanRow } from '../test-support/span-rows.js';
import { openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { DriftEngine } from './engine.js';
import { HOUR_MS } from './materialize.js';
import { mannWhitney } from './stats/numeric.js';

const tmp = tempDataDir();
let storage: Storage;
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const T0 = Date.UTC(2026, 2, 1, 10);
const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

async function write(rows: SpanRow[]): Promise<void> {
  const p = await IngestPipeline.start(storage, {
    batchMaxSpans: 10_000,
    flushIntervalMs: 50,
    queueMaxSpans: 100_000,
    walDir: undefined,
    dedupCapacity: 10_000,
    logger: quiet,
  });
  await p.accept(rows, 'default');
  await p.stop();
}

/** A session as another instrumentation would emit it: only the root span names the agent. */
function run(
  traceId: string,
  startMs: number,
  o: { sessionId?: string; tools: Array<[name: string, input: string, fail?: boolean]>; answer: string; agent?: string },
): SpanRow[] {
  let seq = 0;
  const id = () => `${traceId.slice(0, 12)}${(++seq).toString(16).padStart(4, '0')}`;
  const rootId = id();
  const base = { trace_id: traceId, session_id: o.sessionId ?? '', service_name: 'svc' };
  let t = startMs + 1;
  const rows: SpanRow[] = [];
  for (const [name, input, fail] of o.tools) {
    rows.push(
      spanRow({
        ...base,
        span_id: id(),
        parent_span_id: rootId,
        operation: 'chat',
        finish_reasons: ['tool_calls'],
        input_tokens: 10,
        output_tokens: 5,
        start_time: ns(t),
        end_time: ns(t + 100),
      }),
    );
    rows.push(
      spanRow({
        ...base,
        span_id: id(),
        parent_span_id: rootId,
        operation: 'execute_tool',
        tool_name: name,
        input,
        status_code: fail ? 'ERROR' : 'UNSET',
        error_type: fail ? 'TimeoutError' : '',
        start_time: ns(t + 100),
        end_time: ns(t + 150),
      }),
    );
    t += 200;
  }
  rows.push(
    spanRow({
      ...base,
      span_id: id(),
      parent_span_id: rootId,
      operation: 'chat',
      finish_reasons: ['stop'],
      input_tokens: 20,
      output_tokens: 7,
      start_time: ns(t),
      end_time: ns(t + 100),
      output: JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: o.answer }] }]),
    }),
  );
  rows.push(
    spanRow({
      ...base,
      span_id: rootId,
      operation: 'invoke_agent',
      agent_name: o.agent ?? 'helper',
      start_time: ns(startMs),
      end_time: ns(t + 101),
    }),
  );
  return rows;
}

describe('per-session signals', () => {
  it('extracts path, loops, retries, output shape, outcome and the agent of child spans', async () => {
    await write([
      ...run('a'.repeat(32), T0 + 60_000, {
        tools: [
          ['search', '{"q":1}'],
          ['search', '{"q":1}'],
          ['lookup', '{"id":2}', true],
          ['lookup', '{"id":2}'],
        ],
        answer: '{"sources":[],"answer":"yes"}',
      }),
      // One session over two traces: counted once, keyed by its session id.
      ...run('b'.repeat(32), T0 + 120_000, {
        sessionId: 'sess-1',
        tools: [['refund', '{}']],
        answer: "I'm sorry, I can't help with that.",
      }),
      ...run('c'.repeat(32), T0 + 180_000, { sessionId: 'sess-1', tools: [['escalate', '{}']], answer: 'Escalated to a human.' }),
    ]);
    const engine = new DriftEngine(storage.client, { tailMs: 10 * 60_000 });
    await engine.materialize(T0 + HOUR_MS + 11 * 60_000);
    const rows = await select<Record<string, unknown>>(storage.client, 'SELECT * FROM drift_session_signals ORDER BY start_time', {});
    expect(rows).toHaveLength(2);
    const [a, s] = rows as Array<Record<string, string | number | string[]>>;
    expect(a).toMatchObject({
      agent_name: 'helper',
      session_key: 'a'.repeat(32),
      first_tool: 'search',
      path: 'search → search → lookup → lookup',
      output_shape: 'json {answer, sources}',
      finish_reason: 'stop',
      outcome: 'TimeoutError',
      refusal: 0,
    });
    expect(Number(a!.loops)).toBe(2); // the repeated search and the retried lookup
    expect(Number(a!.retries)).toBe(1);
    expect(Number(a!.llm_calls)).toBe(5);
    expect(Number(a!.tool_calls)).toBe(4);
    expect(Number(a!.tokens)).toBe(4 * 15 + 27);
    expect(s).toMatchObject({ session_key: 'sess-1', path: 'refund → escalate', output_shape: 'text', outcome: 'ok' });
    expect(Number(s!.duration_ms)).toBeGreaterThan(60_000);
  });

  it('does not count a session twice when spans arrive after its hour was summarised', async () => {
    const late = run('d'.repeat(32), T0 + 30 * 60_000, { tools: [['search', '{}']], answer: 'ok' });
    await write(late);
    const engine = new DriftEngine(storage.client, { tailMs: 10 * 60_000 });
    await engine.materialize(T0 + HOUR_MS + 12 * 60_000);
    const rows = await select<{ n: string; keys: string }>(
      storage.client,
      'SELECT count() AS n, uniqExact(session_key) AS keys FROM drift_session_signals',
      {},
    );
    expect(rows[0]).toEqual({ n: '3', keys: '3' });
  });

  it("the Mann–Whitney p-value agrees with ClickHouse's mannWhitneyUTest on tie-free data", async () => {
    const [row] = await select<{ r: { u_statistic: number; p_value: number }; a: number[]; b: number[] }>(
      storage.client,
      `SELECT mannWhitneyUTest('two-sided', 0)(v, g) AS r, groupArrayIf(v, g = 0) AS a, groupArrayIf(v, g = 1) AS b
       FROM (SELECT number AS i, toFloat64(sipHash64(number) % 1000000) / 1000 + number * 1e-7 + if(i % 3 = 0, 40, 0) AS v, toUInt8(i % 3 = 0) AS g FROM numbers(3000))`,
      {},
    );
    const hist = (xs: number[]) => new Map(xs.map((x) => [Number(x), 1]));
    const ours = mannWhitney(hist(row!.a), hist(row!.b));
    expect(row!.a.length + row!.b.length).toBe(new Set([...row!.a, ...row!.b]).size); // no ties
    // ClickHouse applies no continuity correction (the 0 argument asks for none): allow that difference.
    expect(Math.abs(Math.log10(ours.pValue) - Math.log10(row!.r.p_value))).toBeLessThan(0.05);
  });
});
