/**
 * OpenTelemetry GenAI semantic conventions (gen_ai.*), with `sightline.*` fallbacks for what the
 * convention has no name for. The attribute names are unstable upstream, so they are copied here,
 * in one place, rather than scattered as literals.
 */
import { MODEL_CALL_OPERATIONS, type SpanRow } from '../storage/span-row.js';
import { contentFromEvents } from './genai-events.js';
import { deletePrefixed, errorType, finishReasons, first, indexedKeys, tokenCount, unflatten } from './shared.js';
import type { Normalizer } from './types.js';

export const GENAI = {
  operationName: 'gen_ai.operation.name',
  agentName: 'gen_ai.agent.name',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  providerName: 'gen_ai.provider.name',
  system: 'gen_ai.system', // deprecated predecessor of gen_ai.provider.name
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  promptTokens: 'gen_ai.usage.prompt_tokens', // deprecated
  completionTokens: 'gen_ai.usage.completion_tokens', // deprecated
  finishReasons: 'gen_ai.response.finish_reasons',
  conversationId: 'gen_ai.conversation.id',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
  prompt: 'gen_ai.prompt', // deprecated span-attribute form of captured input
  completion: 'gen_ai.completion', // deprecated
  sessionId: 'session.id',
  errorType: 'error.type',
} as const;

/** Our own names, for what the SDK records that GenAI has no attribute for. */
export const SIGHTLINE = {
  operation: 'sightline.operation', // e.g. 'step'
  agentName: 'sightline.agent.name',
  sessionId: 'sightline.session.id',
  input: 'sightline.input',
  output: 'sightline.output',
} as const;

/** Operations GenAI instrumentations put first in the span name: "chat gpt-4o", "execute_tool x". */
const NAME_PREFIXED_OPERATIONS = [
  'chat',
  'text_completion',
  'generate_content',
  'embeddings',
  'execute_tool',
  'invoke_agent',
  'create_agent',
  'step', // Sightline's own: one iteration of an agent loop ("step plan")
] as const;

export const MODEL_CALLS: ReadonlySet<string> = new Set(MODEL_CALL_OPERATIONS);

/**
 * The older flattened content form (semconv before 1.28, still sent by OpenLLMetry and others):
 * gen_ai.prompt.<i>.role/content and gen_ai.completion.<i>.role/content/finish_reason.
 */
const PROMPT_PREFIX = 'gen_ai.prompt.';
const COMPLETION_PREFIX = 'gen_ai.completion.';
const INDEXED_CONTENT_KEYS = [...indexedKeys(PROMPT_PREFIX, ['content']), ...indexedKeys(COMPLETION_PREFIX, ['content'])];

/** The indexed form as a JSON message list, '' when absent. */
function indexedMessages(a: Readonly<Record<string, string>>, prefix: string): string {
  const list = unflatten(a, prefix);
  return list.length ? JSON.stringify(list) : '';
}

// Checked in this order; the first non-empty one wins.
const INPUT_KEYS = [GENAI.inputMessages, GENAI.toolCallArguments, SIGHTLINE.input, GENAI.prompt] as const;
const OUTPUT_KEYS = [GENAI.outputMessages, GENAI.toolCallResult, SIGHTLINE.output, GENAI.completion] as const;

/** Splits "chat gpt-4o" into ['chat', 'gpt-4o'] when the first word is a GenAI operation. */
function operationFromName(name: string): [op: string, target: string] {
  for (const op of NAME_PREFIXED_OPERATIONS) {
    if (name === op) return [op, ''];
    if (name.length > op.length && name.startsWith(op) && name.charCodeAt(op.length) === 32) {
      return [op, name.slice(op.length + 1).trim()];
    }
  }
  return ['', ''];
}

export const genai: Normalizer = {
  name: 'genai',
  contentKeys: [...INPUT_KEYS, ...OUTPUT_KEYS, ...INDEXED_CONTENT_KEYS],

  matches(span) {
    for (const key in span.span_attributes) {
      if (key.startsWith('gen_ai.') || key.startsWith('sightline.')) return true;
    }
    return false;
  },

  apply(span, row: SpanRow) {
    const a = span.span_attributes;
    const [nameOp, nameTarget] = operationFromName(span.name);
    const operation = a[GENAI.operationName] || a[SIGHTLINE.operation] || nameOp;
    // The name's target only stands in for the attribute of the matching operation.
    const target = operation === nameOp ? nameTarget : '';

    row.operation = operation;
    row.agent_name = a[GENAI.agentName] || a[SIGHTLINE.agentName] || (operation === 'invoke_agent' ? target : '');
    row.tool_name = a[GENAI.toolName] || (operation === 'execute_tool' ? target : '');
    row.tool_call_id = a[GENAI.toolCallId] ?? '';
    row.request_model = a[GENAI.requestModel] || (MODEL_CALLS.has(operation) ? target : '');
    row.response_model = a[GENAI.responseModel] ?? '';
    row.provider = a[GENAI.providerName] || a[GENAI.system] || '';
    row.session_id = a[GENAI.conversationId] || a[GENAI.sessionId] || a[SIGHTLINE.sessionId] || '';
    const fromEvents = contentFromEvents(span);
    row.finish_reasons = finishReasons(a[GENAI.finishReasons]);
    if (row.finish_reasons.length === 0) row.finish_reasons = fromEvents.finishReasons;
    row.error_type = errorType(span);

    // Only model calls carry tokens in the typed columns: agent and workflow spans often repeat
    // the sum of their children, and a trace total must count each token once.
    if (MODEL_CALLS.has(operation)) {
      row.input_tokens = tokenCount(a[GENAI.inputTokens] ?? a[GENAI.promptTokens]);
      row.output_tokens = tokenCount(a[GENAI.outputTokens] ?? a[GENAI.completionTokens]);
    }

    // Span attributes first, then the older indexed form, then span events (content recorded as
    // gen_ai.*.message / gen_ai.choice events, or the older gen_ai.content.* events). Events are
    // kept as they are: the stored event list is the instrumentation's own record.
    const indexedIn = indexedMessages(a, PROMPT_PREFIX);
    const indexedOut = indexedMessages(a, COMPLETION_PREFIX);
    row.input = first(a, INPUT_KEYS) || indexedIn || fromEvents.input;
    row.output = first(a, OUTPUT_KEYS) || indexedOut || fromEvents.output;
    // Content now lives in input/output; drop the attribute copies so it is stored once.
    // Done last: a failure above leaves the attributes intact.
    const attrs = row.span_attributes;
    for (const k of INPUT_KEYS) if (attrs[k] === row.input) delete attrs[k];
    for (const k of OUTPUT_KEYS) if (attrs[k] === row.output) delete attrs[k];
    if (indexedIn && row.input === indexedIn) deletePrefixed(attrs, PROMPT_PREFIX);
    if (indexedOut && row.output === indexedOut) deletePrefixed(attrs, COMPLETION_PREFIX);
  },
};
