/**
 * End to end with the real instrumentation packages: each agents/<convention>.ts program runs in
 * its own process (they patch `openai` and register global providers) against the loopback mock
 * model and exports to ONE real collector (one chDB engine per process). The query API must show
 * the right operation, agent, tool, model, tokens and session for each span, and the overview
 * metrics must count them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MetricsResponse, SessionDetail, TraceDetail, TraceList } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../../src/index.js';
import { startMockOpenAI, type MockOpenAI } from '../support/mock-openai.js';
import { apiReader, eventually } from '../../src/test-support/otel.js';
import { tempDataDir } from '../../src/test-support/temp-storage.js';
import { runAgent, type ConventionAgent } from './run-agent.js';

interface Expected {
  convention: ConventionAgent;
  /** Operation → span count over the whole session. */
  operations: Record<string, number>;
  tokens: [input: number, output: number];
  /** Spans with status ERROR (0: the package exports no span for the failed call). */
  errors: number;
  toolCallId: string;
  /**
   * Whether every span ends up with the session. @opentelemetry/instrumentation-openai does not put
   * gen_ai.conversation.id on its model-call spans; the collector gives them the session of their
   * trace (normalize/propagate-session.ts), so every convention here has it on every span.
   */
  sessionOnEverySpan: boolean;
  /**
   * @opentelemetry/instrumentation-openai sends prompts/completions as log records; these agents
   * export no logs (otel-setup.ts), openai-logs.e2e.test.ts covers that path.
   */
  contentOnModelCalls: boolean;
}

// Mock usage: tool-call step 100/20, answer 120/45, embeddings 8/0 (test/support/mock-openai.ts).
const CASES: Expected[] = [
  {
    convention: 'genai',
    operations: { invoke_agent: 1, chat: 3, execute_tool: 1, embeddings: 1 },
    tokens: [228, 65],
    errors: 1,
    toolCallId: 'call_1',
    sessionOnEverySpan: true,
    contentOnModelCalls: false,
  },
  {
    convention: 'openinference',
    operations: { invoke_agent: 1, chat: 2, execute_tool: 1, embeddings: 1, chain: 1 },
    tokens: [220, 65],
    errors: 1,
    toolCallId: 'call_1',
    sessionOnEverySpan: true,
    contentOnModelCalls: true,
  },
  // generateText + streamText (2 steps each) + one failed generateText: three traces in the session.
  {
    convention: 'vercel-ai',
    operations: { invoke_agent: 3, chat: 5, execute_tool: 2 },
    tokens: [440, 130],
    errors: 2,
    toolCallId: 'call_1',
    sessionOnEverySpan: true,
    contentOnModelCalls: true,
  },
  {
    convention: 'traceloop',
    operations: { invoke_agent: 1, chat: 2, execute_tool: 1 },
    tokens: [220, 65],
    errors: 0,
    toolCallId: '',
    sessionOnEverySpan: true,
    contentOnModelCalls: true,
  },
  {
    convention: 'langfuse',
    operations: { invoke_agent: 1, chat: 3, execute_tool: 1 },
    tokens: [220, 65],
    errors: 1,
    toolCallId: 'call_1',
    sessionOnEverySpan: true,
    contentOnModelCalls: true,
  },
];

const tmp = tempDataDir();
let collector: RunningCollector;
let mock: MockOpenAI;
const api = apiReader(() => collector.url);

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'warn', flushIntervalMs: 100 });
  mock = await startMockOpenAI();
  // Sequential: each agent is a Node process; the machine is shared.
  for (const c of CASES) {
    await runAgent(c.convention, { sightlineUrl: collector.url, openaiBaseURL: mock.baseURL, session: `sess-${c.convention}` });
  }
}, 240_000);
afterAll(async () => {
  await mock?.close();
  await collector?.stop();
  tmp.remove();
});

const total = (ops: Record<string, number>) => Object.values(ops).reduce((a, b) => a + b, 0);

describe.each(CASES)('$convention agent pointed at Sightline', (c) => {
  const session = `sess-${c.convention}`;

  test('the session view shows its spans with operation, agent, tool, model, tokens and session', async () => {
    const [detail, spans] = await eventually(async () => {
      const d = await api(`/sessions/${session}`, SessionDetail);
      const all = (await Promise.all(d.traces.map((t) => api(`/traces/${t.traceId}`, TraceDetail)))).flatMap((t) => t.spans);
      return all.length >= total(c.operations) ? ([d, all] as const) : undefined;
    }, 20_000);

    const ops: Record<string, number> = {};
    for (const s of spans) ops[s.operation] = (ops[s.operation] ?? 0) + 1;
    expect(ops).toEqual(c.operations);
    expect(new Set(spans.map((s) => s.convention))).toEqual(new Set([c.convention]));

    const agents = spans.filter((s) => s.operation === 'invoke_agent');
    expect(agents.every((s) => s.agentName === 'planner' && s.sessionId === session)).toBe(true);
    const tools = spans.filter((s) => s.operation === 'execute_tool');
    expect(tools.every((s) => s.toolName === 'get_weather' && s.toolCallId === c.toolCallId && s.output.includes('sunny'))).toBe(true);
    const chats = spans.filter((s) => s.operation === 'chat');
    expect(chats.every((s) => s.requestModel === 'gpt-4o' || s.requestModel === 'rate-limited')).toBe(true);
    const answer = chats.find((s) => s.outputTokens === 45)!;
    expect(answer).toMatchObject({ inputTokens: 120, requestModel: 'gpt-4o' });
    if (c.contentOnModelCalls) expect(answer.input).toContain('What is the weather?');
    else expect(answer.input).toBe('');
    expect(spans.filter((s) => s.statusCode === 'ERROR')).toHaveLength(c.errors);
    if (c.sessionOnEverySpan) expect(spans.every((s) => s.sessionId === session)).toBe(true);
    // The session view aggregates the spans that carry the session.
    expect(detail.session.spanCount).toBe(spans.filter((s) => s.sessionId === session).length);

    // Tokens counted once: only model calls carry them, so the totals are the sum of the mock's usage.
    const list = await api(`/traces?session=${session}`, TraceList);
    expect([list.traces.reduce((n, t) => n + t.inputTokens, 0), list.traces.reduce((n, t) => n + t.outputTokens, 0)]).toEqual(c.tokens);
    if (c.sessionOnEverySpan) expect([detail.session.inputTokens, detail.session.outputTokens]).toEqual(c.tokens);
    expect(detail.session.agents).toContain('planner');
    expect(detail.session.tools).toEqual(['get_weather']);
  });

  test('the trace list finds its traces by session, with the agent and the error status', async () => {
    const list = await api(`/traces?session=${session}`, TraceList);
    expect(list.traces.length).toBeGreaterThan(0);
    expect(list.traces.some((t) => t.agents.includes('planner'))).toBe(true);
    expect(list.traces.some((t) => t.status === 'error')).toBe(c.errors > 0);
  });
});

test('the overview counts every convention’s spans by operation', async () => {
  const expected: Record<string, number> = {};
  for (const c of CASES) for (const [op, n] of Object.entries(c.operations)) expected[op] = (expected[op] ?? 0) + n;
  const m = await eventually(async () => {
    const r = await api('/metrics?groupBy=operation', MetricsResponse);
    return (r.totals.find((t) => t.key === 'chat')?.count ?? 0) >= expected['chat']! ? r : undefined;
  }, 20_000);
  for (const [op, n] of Object.entries(expected)) expect(m.totals.find((t) => t.key === op)?.count, op).toBe(n);
});
