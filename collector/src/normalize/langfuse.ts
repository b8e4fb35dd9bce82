/**
 * Langfuse OTel SDK (@langfuse/tracing + @langfuse/otel, v4/v5): observations carry
 * `langfuse.observation.type` (span, generation, embedding, agent, tool, chain, retriever,
 * evaluator, guardrail, event), `.input/.output`, `.model.name`, `.usage_details`, `.level`,
 * `.status_message`, `.metadata.*`; trace-level values (`session.id`, `langfuse.trace.*`,
 * `langfuse.session.id` in v3) are propagated onto every span.
 *
 * Only spans with a langfuse.observation.* attribute are claimed: a Vercel AI or OpenInference
 * span inside a Langfuse trace also gets `session.id`/`langfuse.trace.name`, and its own
 * normalizer (earlier in the list) reads it.
 *
 * Langfuse has no fields for provider, response model, finish reason, tool call id or error type:
 * the last three are read from the metadata keys finish_reason, tool_call_id and from a
 * status_message that is one identifier (e.g. "RateLimitError"); provider and response model stay ''.
 * Level ERROR marks the span failed (status ERROR) when the exporter left the status unset.
 */
import type { SpanRow } from '../storage/span-row.js';
import { errorType, first, parseJson, propagatedSession, tokenCount } from './shared.js';
import type { Normalizer } from './types.js';

const OBS = 'langfuse.observation.';

// A Map, not an object literal: the keys come from spans, and an object would answer '__proto__'.
const OPERATIONS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    generation: 'chat',
    embedding: 'embeddings',
    agent: 'invoke_agent',
    tool: 'execute_tool',
    chain: 'chain',
    retriever: 'retrieval',
    evaluator: 'evaluation',
    guardrail: 'guardrail',
    event: 'event',
  }),
);
const MODEL_CALL = new Set(['chat', 'embeddings']);
const CONTENT = [`${OBS}input`, `${OBS}output`] as const;
const IDENTIFIER = /^[A-Za-z_$][\w$.]{0,99}$/;

/** usage_details is a JSON object; Langfuse accepts several key spellings. */
function usage(v: string | undefined): [number, number] {
  const u = parseJson(v);
  if (!u || typeof u !== 'object' || Array.isArray(u)) return [0, 0];
  const o = u as Record<string, unknown>;
  const pick = (keys: string[]) => {
    for (const k of keys) if (o[k] !== undefined) return tokenCount(o[k]);
    return 0;
  };
  return [
    pick(['input', 'prompt_tokens', 'input_tokens', 'promptTokens']),
    pick(['output', 'completion_tokens', 'output_tokens', 'completionTokens']),
  ];
}

export const langfuse: Normalizer = {
  name: 'langfuse',
  contentKeys: [...CONTENT],

  matches(span) {
    for (const key in span.span_attributes) if (key.startsWith(OBS)) return true;
    return false;
  },

  apply(span, row: SpanRow) {
    const a = span.span_attributes;
    const type = a[`${OBS}type`] ?? 'span';
    const operation = OPERATIONS.get(type) ?? '';
    row.operation = operation;
    row.agent_name = type === 'agent' ? span.name : '';
    row.tool_name = type === 'tool' ? span.name : '';
    row.tool_call_id = first(a, [`${OBS}metadata.tool_call_id`, `${OBS}metadata.toolCallId`]);
    row.session_id = first(a, ['langfuse.trace.session_id']) || propagatedSession(a);
    row.request_model = a[`${OBS}model.name`] ?? '';
    const reason = first(a, [`${OBS}metadata.finish_reason`, `${OBS}metadata.finishReason`]);
    row.finish_reasons = reason ? [reason] : [];
    if (MODEL_CALL.has(operation)) [row.input_tokens, row.output_tokens] = usage(a[`${OBS}usage_details`]);
    if (!row.environment) row.environment = a['langfuse.environment'] ?? '';
    if (!row.release) row.release = a['langfuse.release'] ?? '';

    const failed = a[`${OBS}level`] === 'ERROR';
    if (failed && row.status_code === 'UNSET') {
      row.status_code = 'ERROR';
      if (!row.status_message) row.status_message = a[`${OBS}status_message`] ?? '';
    }
    const message = a[`${OBS}status_message`] ?? '';
    row.error_type = errorType(row) || (failed && IDENTIFIER.test(message) ? message : '');

    row.input = a[`${OBS}input`] ?? '';
    row.output = a[`${OBS}output`] ?? '';
    if (row.input) delete row.span_attributes[`${OBS}input`];
    if (row.output) delete row.span_attributes[`${OBS}output`];
  },
};
