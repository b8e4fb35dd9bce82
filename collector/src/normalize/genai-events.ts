/**
 * GenAI content recorded as span events rather than attributes:
 *  - semconv 1.28–1.36 events `gen_ai.system.message`, `gen_ai.user.message`,
 *    `gen_ai.assistant.message`, `gen_ai.tool.message`, `gen_ai.choice` (their body fields as
 *    attributes, or the whole body as JSON in `gen_ai.event.content`);
 *  - semconv 1.37+ `gen_ai.client.inference.operation.details` (gen_ai.input/output.messages);
 *  - the older `gen_ai.content.prompt` / `gen_ai.content.completion` (gen_ai.prompt / gen_ai.completion).
 * The same events also arrive as OTLP log records tied to the span (@opentelemetry/instrumentation-openai
 * emits them through the Logs API): `contentFromLogRecords` reads those with the same rules, so the
 * span shows the same input/output whichever way the instrumentation sent them.
 */
import { finishReasons, parseJson } from './shared.js';
import type { SpanView } from './types.js';

// A Map, not an object literal: the keys come from spans, and an object would answer '__proto__'.
const INPUT_EVENTS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'gen_ai.system.message': 'system',
    'gen_ai.user.message': 'user',
    'gen_ai.assistant.message': 'assistant',
    'gen_ai.tool.message': 'tool',
  }),
);

export interface EventContent {
  input: string;
  output: string;
  finishReasons: string[];
}

/** An event's body: the JSON in gen_ai.event.content, else its attributes with JSON values parsed. */
function body(attrs: Readonly<Record<string, string>>): Record<string, unknown> {
  const whole = parseJson(attrs['gen_ai.event.content']);
  if (whole && typeof whole === 'object' && !Array.isArray(whole)) return whole as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'gen_ai.system' || k === 'gen_ai.provider.name') continue;
    const c = v.charCodeAt(0);
    out[k] = c === 123 /* { */ || c === 91 /* [ */ ? (parseJson(v) ?? v) : v;
  }
  return out;
}

/** The log events that carry GenAI content (the other events and log records are shown as they are). */
export const GENAI_CONTENT_EVENTS: ReadonlySet<string> = new Set([
  ...INPUT_EVENTS.keys(),
  'gen_ai.choice',
  'gen_ai.client.inference.operation.details',
  'gen_ai.content.prompt',
  'gen_ai.content.completion',
]);

/** A log record as stored: its event name, its body (string, or JSON of a structured body), attributes. */
export interface ContentLogRecord {
  eventName: string;
  body: string;
  attributes: Readonly<Record<string, string>>;
}

/**
 * GenAI content from log records, read as the span events they stand for: a structured body is the
 * event body (`gen_ai.event.content`, the form the span-event reader already takes), attributes
 * carry the rest (gen_ai.input.messages of the operation-details event).
 */
export function contentFromLogRecords(records: readonly ContentLogRecord[]): EventContent {
  const names: string[] = [];
  const attributes: Record<string, string>[] = [];
  for (const r of records) {
    if (!GENAI_CONTENT_EVENTS.has(r.eventName)) continue;
    const structured = r.body.startsWith('{');
    names.push(r.eventName);
    attributes.push(structured ? { ...r.attributes, 'gen_ai.event.content': r.body } : { ...r.attributes });
  }
  return contentFromEvents({ event_names: names, event_attributes: attributes });
}

export function contentFromEvents(span: Pick<SpanView, 'event_names' | 'event_attributes'>): EventContent {
  const inputs: unknown[] = [];
  const choices: unknown[] = [];
  const reasons: string[] = [];
  let input = '';
  let output = '';
  for (let i = 0; i < span.event_names.length; i++) {
    const name = span.event_names[i]!;
    const attrs = span.event_attributes[i] ?? {};
    const role = INPUT_EVENTS.get(name);
    if (role !== undefined) {
      inputs.push({ role, ...body(attrs) });
    } else if (name === 'gen_ai.choice') {
      const b = body(attrs);
      choices.push(b);
      if (typeof b['finish_reason'] === 'string') reasons.push(b['finish_reason']);
    } else if (name === 'gen_ai.client.inference.operation.details') {
      input ||= attrs['gen_ai.input.messages'] ?? '';
      output ||= attrs['gen_ai.output.messages'] ?? '';
      if (reasons.length === 0) reasons.push(...finishReasons(attrs['gen_ai.response.finish_reasons']));
    } else if (name === 'gen_ai.content.prompt') {
      input ||= attrs['gen_ai.prompt'] ?? '';
    } else if (name === 'gen_ai.content.completion') {
      output ||= attrs['gen_ai.completion'] ?? '';
    }
  }
  return {
    input: input || (inputs.length ? JSON.stringify(inputs) : ''),
    output: output || (choices.length ? JSON.stringify(choices) : ''),
    finishReasons: reasons,
  };
}
