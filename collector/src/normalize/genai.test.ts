import { describe, expect, test } from 'vitest';
import { loadRecorded } from './fixtures.js';
import { genai } from './genai.js';
import { normalizeRow } from './index.js';
import { rowFromFixture, runNormalizerCases, type SpanFixture } from './normalizers.case.js';

runNormalizerCases(genai, {
  modelCall: {
    name: 'chat gpt-4o',
    kind: 'CLIENT',
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': '120',
      'gen_ai.usage.output_tokens': '45',
      'gen_ai.response.finish_reasons': '["stop"]',
      'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"What is the weather?"}]}]',
      'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"sunny"}]}]',
    },
  },
  toolCall: {
    name: 'execute_tool get_weather',
    attributes: {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.call.arguments': '{"city":"Paris"}',
      'gen_ai.tool.call.result': '{"forecast":"sunny"}',
    },
  },
  agent: {
    name: 'invoke_agent planner',
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'planner',
      'gen_ai.conversation.id': 'sess-1',
      'gen_ai.usage.input_tokens': '999',
      'gen_ai.usage.output_tokens': '999',
    },
  },
  failed: {
    name: 'chat gpt-4o',
    status: 'ERROR',
    attributes: { 'gen_ai.operation.name': 'chat', 'error.type': 'RateLimitError' },
  },
  foreign: {
    name: 'GET /weather',
    kind: 'SERVER',
    attributes: { 'http.request.method': 'GET', 'url.path': '/weather', 'openinference.span.kind': 'LLM' },
  },
});

const norm = (f: SpanFixture) => normalizeRow(rowFromFixture(f), [genai]);

describe('genai specifics', () => {
  test('operation and target are inferred from the span name when gen_ai.operation.name is absent', () => {
    const chat = norm({ name: 'chat gpt-4o-mini', attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.usage.input_tokens': '5' } });
    expect([chat.operation, chat.request_model, chat.input_tokens]).toEqual(['chat', 'gpt-4o-mini', 5]);
    const tool = norm({ name: 'execute_tool lookup', attributes: { 'gen_ai.tool.call.id': 'c9' } });
    expect([tool.operation, tool.tool_name]).toEqual(['execute_tool', 'lookup']);
    const agent = norm({ name: 'invoke_agent researcher', attributes: { 'gen_ai.provider.name': 'x' } });
    expect([agent.operation, agent.agent_name]).toEqual(['invoke_agent', 'researcher']);
  });

  test('a name prefix without the space is not an operation ("chatter"), nor is an unrelated name', () => {
    expect(norm({ name: 'chatter', attributes: { 'gen_ai.provider.name': 'x' } }).operation).toBe('');
    expect(norm({ name: 'my step', attributes: { 'gen_ai.provider.name': 'x' } }).operation).toBe('');
  });

  test('the name target is not used when the attribute names a different operation', () => {
    const row = norm({ name: 'chat gpt-4o', attributes: { 'gen_ai.operation.name': 'embeddings' } });
    expect([row.operation, row.request_model]).toEqual(['embeddings', '']);
  });

  test('deprecated names: gen_ai.system, prompt_tokens/completion_tokens', () => {
    const row = norm({
      name: 'chat m',
      attributes: {
        'gen_ai.system': 'anthropic',
        'gen_ai.usage.prompt_tokens': '11',
        'gen_ai.usage.completion_tokens': '7',
      },
    });
    expect([row.provider, row.input_tokens, row.output_tokens]).toEqual(['anthropic', 11, 7]);
  });

  test('finish_reasons sent as a single string', () => {
    expect(norm({ name: 'chat m', attributes: { 'gen_ai.response.finish_reasons': 'length' } }).finish_reasons).toEqual(['length']);
  });

  test('sightline.* fallbacks: step operation, session, agent, input/output', () => {
    const row = norm({
      name: 'step plan',
      attributes: {
        'sightline.step.index': '2',
        'sightline.session.id': 's-9',
        'sightline.agent.name': 'planner',
        'sightline.input': 'goal',
        'sightline.output': 'plan',
      },
    });
    expect([row.operation, row.session_id, row.agent_name, row.input, row.output]).toEqual(['step', 's-9', 'planner', 'goal', 'plan']);
    expect(row.span_attributes).toEqual({ 'sightline.step.index': '2', 'sightline.session.id': 's-9', 'sightline.agent.name': 'planner' });
  });

  test('session.id is the fallback session when there is no conversation id', () => {
    expect(norm({ name: 'chat m', attributes: { 'session.id': 'abc', 'gen_ai.provider.name': 'x' } }).session_id).toBe('abc');
  });

  test('error type falls back to the exception event of a failed span', () => {
    const row = norm({
      name: 'chat m',
      status: 'ERROR',
      attributes: { 'gen_ai.provider.name': 'x' },
      events: [{ name: 'exception', attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'slow' } }],
    });
    expect(row.error_type).toBe('TimeoutError');
  });

  test('tokens on a non-model operation (execute_tool) are not copied', () => {
    const row = norm({ name: 'execute_tool t', attributes: { 'gen_ai.usage.input_tokens': '50' } });
    expect(row.input_tokens).toBe(0);
    expect(row.span_attributes['gen_ai.usage.input_tokens']).toBe('50'); // still visible as an attribute
  });
});

describe('genai: older forms and span-event content', () => {
  test('indexed gen_ai.prompt.N / gen_ai.completion.N become JSON message lists, stored once', () => {
    const row = norm({
      name: 'chat m',
      attributes: {
        'gen_ai.system': 'openai',
        'gen_ai.prompt.0.role': 'user',
        'gen_ai.prompt.0.content': 'What is the weather?',
        'gen_ai.completion.0.role': 'assistant',
        'gen_ai.completion.0.content': 'sunny',
      },
    });
    expect(JSON.parse(row.input)).toEqual([{ role: 'user', content: 'What is the weather?' }]);
    expect(JSON.parse(row.output)).toEqual([{ role: 'assistant', content: 'sunny' }]);
    expect(row.span_attributes).toEqual({ 'gen_ai.system': 'openai' });
  });

  test('gen_ai.user.message / gen_ai.choice span events give input, output and finish reasons', () => {
    const row = norm({
      name: 'chat gpt-4o',
      attributes: { 'gen_ai.system': 'openai' },
      events: [
        { name: 'gen_ai.system.message', attributes: { content: 'Be brief.' } },
        { name: 'gen_ai.user.message', attributes: { 'gen_ai.event.content': '{"content":"What is the weather?"}' } },
        { name: 'gen_ai.choice', attributes: { index: '0', finish_reason: 'stop', message: '{"role":"assistant","content":"sunny"}' } },
      ],
    });
    expect(JSON.parse(row.input)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is the weather?' },
    ]);
    expect(JSON.parse(row.output)).toEqual([{ index: '0', finish_reason: 'stop', message: { role: 'assistant', content: 'sunny' } }]);
    expect(row.finish_reasons).toEqual(['stop']);
  });

  test('the older gen_ai.content.prompt / gen_ai.content.completion events and the 1.37 operation.details event', () => {
    const old = norm({
      name: 'chat m',
      attributes: { 'gen_ai.system': 'x' },
      events: [
        { name: 'gen_ai.content.prompt', attributes: { 'gen_ai.prompt': '[{"role":"user","content":"q"}]' } },
        { name: 'gen_ai.content.completion', attributes: { 'gen_ai.completion': '[{"role":"assistant","content":"a"}]' } },
      ],
    });
    expect([old.input, old.output]).toEqual(['[{"role":"user","content":"q"}]', '[{"role":"assistant","content":"a"}]']);
    const details = norm({
      name: 'chat m',
      attributes: { 'gen_ai.provider.name': 'x' },
      events: [
        {
          name: 'gen_ai.client.inference.operation.details',
          attributes: { 'gen_ai.input.messages': 'in', 'gen_ai.output.messages': 'out', 'gen_ai.response.finish_reasons': '["length"]' },
        },
      ],
    });
    expect([details.input, details.output, details.finish_reasons]).toEqual(['in', 'out', ['length']]);
  });
});

describe('genai: spans recorded from @opentelemetry/instrumentation-openai', () => {
  const rec = loadRecorded('genai');
  const rows = rec.spans.filter((s) => s.scope === '@opentelemetry/instrumentation-openai').map(norm);

  test('model calls: operation, gen_ai.system as provider, models, tokens and finish reasons', () => {
    const answer = rows.find((r) => r.finish_reasons[0] === 'stop')!;
    expect(answer).toMatchObject({
      operation: 'chat',
      provider: 'openai',
      request_model: 'gpt-4o',
      response_model: 'gpt-4o-2024-08-06',
      input_tokens: 120,
      output_tokens: 45,
    });
    expect(rows.find((r) => r.operation === 'embeddings')).toMatchObject({ request_model: 'text-embedding-3-small', input_tokens: 8 });
  });

  test('the failed call has error.type RateLimitError', () => {
    expect(rows.find((r) => r.request_model === 'rate-limited')).toMatchObject({ status_code: 'ERROR', error_type: 'RateLimitError' });
  });

  test('no content arrives on the spans: this package sends it as log records', () => {
    expect(rows.every((r) => r.input === '' && r.output === '')).toBe(true);
  });
});
