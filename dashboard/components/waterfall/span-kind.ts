/** How a span is drawn, from its normalized gen_ai operation. */
export type SpanCategory = 'agent' | 'llm' | 'tool' | 'other';

const LLM = new Set(['chat', 'text_completion', 'generate_content', 'embeddings']);

export function spanCategory(operation: string): SpanCategory {
  if (operation === 'execute_tool') return 'tool';
  if (LLM.has(operation)) return 'llm';
  if (operation === 'invoke_agent' || operation === 'create_agent') return 'agent';
  return 'other';
}
