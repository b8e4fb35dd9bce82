/**
 * Traceloop / OpenLLMetry: `traceloop.span.kind` (workflow, task, agent, tool) on the SDK's own
 * wrapper spans, `traceloop.entity.name/input/output`, `traceloop.association.properties.*` and
 * `traceloop.workflow.name` propagated onto every span, and model-call spans that follow GenAI
 * (current gen_ai.* in 0.27; the older gen_ai.prompt.N.* / llm.request.type / llm.usage.* in
 * earlier releases). Checked against @traceloop/node-server-sdk 0.27.
 *
 * Model calls are read by the genai normalizer first, then Traceloop's own names are overlaid.
 */
import type { SpanRow } from '../storage/span-row.js';
import { genai, MODEL_CALLS } from './genai.js';
import { first, tokenCount } from './shared.js';
import type { Normalizer } from './types.js';

// A Map, not an object literal: the keys come from spans, and an object would answer '__proto__'.
const SPAN_KINDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    workflow: 'workflow',
    task: 'task',
    agent: 'invoke_agent',
    tool: 'execute_tool',
  }),
);

/** Older OpenLLMetry `llm.request.type` → GenAI operation. */
// A Map, not an object literal: the keys come from spans, and an object would answer '__proto__'.
const REQUEST_TYPES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    chat: 'chat',
    completion: 'text_completion',
    embedding: 'embeddings',
    rerank: 'rerank',
  }),
);

const ASSOC = 'traceloop.association.properties.';
/** Association properties read as the session id, in this order. */
const SESSION_KEYS = ['session_id', 'sessionId', 'conversation_id', 'thread_id', 'chat_id'].map((k) => ASSOC + k);
const CONTENT = ['traceloop.entity.input', 'traceloop.entity.output'] as const;

/** Entity input is recorded as {"args":[...],"kwargs":{...}}; show the arguments a reader expects. */
function entityInput(v: string | undefined): string {
  if (!v) return '';
  try {
    const p = JSON.parse(v) as { args?: unknown[]; kwargs?: Record<string, unknown> };
    if (p && Array.isArray(p.args) && p.kwargs && typeof p.kwargs === 'object') {
      if (p.args.length === 0) return JSON.stringify(p.kwargs);
      if (Object.keys(p.kwargs).length === 0) return JSON.stringify(p.args.length === 1 ? p.args[0] : p.args);
    }
  } catch {
    // not the wrapper shape: keep as recorded
  }
  return v;
}

export const traceloop: Normalizer = {
  name: 'traceloop',
  contentKeys: [...CONTENT, ...genai.contentKeys],

  matches(span) {
    for (const key in span.span_attributes) if (key.startsWith('traceloop.')) return true;
    return false;
  },

  apply(span, row: SpanRow) {
    const a = span.span_attributes;
    genai.apply(span, row);
    const kind = a['traceloop.span.kind'] ?? '';
    const entity = a['traceloop.entity.name'] ?? '';
    const spanKind = SPAN_KINDS.get(kind);
    if (spanKind) row.operation = spanKind;
    else if (!row.operation) row.operation = REQUEST_TYPES.get(a['llm.request.type'] ?? '') ?? '';
    if (kind === 'agent') row.agent_name = entity || row.agent_name;
    if (kind === 'tool') row.tool_name = entity;
    row.session_id = first(a, SESSION_KEYS) || row.session_id;
    if (!row.provider) row.provider = a['llm.vendor'] ?? '';
    if (MODEL_CALLS.has(row.operation)) {
      // Older releases: llm.usage.* names.
      row.input_tokens ||= tokenCount(a['llm.usage.prompt_tokens']);
      row.output_tokens ||= tokenCount(a['llm.usage.completion_tokens']);
    } else {
      row.input_tokens = 0;
      row.output_tokens = 0;
    }
    if (kind) {
      const input = entityInput(a['traceloop.entity.input']);
      const output = a['traceloop.entity.output'] ?? '';
      if (input) {
        row.input = input;
        delete row.span_attributes['traceloop.entity.input'];
      }
      if (output) {
        row.output = output;
        delete row.span_attributes['traceloop.entity.output'];
      }
    }
  },
};
