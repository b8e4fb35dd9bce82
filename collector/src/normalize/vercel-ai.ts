/**
 * Vercel AI SDK telemetry (`experimental_telemetry`): spans named by `ai.operationId`
 * (ai.generateText, ai.generateText.doGenerate, ai.toolCall, ...) with ai.* attributes and, on the
 * provider calls, a partial gen_ai.* copy. Checked against ai 6.x; ai 4/5 names (promptTokens,
 * completionTokens, toolCall.args/result) are read too.
 *
 * Mapping: a top-level call (generateText, streamText, generateObject, streamObject) is an agent
 * run (`invoke_agent`, agent = telemetry functionId); its do* child is the model call (`chat`),
 * the only span whose usage goes to the token columns (the parent repeats the sum of its steps).
 */
import type { SpanRow } from '../storage/span-row.js';
import { errorType, finishReasons, first, propagatedSession, tokenCount } from './shared.js';
import type { Normalizer } from './types.js';

const OPERATION_ID = 'ai.operationId';

// A Map, not an object literal: the keys come from spans, and an object would answer '__proto__'.
const OPERATIONS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'ai.generateText': 'invoke_agent',
    'ai.streamText': 'invoke_agent',
    'ai.generateObject': 'invoke_agent',
    'ai.streamObject': 'invoke_agent',
    'ai.generateText.doGenerate': 'chat',
    'ai.streamText.doStream': 'chat',
    'ai.generateObject.doGenerate': 'chat',
    'ai.streamObject.doStream': 'chat',
    'ai.embed': 'embed',
    'ai.embedMany': 'embed',
    'ai.embed.doEmbed': 'embeddings',
    'ai.embedMany.doEmbed': 'embeddings',
    'ai.toolCall': 'execute_tool',
  }),
);
const MODEL_CALL = new Set(['chat', 'embeddings']);

/** Metadata keys (ai.telemetry.metadata.<key>) read as the session id, in this order. */
const SESSION_METADATA = ['sessionId', 'session_id', 'conversationId', 'conversation_id', 'threadId'].map(
  (k) => `ai.telemetry.metadata.${k}`,
);

const INPUT_KEYS = ['ai.prompt.messages', 'ai.prompt', 'ai.toolCall.args', 'ai.toolCall.input', 'ai.value', 'ai.values'] as const;
const OUTPUT_KEYS = [
  'ai.response.text',
  'ai.response.toolCalls',
  'ai.response.object',
  'ai.toolCall.result',
  'ai.toolCall.output',
] as const;

/** "openai.chat" → "openai": the SDK names provider and API together. */
function providerOf(v: string): string {
  const dot = v.indexOf('.');
  return dot > 0 ? v.slice(0, dot) : v;
}

export const vercelAi: Normalizer = {
  name: 'vercel-ai',
  contentKeys: [...INPUT_KEYS, ...OUTPUT_KEYS],

  matches(span) {
    return span.span_attributes[OPERATION_ID] !== undefined;
  },

  apply(span, row: SpanRow) {
    const a = span.span_attributes;
    const operation = OPERATIONS.get(a[OPERATION_ID] ?? '') ?? '';
    row.operation = operation;
    row.agent_name = a['ai.telemetry.functionId'] ?? '';
    row.session_id = first(a, SESSION_METADATA) || propagatedSession(a);
    row.tool_name = a['ai.toolCall.name'] ?? '';
    row.tool_call_id = a['ai.toolCall.id'] ?? '';
    row.request_model = first(a, ['gen_ai.request.model', 'ai.model.id']);
    row.response_model = first(a, ['ai.response.model', 'gen_ai.response.model']);
    row.provider = providerOf(first(a, ['ai.model.provider', 'gen_ai.system']));
    const reasons = finishReasons(a['gen_ai.response.finish_reasons']);
    row.finish_reasons = reasons.length ? reasons : finishReasons(a['ai.response.finishReason']);
    row.error_type = errorType(span);
    if (MODEL_CALL.has(operation)) {
      row.input_tokens = tokenCount(
        first(a, ['ai.usage.inputTokens', 'ai.usage.promptTokens', 'ai.usage.tokens', 'gen_ai.usage.input_tokens']),
      );
      row.output_tokens = tokenCount(first(a, ['ai.usage.outputTokens', 'ai.usage.completionTokens', 'gen_ai.usage.output_tokens']));
    }
    row.input = first(a, INPUT_KEYS);
    row.output = first(a, OUTPUT_KEYS);
    const attrs = row.span_attributes;
    for (const k of INPUT_KEYS) if (attrs[k] === row.input) delete attrs[k];
    for (const k of OUTPUT_KEYS) if (attrs[k] === row.output) delete attrs[k];
  },
};
