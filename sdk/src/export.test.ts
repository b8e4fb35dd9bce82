import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpSink, type OtlpSink } from '../test/otlp-sink.js';
import { agent, flush, init, llm, session, shutdown, step, tool } from './index.js';

let sink: OtlpSink;
beforeAll(async () => {
  sink = await startOtlpSink();
  init({
    serviceName: 'support-bot',
    endpoint: sink.url,
    apiKey: 'k-123',
    release: '1.2.3',
    environment: 'staging',
    captureContent: true,
    maxContentLength: 200,
    redact: (text) => text.replace(/secret-\w+/g, '[secret]'),
    scheduledDelayMs: 50,
  });
});
afterAll(async () => {
  await shutdown();
  await sink.close();
});

describe('spans exported over real OTLP/HTTP protobuf', () => {
  it('arrive with GenAI names, attributes, parentage, session ids and resource', async () => {
    const answer = await session('sess-1', () =>
      agent('support-agent', () =>
        step('plan', async () => {
          const reply = await llm({ provider: 'openai', model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, async () => {
            await new Promise((r) => setTimeout(r, 5));
            return {
              model: 'gpt-4o-mini-2024',
              usage: { prompt_tokens: 11, completion_tokens: 7 },
              choices: [{ finish_reason: 'stop', message: { role: 'assistant', content: 'hello' } }],
            };
          });
          const found = await tool('search_kb', { q: 'refund' }, async () => ['doc-1'], { callId: 'call_1' });
          return `${reply.choices[0]!.message.content}:${found[0]}`;
        }),
      ),
    );
    expect(answer).toBe('hello:doc-1');
    await flush();
    const spans = await sink.waitForSpans(4);
    const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
    const a = byName['invoke_agent support-agent']!;
    const st = byName['step plan']!;
    const c = byName['chat gpt-4o-mini']!;
    const t = byName['execute_tool search_kb']!;
    expect([a, st, c, t].every(Boolean)).toBe(true);

    expect(a.parentSpanId).toBe('');
    expect(st.parentSpanId).toBe(a.spanId);
    expect(c.parentSpanId).toBe(st.spanId);
    expect(t.parentSpanId).toBe(st.spanId);
    expect(new Set([a, st, c, t].map((s) => s.traceId)).size).toBe(1);
    for (const s of [a, st, c, t]) {
      expect(s.attributes['session.id']).toBe('sess-1');
      expect(s.attributes['gen_ai.conversation.id']).toBe('sess-1');
      expect(s.resource['service.name']).toBe('support-bot');
      expect(s.resource['service.version']).toBe('1.2.3');
      expect(s.resource['deployment.environment.name']).toBe('staging');
      expect(s.scope).toBe('@sightline/sdk');
    }
    expect(a.attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'support-agent' });
    expect(st.attributes).toMatchObject({ 'gen_ai.operation.name': 'step', 'sightline.step.index': 0, 'sightline.step.name': 'plan' });
    expect(c.kind).toBe(3); // CLIENT
    expect(c.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024',
      'gen_ai.usage.input_tokens': 11,
      'gen_ai.usage.output_tokens': 7,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(JSON.parse(c.attributes['gen_ai.input.messages'] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'hi' }] },
    ]);
    expect(JSON.parse(c.attributes['gen_ai.output.messages'] as string)).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'hello' }], finish_reason: 'stop' },
    ]);
    expect(t.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search_kb',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.call.arguments': '{"q":"refund"}',
      'gen_ai.tool.call.result': '["doc-1"]',
    });
    expect(c.endTimeUnixNano).toBeGreaterThan(c.startTimeUnixNano);
    expect(sink.headers.at(-1)!['authorization']).toBe('Bearer k-123');
    expect(sink.headers.at(-1)!['content-type']).toBe('application/x-protobuf');
  });

  it('marks a failing step ERROR with error.type and an exception event, and rethrows the same error', async () => {
    class RateLimitError extends Error {}
    const err = new RateLimitError('slow down');
    const caught = await session('sess-2', () => agent('a', () => tool('refund', {}, async () => Promise.reject(err)))).catch(
      (e: unknown) => e,
    );
    expect(caught).toBe(err);
    await flush();
    const spans = await sink.waitForSpans(6);
    const t = spans.find((s) => s.name === 'execute_tool refund')!;
    expect(t.status.code).toBe(2);
    expect(t.status.message).toBe('slow down');
    expect(t.attributes['error.type']).toBe('RateLimitError');
    expect(t.events[0]!.name).toBe('exception');
    expect(t.events[0]!.attributes['exception.message']).toBe('slow down');
    const a = spans.find((s) => s.name === 'invoke_agent a')!;
    expect(a.attributes['error.type']).toBe('RateLimitError');
  });

  it('redacts and caps captured content before it leaves the process', async () => {
    await tool('vault', { token: 'secret-abc123', note: 'x'.repeat(400) }, () => 'ok');
    await flush();
    const spans = await sink.waitForSpans(7);
    const v = spans.find((s) => s.name === 'execute_tool vault')!;
    const args = v.attributes['gen_ai.tool.call.arguments'] as string;
    expect(args.startsWith('{"token":"[secret]","note":"xxx')).toBe(true);
    expect(args.endsWith('…[truncated]')).toBe(true);
    expect(args).toHaveLength(200);
    expect(sink.spans.flatMap((s) => Object.values(s.attributes)).join('|')).not.toContain('secret-abc123');
  });
});
