import { describe, expect, test } from 'vitest';
import { loadRecorded, pick } from './fixtures.js';
import { normalizeRow, NORMALIZERS } from './index.js';
import { rowFromFixture, runNormalizerCases, type SpanFixture } from './normalizers.case.js';
import { vercelAi } from './vercel-ai.js';

// Recorded from ai + @ai-sdk/openai with experimental_telemetry (interop/record-fixtures.ts).
const rec = loadRecorded('vercel-ai');
const op = (id: string) => (s: { attributes: Record<string, string> }) => s.attributes['ai.operationId'] === id;

runNormalizerCases(
  vercelAi,
  {
    modelCall: pick(
      rec,
      'final doGenerate',
      (s) => op('ai.generateText.doGenerate')(s) && s.attributes['ai.response.finishReason'] === 'stop',
    ),
    toolCall: pick(rec, 'ai.toolCall', op('ai.toolCall')),
    agent: pick(rec, 'successful ai.generateText', (s) => op('ai.generateText')(s) && s.status !== 'ERROR'),
    failed: pick(rec, 'failed doGenerate', (s) => op('ai.generateText.doGenerate')(s) && s.status === 'ERROR'),
    // The AI SDK wraps provider errors: exception.type is AI_APICallError.
    failedErrorType: 'AI_APICallError',
    foreign: { name: 'OpenAI Chat Completions', attributes: { 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o' } },
  },
  'recorded',
);

const norm = (f: SpanFixture) => normalizeRow(rowFromFixture(f));

describe('vercel-ai specifics', () => {
  test('the agent run carries the summed usage as attributes but not in the token columns; its model calls do', () => {
    const agent = norm(pick(rec, 'ai.generateText', op('ai.generateText')));
    expect(agent.span_attributes['ai.usage.inputTokens']).toBe('220');
    expect([agent.operation, agent.input_tokens, agent.output_tokens]).toEqual(['invoke_agent', 0, 0]);
    const calls = rec.spans.filter((s) => op('ai.generateText.doGenerate')(s) && s.status !== 'ERROR').map(norm);
    expect(calls.map((c) => c.input_tokens).reduce((x, y) => x + y)).toBe(220);
  });

  test('streamed calls (ai.streamText.doStream) are chat model calls with usage and the tool-call output', () => {
    const first = norm(
      pick(rec, 'tool-call doStream', (s) => op('ai.streamText.doStream')(s) && s.attributes['ai.response.finishReason'] === 'tool-calls'),
    );
    expect([first.operation, first.input_tokens, first.output_tokens]).toEqual(['chat', 100, 20]);
    expect(first.finish_reasons).toEqual(['tool-calls']);
    expect(first.output).toContain('call_1'); // ai.response.text is '' on a tool step: the tool calls are the output
  });

  test('every span of the call gets the agent (functionId), the session (metadata.sessionId) and provider without the API suffix', () => {
    for (const s of rec.spans.map(norm)) {
      expect([s.agent_name, s.session_id, s.convention]).toEqual(['planner', 'sess-1', 'vercel-ai']);
      if (s.operation === 'chat') expect(s.provider).toBe('openai');
    }
  });

  test('ai 4.x names: promptTokens/completionTokens and toolCall.args/result', () => {
    const call = norm({
      name: 'ai.generateText.doGenerate',
      attributes: { 'ai.operationId': 'ai.generateText.doGenerate', 'ai.usage.promptTokens': '7', 'ai.usage.completionTokens': '3' },
    });
    expect([call.input_tokens, call.output_tokens]).toEqual([7, 3]);
  });

  test('precedence: a Vercel span inside a Langfuse trace (propagated langfuse.trace.name, session.id) stays vercel-ai', () => {
    const row = norm({
      name: 'ai.toolCall',
      attributes: { 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 't', 'langfuse.trace.name': 'x', 'session.id': 's9' },
    });
    expect([row.convention, row.operation, row.session_id]).toEqual(['vercel-ai', 'execute_tool', 's9']);
    expect(NORMALIZERS.findIndex((n) => n.name === 'vercel-ai')).toBeLessThan(NORMALIZERS.findIndex((n) => n.name === 'langfuse'));
  });
});
