import { describe, expect, test } from 'vitest';
import { loadRecorded, pick } from './fixtures.js';
import { normalizeRow } from './index.js';
import { rowFromFixture, runNormalizerCases, type SpanFixture } from './normalizers.case.js';
import { traceloop } from './traceloop.js';

// Recorded from @traceloop/node-server-sdk (interop/record-fixtures.ts).
const rec = loadRecorded('traceloop');
const kind = (k: string) => (s: { attributes: Record<string, string> }) => s.attributes['traceloop.span.kind'] === k;

runNormalizerCases(
  traceloop,
  {
    modelCall: pick(rec, 'final chat', (s) => s.attributes['gen_ai.response.finish_reasons'] === '["stop"]'),
    toolCall: pick(rec, 'tool span', kind('tool')),
    agent: {
      ...pick(rec, 'agent span', kind('agent')),
      attributes: { ...pick(rec, 'agent span', kind('agent')).attributes, 'gen_ai.usage.input_tokens': '999' },
    },
    // Hand-written: the JS SDK 0.27.0 exports no span for a failed async call (see docs/compatibility.md);
    // this is the shape its Python SDK and a sync failure record.
    failed: {
      name: 'ask-again.task',
      status: 'ERROR',
      attributes: { 'traceloop.span.kind': 'task', 'traceloop.entity.name': 'ask-again' },
      events: [{ name: 'exception', attributes: { 'exception.type': 'RateLimitError', 'exception.message': '429' } }],
    },
    // Traceloop's tool spans have no call id.
    gaps: ['toolCallId'],
    foreign: { name: 'chat gpt-4o', attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' } },
  },
  'recorded',
);

const norm = (f: SpanFixture) => normalizeRow(rowFromFixture(f), [traceloop]);

describe('traceloop specifics', () => {
  test('the session comes from traceloop.association.properties.session_id on every span, the agent from gen_ai.agent.name on children', () => {
    for (const row of rec.spans.map(norm)) expect([row.session_id, row.agent_name]).toEqual(['sess-1', 'planner']);
  });

  test('entity input {"args":[],"kwargs":{...}} is shown as the arguments', () => {
    expect(JSON.parse(norm(pick(rec, 'tool span', kind('tool'))).input)).toEqual({ city: 'Paris' });
  });

  test('workflow and task spans keep their Traceloop kind as operation', () => {
    expect(norm({ name: 'w.workflow', attributes: { 'traceloop.span.kind': 'workflow', 'traceloop.entity.name': 'w' } }).operation).toBe(
      'workflow',
    );
    expect(norm({ name: 't.task', attributes: { 'traceloop.span.kind': 'task' } }).operation).toBe('task');
  });

  test('older OpenLLMetry model spans: llm.request.type, gen_ai.prompt.N / gen_ai.completion.N, llm.usage.*', () => {
    const row = norm({
      name: 'openai.chat',
      kind: 'CLIENT',
      attributes: {
        'llm.request.type': 'chat',
        'gen_ai.system': 'OpenAI',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.prompt.0.role': 'user',
        'gen_ai.prompt.0.content': 'What is the weather?',
        'gen_ai.completion.0.role': 'assistant',
        'gen_ai.completion.0.content': 'sunny',
        'gen_ai.completion.0.finish_reason': 'stop',
        'llm.usage.prompt_tokens': '12',
        'llm.usage.completion_tokens': '3',
        'traceloop.association.properties.session_id': 's2',
      },
    });
    expect([row.operation, row.provider, row.input_tokens, row.output_tokens, row.session_id]).toEqual(['chat', 'OpenAI', 12, 3, 's2']);
    expect(JSON.parse(row.input)).toEqual([{ role: 'user', content: 'What is the weather?' }]);
    expect(row.output).toContain('sunny');
    expect(Object.keys(row.span_attributes).some((k) => k.startsWith('gen_ai.prompt.'))).toBe(false);
  });
});
