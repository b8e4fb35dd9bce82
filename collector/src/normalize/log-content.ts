/**
 * GenAI content sent as log records (the official OpenAI instrumentation sends prompts and
 * completions only that way) onto the span they belong to: the content events fill the span's
 * input/output with the same JSON the span-event form gives (genai-events.ts); the other records
 * stay in the span's `logs`. Applied to a trace as read, since spans and their log records arrive
 * separately.
 */
import type { Span, TraceDetail } from '@sightline/contract';
import { contentFromLogRecords, GENAI_CONTENT_EVENTS } from './genai-events.js';

function foldSpan(span: Span): void {
  const content = span.logs.filter((l) => GENAI_CONTENT_EVENTS.has(l.eventName));
  if (content.length === 0) return;
  const c = contentFromLogRecords(content);
  let used = false;
  // Content the span carries itself wins, as span attributes win over span events in genai.ts.
  if (span.input === '' && c.input !== '') [span.input, used] = [c.input, true];
  if (span.output === '' && c.output !== '') [span.output, used] = [c.output, true];
  if (span.finishReasons.length === 0) span.finishReasons = c.finishReasons;
  // Content events that filled nothing (the span had its own) stay visible as records.
  if (used) span.logs = span.logs.filter((l) => !GENAI_CONTENT_EVENTS.has(l.eventName));
}

/** Folds each span's GenAI content log records into its input/output (mutates and returns `trace`). */
export function foldLogContent(trace: TraceDetail): TraceDetail {
  for (const span of trace.spans) foldSpan(span);
  return trace;
}
