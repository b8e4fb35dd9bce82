/**
 * wrapOpenAI on the real `openai` package; its HTTP is answered by a fake fetch, so the SDK's own
 * request building, response parsing and SSE streaming all run.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { init, shutdown, wrapOpenAI } from './index.js';

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  const cm = new AsyncLocalStorageContextManager();
  cm.enable();
  context.setGlobalContextManager(cm);
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
  init({ captureContent: true });
});
afterAll(() => shutdown());
beforeEach(() => exporter.reset());

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini-2024-07-18',
  choices: [
    {
      index: 0,
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'lookup_order', arguments: '{"id":"A1"}' } }],
      },
    },
  ],
  usage: { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30 },
};

function sse(chunks: unknown[]): string {
  return chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
}

function client(respond: (body: Record<string, unknown>) => Response) {
  return new OpenAI({
    apiKey: 'test',
    baseURL: 'http://openai.invalid/v1',
    maxRetries: 0,
    fetch: async (_url: unknown, init?: RequestInit) => respond(JSON.parse(String(init?.body))),
  });
}

describe('wrapOpenAI', () => {
  it('traces a plain completion with tool calls, and returns what the SDK returns', async () => {
    const plain = client(() => new Response(JSON.stringify(completion), { headers: { 'content-type': 'application/json' } }));
    const wrapped = client(() => new Response(JSON.stringify(completion), { headers: { 'content-type': 'application/json' } }));
    expect(wrapOpenAI(wrapped)).toBe(wrapped);
    const params = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'where is A1?' }], temperature: 0.2 };
    const expected = await plain.chat.completions.create(params);
    const promise = wrapped.chat.completions.create(params);
    expect(typeof promise.withResponse).toBe('function'); // still the SDK's APIPromise
    const got = await promise;
    expect(got).toEqual(expected);

    const [span] = exporter.getFinishedSpans();
    expect(span!.name).toBe('chat gpt-4o-mini');
    expect(span!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.usage.input_tokens': 21,
      'gen_ai.usage.output_tokens': 9,
      'gen_ai.response.finish_reasons': ['tool_calls'],
    });
    expect(JSON.parse(span!.attributes['gen_ai.output.messages'] as string)).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_9', name: 'lookup_order', arguments: { id: 'A1' } }],
        finish_reason: 'tool_calls',
      },
    ]);
  });

  it('keeps .withResponse() working', async () => {
    const c = wrapOpenAI(client(() => new Response(JSON.stringify(completion), { headers: { 'content-type': 'application/json' } })));
    const { data, response } = await c.chat.completions.create({ model: 'm', messages: [] }).withResponse();
    expect(data.id).toBe('chatcmpl-1');
    expect(response.status).toBe(200);
  });

  it('traces a stream until it is consumed, leaving the chunks untouched', async () => {
    const chunks = [
      {
        id: 'c2',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'gpt-x',
        choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }],
      },
      {
        id: 'c2',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'gpt-x',
        choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }],
      },
      {
        id: 'c2',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'gpt-x',
        choices: [],
        usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
      },
    ];
    const c = wrapOpenAI(client(() => new Response(sse(chunks), { headers: { 'content-type': 'text/event-stream' } })));
    const stream = await c.chat.completions.create({
      model: 'gpt-x',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(typeof stream.toReadableStream).toBe('function'); // still the SDK's Stream
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    const seen: unknown[] = [];
    for await (const chunk of stream) seen.push(chunk);
    expect(seen).toEqual(chunks);
    const [span] = exporter.getFinishedSpans();
    expect(span!.attributes).toMatchObject({
      'gen_ai.request.stream': true,
      'gen_ai.response.model': 'gpt-x',
      'gen_ai.usage.input_tokens': 5,
      'gen_ai.usage.output_tokens': 2,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    expect(JSON.parse(span!.attributes['gen_ai.output.messages'] as string)[0].parts).toEqual([{ type: 'text', content: 'Hello' }]);
  });

  it('rethrows the SDK error unchanged and marks the span', async () => {
    const c = wrapOpenAI(
      client(
        () =>
          new Response(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit' } }), {
            status: 429,
            headers: { 'content-type': 'application/json' },
          }),
      ),
    );
    const err = await c.chat.completions.create({ model: 'm', messages: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const [span] = exporter.getFinishedSpans();
    expect(span!.status.code).toBe(2);
    expect(span!.attributes['error.type']).toBe('RateLimitError');
  });

  it('wraps a client only once', async () => {
    const c = client(() => new Response(JSON.stringify(completion), { headers: { 'content-type': 'application/json' } }));
    wrapOpenAI(wrapOpenAI(c));
    await c.chat.completions.create({ model: 'm', messages: [] });
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });
});
