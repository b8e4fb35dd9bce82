/**
 * Arize OpenInference (`openinference.span.kind` = LLM, EMBEDDING, CHAIN, TOOL, AGENT, RETRIEVER,
 * RERANKER, GUARDRAIL, EVALUATOR, PROMPT), checked against @arizeai/openinference-instrumentation-openai
 * 4.x and openinference-core 2.x.
 *
 * Content: `input.value` / `output.value` become input/output; the flattened message copies
 * (llm.input_messages.*, llm.output_messages.*, embedding.embeddings.*) are dropped when the
 * values are present, or turned into a JSON message list when they are not. Only LLM and
 * EMBEDDING spans carry tokens in the typed columns (CHAIN/AGENT spans may repeat the sums).
 */
import type { SpanRow } from '../storage/span-row.js';
import { deletePrefixed, errorType, indexedKeys, parseJson, propagatedSession, tokenCount, unflatten } from './shared.js';
import type { Normalizer } from './types.js';

const KIND = 'openinference.span.kind';

// A Map, not an object literal: the keys come from spans, and an object would answer '__proto__'.
const OPERATIONS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    LLM: 'chat',
    EMBEDDING: 'embeddings',
    TOOL: 'execute_tool',
    AGENT: 'invoke_agent',
    CHAIN: 'chain',
    RETRIEVER: 'retrieval',
    RERANKER: 'rerank',
    GUARDRAIL: 'guardrail',
    EVALUATOR: 'evaluation',
    PROMPT: 'prompt',
  }),
);

const IN_MESSAGES = 'llm.input_messages.';
const OUT_MESSAGES = 'llm.output_messages.';
const EMBEDDINGS = 'embedding.embeddings.';
const CONTENT = ['input.value', 'output.value'] as const;
const INDEXED_CONTENT = [
  ...indexedKeys(IN_MESSAGES, ['message.content']),
  ...indexedKeys(OUT_MESSAGES, ['message.content']),
  ...indexedKeys('llm.prompts.', ['prompt.text']),
];

/** The request's model from llm.invocation_parameters (the instrumentation overwrites llm.model_name with the response's). */
function invocationModel(v: string | undefined): string {
  const p = parseJson(v);
  return p && typeof p === 'object' && typeof (p as { model?: unknown }).model === 'string' ? (p as { model: string }).model : '';
}

function messagesJson(a: Readonly<Record<string, string>>, prefix: string): string {
  const list = unflatten(a, prefix, 'message.');
  return list.length ? JSON.stringify(list) : '';
}

export const openinference: Normalizer = {
  name: 'openinference',
  contentKeys: [...CONTENT, ...INDEXED_CONTENT],

  matches(span) {
    return span.span_attributes[KIND] !== undefined;
  },

  apply(span, row: SpanRow) {
    const a = span.span_attributes;
    const kind = (a[KIND] ?? '').toUpperCase();
    const operation = OPERATIONS.get(kind) ?? '';
    row.operation =
      operation === 'chat' && a['llm.prompts.0.prompt.text'] !== undefined && a[`${IN_MESSAGES}0.message.role`] === undefined
        ? 'text_completion'
        : operation;
    row.agent_name = a['agent.name'] || (kind === 'AGENT' ? span.name : '');
    row.session_id = propagatedSession(a);
    row.tool_name = a['tool.name'] || (kind === 'TOOL' ? span.name : '');
    row.tool_call_id = a['tool.id'] || a['tool_call.id'] || '';
    if (kind === 'EMBEDDING') {
      row.request_model = a['embedding.model_name'] ?? '';
    } else {
      row.request_model = a['llm.request.model_name'] || invocationModel(a['llm.invocation_parameters']) || a['llm.model_name'] || '';
      row.response_model = a['llm.response.model_name'] || a['llm.model_name'] || '';
    }
    row.provider = a['llm.provider'] || a['llm.system'] || '';
    row.finish_reasons = a['llm.finish_reason'] ? [a['llm.finish_reason']] : [];
    row.error_type = errorType(span);
    if (kind === 'LLM' || kind === 'EMBEDDING') {
      row.input_tokens = tokenCount(a['llm.token_count.prompt']);
      row.output_tokens = tokenCount(a['llm.token_count.completion']);
    }

    const inMessages = messagesJson(a, IN_MESSAGES);
    const outMessages = messagesJson(a, OUT_MESSAGES);
    row.input = a['input.value'] || inMessages || messagesJson(a, 'llm.prompts.');
    row.output = a['output.value'] || outMessages;
    // Stored once: the value attributes moved, and the flattened copies of the same content dropped.
    const attrs = row.span_attributes;
    if (row.input) {
      delete attrs['input.value'];
      deletePrefixed(attrs, IN_MESSAGES);
      deletePrefixed(attrs, 'llm.prompts.');
      deletePrefixed(attrs, EMBEDDINGS);
    }
    if (row.output) {
      delete attrs['output.value'];
      deletePrefixed(attrs, OUT_MESSAGES);
    }
  },
};
