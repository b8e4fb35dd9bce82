/**
 * End to end: the official OpenTelemetry SDK exports to a real collector on an ephemeral port with
 * an embedded ClickHouse in a temporary directory; spans are read back through the query API.
 */
import { gzipSync } from 'node:zlib';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Health, MetricsResponse, SessionDetail, TraceDetail, TraceList } from '@sightline/contract';
import { startCollector, type RunningCollector } from './index.js';
import { apiReader, eventually, otelProvider } from './test-support/otel.js';
import { tempDataDir } from './test-support/temp-storage.js';

const tmp = tempDataDir();
let collector: RunningCollector;
const api = apiReader(() => collector.url);

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'warn', flushIntervalMs: 100 });
});
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

/** An agent run the way an app instrumented with plain OTel GenAI attributes would emit it. */
async function emitAgentRun(encoding: 'protobuf' | 'json', sessionId: string): Promise<string> {
  const provider = otelProvider(collector.url, encoding);
  const tracer = provider.getTracer('conformance');
  let traceId = '';
  tracer.startActiveSpan(
    'invoke_agent support-agent',
    { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support-agent', 'session.id': sessionId } },
    (agent) => {
      traceId = agent.spanContext().traceId;
      const ctx = trace.setSpan(context.active(), agent);
      const chat = tracer.startSpan(
        'chat gpt-4o',
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.response.model': 'gpt-4o-2024-08-06',
            'gen_ai.usage.input_tokens': 120,
            'gen_ai.usage.output_tokens': 30,
            'gen_ai.response.finish_reasons': ['tool_calls'],
            'session.id': sessionId,
          },
        },
        ctx,
      );
      chat.end();
      const tool = tracer.startSpan(
        'execute_tool lookup_order',
        {
          attributes: {
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': 'lookup_order',
            'gen_ai.tool.call.id': 'call_1',
            'session.id': sessionId,
          },
        },
        ctx,
      );
      tool.recordException(new TypeError('order service timed out'));
      tool.setStatus({ code: SpanStatusCode.ERROR, message: 'order service timed out' });
      tool.setAttribute('error.type', 'TypeError');
      tool.end();
      agent.end();
    },
  );
  await provider.forceFlush();
  await provider.shutdown();
  return traceId;
}

describe.each(['protobuf', 'json'] as const)('OTLP/HTTP %s from the official exporter', (encoding) => {
  it('is queryable through the API with parentage, attributes and normalized columns', async () => {
    const sessionId = `session-${encoding}`;
    const started = Date.now();
    const traceId = await emitAgentRun(encoding, sessionId);
    const detail = await eventually(async () => {
      const d = await api(`/traces/${traceId}`, TraceDetail);
      return d.spans.length === 3 ? d : undefined;
    });
    expect(Date.now() - started).toBeLessThan(5_000); // the issue asks for 2 s; CI machines vary
    const byOp = Object.fromEntries(detail.spans.map((s) => [s.operation, s]));
    const agent = byOp['invoke_agent']!;
    const chat = byOp['chat']!;
    const tool = byOp['execute_tool']!;
    expect(agent.parentSpanId).toBe('');
    expect(chat.parentSpanId).toBe(agent.spanId);
    expect(tool.parentSpanId).toBe(agent.spanId);
    expect(agent.agentName).toBe('support-agent');
    expect(chat).toMatchObject({
      provider: 'openai',
      requestModel: 'gpt-4o',
      responseModel: 'gpt-4o-2024-08-06',
      inputTokens: 120,
      outputTokens: 30,
      finishReasons: ['tool_calls'],
      kind: 'CLIENT',
    });
    expect(tool).toMatchObject({
      toolName: 'lookup_order',
      toolCallId: 'call_1',
      statusCode: 'ERROR',
      statusMessage: 'order service timed out',
      errorType: 'TypeError',
    });
    expect(tool.events.map((e) => e.name)).toContain('exception');
    expect(tool.events[0]!.attributes['exception.message']).toBe('order service timed out');
    expect(detail.spans.every((s) => s.sessionId === sessionId && s.serviceName === 'conformance-app')).toBe(true);
    expect(agent.resourceAttributes['service.version']).toBe('9.9.9');
    expect(agent.environment).toBe('test');
    expect(chat.attributes['gen_ai.request.model']).toBe('gpt-4o');

    const list = await api(`/traces?session=${sessionId}`, TraceList);
    expect(list.traces).toHaveLength(1);
    expect(list.traces[0]).toMatchObject({
      traceId,
      rootName: 'invoke_agent support-agent',
      spanCount: 3,
      errorCount: 1,
      status: 'error',
      inputTokens: 120,
      outputTokens: 30,
      agents: ['support-agent'],
    });

    const session = await api(`/sessions/${sessionId}`, SessionDetail);
    expect(session.session).toMatchObject({
      traceCount: 1,
      spanCount: 3,
      errorCount: 1,
      llmCalls: 1,
      toolCalls: 1,
      tools: ['lookup_order'],
    });
    expect(session.path.map((p) => p.operation)).toEqual(['invoke_agent', 'chat', 'execute_tool']);
  });
});

describe('the query API', () => {
  it('answers a bad parameter with 400 naming the field', async () => {
    for (const [query, field] of [
      ['/traces?limit=0', 'limit'],
      ['/traces?from=yesterday', 'from'],
      ['/traces?status=broken', 'status'],
      ['/metrics?groupBy=colour', 'groupBy'],
      ['/traces?cursor=bm9wZQ', 'cursor'],
      ['/traces/xyz', 'traceId'],
    ] as const) {
      const res = await fetch(`${collector.url}/api${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; field?: string; message: string } };
      expect(body.error.code).toBe('invalid_parameter');
      expect(body.error.field, query).toBe(field);
    }
  });

  it('answers an unknown trace with 404', async () => {
    const res = await fetch(`${collector.url}/api/traces/${'ab'.repeat(16)}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('reports metrics from the rollups, grouped by operation', async () => {
    const m = await api('/metrics?groupBy=operation', MetricsResponse);
    const tool = m.totals.find((t) => t.key === 'execute_tool');
    expect(tool?.count).toBeGreaterThanOrEqual(2);
    expect(tool?.errorRate).toBe(1);
    expect(m.series.find((s) => s.key === 'chat')?.points.length).toBeGreaterThan(1);
  });

  it('serves an OpenAPI document listing every route', async () => {
    const doc = (await (await fetch(`${collector.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/compare',
        '/filters',
        '/health',
        '/metrics',
        '/sessions',
        '/sessions/{sessionId}',
        '/traces',
        '/traces/{traceId}',
        '/export/session-spans',
        '/export/spans',
        '/alerts/rules',
        '/alerts/rules/{id}',
        '/alerts/rules/{id}/mute',
        '/alerts/rules/{id}/test',
        '/alerts/history',
        '/alerts/deliveries',
        '/drift/agents',
        '/drift/report',
        '/drift/compare',
        '/drift/history',
        '/drift/check',
        '/ingest/quarantine',
        '/ingest/quarantine/replay',
        '/cost/summary',
        '/cost/prices',
        '/cost/prices/{id}',
        '/cost/recompute',
        '/scores',
        '/scores/summary',
        '/projects',
        '/projects/{id}/keys',
        '/projects/{id}/keys/{keyId}',
        '/auth/config',
        '/auth/me',
        '/auth/sign-in',
        '/auth/sign-out',
        '/auth/setup',
        '/auth/oidc/start',
        '/auth/oidc/callback',
        '/projects/{id}/members',
        '/projects/{id}/members/{userId}',
        '/audit',
      ].sort(),
    );
  });

  it('reports health', async () => {
    const h = await api('/health', Health);
    expect(h.status).toBe('ok');
    expect(h.storage.kind).toBe('embedded');
  });
});

describe('bad input', () => {
  const post = (body: Uint8Array | string, headers: Record<string, string>) =>
    fetch(`${collector.url}/v1/traces`, { method: 'POST', body, headers });
  const storedSpans = async () => (await api('/health', Health)).ingest.writtenSpans + (await api('/health', Health)).ingest.queuedSpans;

  it('is refused with the right status and leaves stored data intact', async () => {
    const traceId = await emitAgentRun('protobuf', 'session-before-bad-input');
    await eventually(async () => ((await api(`/traces/${traceId}`, TraceDetail)).spans.length === 3 ? true : undefined));
    const before = await storedSpans();
    const cases: Array<[string, Promise<Response>, number]> = [
      ['garbage protobuf', post(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'content-type': 'application/x-protobuf' }), 400],
      ['truncated protobuf', post(new Uint8Array([0x0a, 0x20, 0x0a, 0x05]), { 'content-type': 'application/x-protobuf' }), 400],
      ['invalid JSON', post('{"resourceSpans": [', { 'content-type': 'application/json' }), 400],
      ['wrong content type', post('hello', { 'content-type': 'text/plain' }), 415],
      ['oversize body', post(new Uint8Array(9 * 1024 * 1024), { 'content-type': 'application/x-protobuf' }), 413],
      [
        'gzip bomb',
        post(gzipSync(Buffer.alloc(64 * 1024 * 1024)), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }),
        413,
      ],
    ];
    for (const [name, response, status] of cases) expect((await response).status, name).toBe(status);
    expect(await storedSpans()).toBe(before);
    expect((await api(`/traces/${traceId}`, TraceDetail)).spans).toHaveLength(3);
  });

  it('stores the valid spans of a request and counts the invalid ones as rejected', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = (traceId: string, spanId: string, start: bigint, end: bigint, name: string) => ({
      traceId,
      spanId,
      name,
      kind: 1,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: end.toString(),
    });
    const good = 'c'.repeat(32);
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'partial-app' } }] },
          scopeSpans: [
            {
              spans: [
                span(good, '1'.repeat(16), now, now + 1000n, 'good'),
                span('abc', '2'.repeat(16), now, now + 1000n, 'bad trace id'),
                span(good, '3'.repeat(16), now + 1000n, now, 'ends before it starts'),
              ],
            },
          ],
        },
      ],
    };
    const res = await post(JSON.stringify(body), { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    const parsed = (await res.json()) as { partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string } };
    expect(Number(parsed.partialSuccess?.rejectedSpans)).toBe(2);
    expect(parsed.partialSuccess?.errorMessage).toMatch(/trace/i);
    const detail = await eventually(async () => {
      const d = await api(`/traces/${good}`, TraceDetail);
      return d.spans.length > 0 ? d : undefined;
    });
    expect(detail.spans.map((s) => s.name)).toEqual(['good']);
  });

  it('refuses a 10 MB attribute string above the default 8 MiB body limit with 413, keeping stored data', async () => {
    const before = await storedSpans();
    const now = BigInt(Date.now()) * 1_000_000n;
    const body = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: 'f'.repeat(32),
                  spanId: '6'.repeat(16),
                  name: 'huge',
                  kind: 1,
                  startTimeUnixNano: now.toString(),
                  endTimeUnixNano: (now + 5n).toString(),
                  attributes: [{ key: 'huge', value: { stringValue: 'x'.repeat(10 * 1024 * 1024) } }],
                },
              ],
            },
          ],
        },
      ],
    });
    const res = await post(gzipSync(body), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(await storedSpans()).toBe(before);
  });

  it('stores deeply nested attribute values and a multi-megabyte attribute string, truncated', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    let nested: unknown = { stringValue: 'leaf' };
    for (let i = 0; i < 200; i++) nested = { kvlistValue: { values: [{ key: `k${i}`, value: nested }] } };
    const traceId = 'd'.repeat(32);
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'odd-app' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: '4'.repeat(16),
                  name: 'odd',
                  kind: 1,
                  startTimeUnixNano: now.toString(),
                  endTimeUnixNano: (now + 5n).toString(),
                  attributes: [
                    { key: 'deep', value: nested },
                    { key: 'huge', value: { stringValue: 'x'.repeat(5 * 1024 * 1024) } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const res = await post(gzipSync(JSON.stringify(body)), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    const detail = await eventually(async () => {
      const d = await api(`/traces/${traceId}`, TraceDetail);
      return d.spans.length > 0 ? d : undefined;
    });
    const attrs = detail.spans[0]!.attributes;
    expect(attrs['deep']).toBeDefined();
    expect(attrs['huge']!.length).toBeLessThan(1024 * 1024);
    expect(attrs['huge']!.startsWith('xxxx')).toBe(true);
  });
});

describe('duplicate delivery', () => {
  it('counts a span delivered twice once, in lists, summaries and metrics', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const traceId = 'e'.repeat(32);
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'dup-app' } }] },
          scopeSpans: [
            {
              spans: [0, 1, 2].map((i) => ({
                traceId,
                spanId: `${i + 5}`.repeat(16),
                parentSpanId: i === 0 ? '' : '5'.repeat(16),
                name: `dup ${i}`,
                kind: 1,
                startTimeUnixNano: now.toString(),
                endTimeUnixNano: (now + 1_000_000n).toString(),
              })),
            },
          ],
        },
      ],
    });
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${collector.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
    }
    await collector.pipeline.flush();
    expect((await api(`/traces/${traceId}`, TraceDetail)).spans.map((s) => s.name)).toEqual(['dup 0', 'dup 1', 'dup 2']);
    const list = await api('/traces?service=dup-app', TraceList);
    expect(list.traces[0]?.spanCount).toBe(3);
    const m = await api('/metrics?service=dup-app', MetricsResponse);
    expect(m.totals[0]?.count).toBe(3);
    expect(m.totals[0]?.traces).toBe(1);
  });
});
