import { describe, expect, test } from 'vitest';
import { loadRecorded, pick } from './fixtures.js';
import { normalizeRow } from './index.js';
import { rowFromFixture, runNormalizerCases, type SpanFixture } from './normalizers.case.js';
import { openinference } from './openinference.js';

// Recorded from @arizeai/openinference-instrumentation-openai + openinference-core (interop/record-fixtures.ts).
const rec = loadRecorded('openinference');
const kind = (k: string) => (s: { attributes: Record<string, string> }) => s.attributes['openinference.span.kind'] === k;

runNormalizerCases(
  openinference,
  {
    modelCall: pick(rec, 'final LLM call', (s) => kind('LLM')(s) && s.attributes['llm.finish_reason'] === 'stop'),
    toolCall: pick(rec, 'TOOL span', kind('TOOL')),
    agent: {
      ...pick(rec, 'AGENT span', kind('AGENT')),
      // The recording has no usage on the agent; add the aggregate some frameworks attach.
      attributes: {
        ...pick(rec, 'AGENT span', kind('AGENT')).attributes,
        'llm.token_count.prompt': '999',
        'llm.token_count.completion': '999',
      },
    },
    failed: pick(rec, 'failed CHAIN span', (s) => s.status === 'ERROR'),
    // openai's RateLimitError has `code` 'rate_limit_exceeded', which OTel's recordException prefers to the class name.
    failedErrorType: 'rate_limit_exceeded',
    foreign: { name: 'chat gpt-4o', attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' } },
  },
  'recorded',
);

const norm = (f: SpanFixture) => normalizeRow(rowFromFixture(f), [openinference]);

describe('openinference specifics', () => {
  test('the request model comes from invocation parameters, the response model from llm.model_name', () => {
    const row = norm(pick(rec, 'first LLM call', (s) => kind('LLM')(s) && s.attributes['llm.finish_reason'] === 'tool_calls'));
    expect([row.request_model, row.response_model, row.input_tokens, row.output_tokens]).toEqual(['gpt-4o', 'gpt-4o-2024-08-06', 100, 20]);
    expect(row.finish_reasons).toEqual(['tool_calls']);
    expect(row.output).toContain('call_1');
  });

  test('EMBEDDING spans are embeddings model calls with embedding.model_name', () => {
    const row = norm(pick(rec, 'EMBEDDING span', kind('EMBEDDING')));
    expect([row.operation, row.request_model, row.provider]).toEqual(['embeddings', 'text-embedding-3-small', 'openai']);
    expect(Object.keys(row.span_attributes).some((k) => k.startsWith('embedding.embeddings.'))).toBe(false);
  });

  test('CHAIN, RETRIEVER and unknown kinds map to chain, retrieval and no operation, without tokens', () => {
    const chain = norm({ name: 'c', attributes: { 'openinference.span.kind': 'CHAIN', 'llm.token_count.prompt': '5' } });
    expect([chain.operation, chain.input_tokens]).toEqual(['chain', 0]);
    expect(norm({ name: 'r', attributes: { 'openinference.span.kind': 'RETRIEVER' } }).operation).toBe('retrieval');
    expect(norm({ name: 'x', attributes: { 'openinference.span.kind': 'SOMETHING' } }).operation).toBe('');
  });

  test('without input.value, the flattened messages become a JSON message list', () => {
    const row = norm({
      name: 'llm',
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.input_messages.0.message.role': 'user',
        'llm.input_messages.0.message.content': 'hi',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': 'hello',
      },
    });
    expect(JSON.parse(row.input)).toEqual([{ role: 'user', content: 'hi' }]);
    expect(JSON.parse(row.output)).toEqual([{ role: 'assistant', content: 'hello' }]);
    expect(row.span_attributes).toEqual({ 'openinference.span.kind': 'LLM' });
  });
});
