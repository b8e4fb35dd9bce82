/**
 * End to end against a real Sightline collector (embedded ClickHouse in a temp dir): spans made
 * by the SDK, and by the app's own pre-registered provider, are read back through the query API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { startCollector } from '@sightline/collector';
import { TraceDetail, TraceList, type Span } from '@sightline/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agent, flush, init, llm, session, SessionSpanProcessor, shutdown, step, tool } from './index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sightline-sdk-e2e-'));
let collector: Awaited<ReturnType<typeof startCollector>>;

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir, logLevel: 'warn', flushIntervalMs: 100 });
});
afterAll(async () => {
  await shutdown();
  await collector?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function api<T>(path: string, schema: { parse(v: unknown): T }): Promise<T> {
  const res = await fetch(`${collector.url}/api${path}`);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return schema.parse(await res.json());
}

async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One agent run: a step with a model call and a failing tool call. Returns its trace id. */
async function agentRun(sessionId: string): Promise<string> {
  return session(sessionId, () =>
    agent('support-agent', async (span) => {
      await step('act', async () => {
        await llm({ provider: 'openai', model: 'gpt-4o' }, async () => ({
          model: 'gpt-4o-2024-08-06',
          usage: { prompt_tokens: 120, completion_tokens: 30 },
          choices: [{ finish_reason: 'tool_calls', message: { role: 'assistant', content: null } }],
        }));
        await tool(
          'lookup_order',
          { id: 'A1' },
          async () => {
            throw new TypeError('order service timed out');
          },
          { callId: 'call_1' },
        ).catch(() => undefined);
      });
      return span.span.spanContext().traceId;
    }),
  );
}

async function readTrace(traceId: string, spans: number): Promise<Record<string, Span>> {
  const detail = await eventually(async () => {
    const d = await api(`/traces/${traceId}`, TraceDetail);
    return d.spans.length === spans ? d : undefined;
  });
  return Object.fromEntries(detail.spans.map((s) => [s.operation, s]));
}

describe('SDK → collector', () => {
  it('stores spans with GenAI names, attributes, parentage and the session', async () => {
    init({ serviceName: 'sdk-e2e', endpoint: collector.url, release: '2.0.0', environment: 'test', scheduledDelayMs: 50 });
    const traceId = await agentRun('e2e-session-1');
    await flush();
    const byOp = await readTrace(traceId, 4);
    const [a, st, c, t] = [byOp.invoke_agent!, byOp.step!, byOp.chat!, byOp.execute_tool!];
    expect(a).toMatchObject({ name: 'invoke_agent support-agent', parentSpanId: '', agentName: 'support-agent' });
    expect(st).toMatchObject({ name: 'step act', parentSpanId: a.spanId });
    expect(c).toMatchObject({
      name: 'chat gpt-4o',
      parentSpanId: st.spanId,
      kind: 'CLIENT',
      provider: 'openai',
      requestModel: 'gpt-4o',
      responseModel: 'gpt-4o-2024-08-06',
      inputTokens: 120,
      outputTokens: 30,
      finishReasons: ['tool_calls'],
    });
    expect(t).toMatchObject({
      name: 'execute_tool lookup_order',
      parentSpanId: st.spanId,
      toolName: 'lookup_order',
      toolCallId: 'call_1',
      statusCode: 'ERROR',
      errorType: 'TypeError',
    });
    expect(t.events.map((e) => e.name)).toContain('exception');
    for (const s of [a, st, c, t]) {
      expect(s).toMatchObject({ sessionId: 'e2e-session-1', serviceName: 'sdk-e2e', environment: 'test', release: '2.0.0' });
    }
    const list = await eventually(async () => {
      const l = await api('/traces?session=e2e-session-1', TraceList);
      return l.traces.length === 1 ? l : undefined;
    });
    expect(list.traces[0]).toMatchObject({ traceId, rootName: 'invoke_agent support-agent', spanCount: 4, errorCount: 1 });
    await shutdown();
  });

  it("uses the app's own pre-registered provider instead of registering a second one", async () => {
    const appProvider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'app-own-provider' }),
      spanProcessors: [
        new SessionSpanProcessor(),
        new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${collector.url}/v1/traces` }), scheduledDelayMillis: 50 }),
      ],
    });
    expect(trace.setGlobalTracerProvider(appProvider)).toBe(true);
    const handle = init({ serviceName: 'ignored', endpoint: 'http://127.0.0.1:1' });
    expect(handle.provider).toBe('existing');
    expect((trace.getTracerProvider() as unknown as { getDelegate(): unknown }).getDelegate()).toBe(appProvider);

    // A span from another library inside the session gets the session id from SessionSpanProcessor.
    const traceId = await session('e2e-session-2', () =>
      agent('billing-agent', (span) => {
        trace.getTracer('other-lib').startSpan('http POST', {}, context.active()).end();
        return span.span.spanContext().traceId;
      }),
    );
    await flush();
    const byName = Object.fromEntries(Object.values(await readTrace(traceId, 2)).map((s) => [s.name, s]));
    expect(byName['invoke_agent billing-agent']).toMatchObject({ serviceName: 'app-own-provider', sessionId: 'e2e-session-2' });
    expect(byName['http POST']).toMatchObject({ sessionId: 'e2e-session-2', parentSpanId: byName['invoke_agent billing-agent']!.spanId });
    await shutdown();
    await appProvider.shutdown();
  });
});
