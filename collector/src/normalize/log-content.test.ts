import type { Span, SpanLog, TraceDetail } from '@sightline/contract';
import { describe, expect, it } from 'vitest';
import { foldLogContent } from './log-content.js';

function span(over: Partial<Span>): Span {
  return {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    parentSpanId: '',
    name: 'chat gpt-4o',
    kind: 'CLIENT',
    startTime: '1700000000000000000',
    endTime: '1700000001000000000',
    durationMs: 1000,
    statusCode: 'UNSET',
    statusMessage: '',
    serviceName: 's',
    sessionId: '',
    operation: 'chat',
    agentName: '',
    toolName: '',
    toolCallId: '',
    requestModel: 'gpt-4o',
    responseModel: '',
    provider: 'openai',
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: null,
    inputCostUsd: null,
    outputCostUsd: null,
    costSource: '',
    finishReasons: [],
    errorType: '',
    environment: '',
    release: '',
    convention: 'genai',
    input: '',
    output: '',
    attributes: {},
    resourceAttributes: {},
    events: [],
    links: [],
    logs: [],
    ...over,
  };
}
const log = (eventName: string, body: string, attributes: Record<string, string> = {}): SpanLog => ({
  time: '1700000000500000000',
  severityNumber: 9,
  severityText: '',
  eventName,
  body,
  attributes,
});
const fold = (s: Span) =>
  foldLogContent({ traceId: s.traceId, spans: [s], totalCostUsd: 0, unpricedCalls: 0 } satisfies TraceDetail).spans[0]!;

describe('foldLogContent', () => {
  it('reads the semconv 1.37 operation-details event (messages as attributes), as the span-event path does', () => {
    const input = '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]';
    const output = '[{"role":"assistant","parts":[{"type":"text","content":"hello"}],"finish_reason":"stop"}]';
    const s = fold(
      span({
        logs: [
          log('gen_ai.client.inference.operation.details', '', {
            'gen_ai.input.messages': input,
            'gen_ai.output.messages': output,
            'gen_ai.response.finish_reasons': '["stop"]',
          }),
          log('app.note', 'kept'),
        ],
      }),
    );
    expect([s.input, s.output, s.finishReasons]).toEqual([input, output, ['stop']]);
    expect(s.logs.map((l) => l.eventName)).toEqual(['app.note']);
  });

  it('builds the message list of the 1.28 events in their order, tool messages included', () => {
    const s = fold(
      span({
        logs: [
          log('gen_ai.user.message', '{"content":"weather?"}'),
          log('gen_ai.assistant.message', '{"tool_calls":[{"id":"call_1"}]}'),
          log('gen_ai.tool.message', '{"id":"call_1","content":"sunny"}'),
          log('gen_ai.choice', '{"index":0,"finish_reason":"stop","message":{"content":"Sunny."}}'),
        ],
      }),
    );
    expect(JSON.parse(s.input)).toEqual([
      { role: 'user', content: 'weather?' },
      { role: 'assistant', tool_calls: [{ id: 'call_1' }] },
      { role: 'tool', id: 'call_1', content: 'sunny' },
    ]);
    expect(JSON.parse(s.output)).toEqual([{ index: 0, finish_reason: 'stop', message: { content: 'Sunny.' } }]);
    expect(s.logs).toEqual([]);
  });

  it('leaves a span without content records as it is', () => {
    const s = fold(span({ input: 'own', logs: [log('app.note', 'x')] }));
    expect([s.input, s.output, s.logs.length]).toEqual(['own', '', 1]);
  });
});
