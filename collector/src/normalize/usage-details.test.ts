/**
 * Cache and reasoning tokens and reported costs, read from each convention's own names on spans
 * the normalizers claim: a reported cost is kept as reported, and an unusable one is ignored.
 */
import { describe, expect, it } from 'vitest';
import { normalizeRow } from './index.js';
import { rowFromFixture } from './normalizers.case.js';

const norm = (attributes: Record<string, string>) => normalizeRow(rowFromFixture({ name: 'llm', attributes }));

describe('usage details and reported costs', () => {
  it('reads OpenInference token details and llm.cost.*', () => {
    const row = norm({
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o',
      'llm.token_count.prompt': '1000',
      'llm.token_count.completion': '200',
      'llm.token_count.prompt_details.cache_read': '300',
      'llm.token_count.completion_details.reasoning': '50',
      'llm.cost.prompt': '0.001',
      'llm.cost.completion': '0.002',
      'llm.cost.total': '0.003',
    });
    expect(row).toMatchObject({
      cache_read_tokens: 300,
      reasoning_tokens: 50,
      cost_source: 'reported',
      input_cost: 0.001,
      output_cost: 0.002,
      total_cost: 0.003,
    });
  });

  it("reads OpenLIT's gen_ai.usage.cost and the GenAI cache token names", () => {
    const row = norm({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'claude-3-5-haiku',
      'gen_ai.usage.input_tokens': '5000',
      'gen_ai.usage.output_tokens': '10',
      'gen_ai.usage.cache_creation.input_tokens': '1000',
      'gen_ai.usage.cache_read_input_tokens': '2000',
      'gen_ai.usage.cost': '0.0042',
    });
    expect(row).toMatchObject({ cache_write_tokens: 1000, cache_read_tokens: 2000, cost_source: 'reported', total_cost: 0.0042 });
  });

  it("reads Langfuse's usage_details and cost_details (total summed when not given)", () => {
    const row = norm({
      'langfuse.observation.type': 'generation',
      'langfuse.observation.model.name': 'gpt-4o',
      'langfuse.observation.usage_details': '{"input":100,"output":20,"cache_read_input_tokens":40}',
      'langfuse.observation.cost_details': '{"input":0.0001,"output":0.0002}',
    });
    expect(row).toMatchObject({
      input_tokens: 100,
      cache_read_tokens: 40,
      cost_source: 'reported',
      input_cost: 0.0001,
      output_cost: 0.0002,
    });
    expect(row.total_cost).toBeCloseTo(0.0003, 15);
  });

  it('reads the Vercel AI SDK cached and reasoning token counts', () => {
    const row = norm({
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.id': 'o3-mini',
      'ai.usage.inputTokens': '800',
      'ai.usage.outputTokens': '300',
      'ai.usage.cachedInputTokens': '500',
      'ai.usage.reasoningTokens': '200',
    });
    expect(row).toMatchObject({ cache_read_tokens: 500, reasoning_tokens: 200, cost_source: '' });
  });

  it('ignores a reported cost that is not a finite non-negative number, and costs on spans that are not model calls', () => {
    expect(norm({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm', 'gen_ai.usage.cost': 'NaN' }).cost_source).toBe('');
    expect(norm({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm', 'gen_ai.usage.cost': '-1' }).cost_source).toBe('');
    expect(norm({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 't', 'gen_ai.usage.cost': '1' }).cost_source).toBe('');
  });
});
