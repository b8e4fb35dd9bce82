/**
 * The `logs` row (migration 008): one OTLP log record with its trace context. Like the span row,
 * times are nanoseconds as decimal strings and attribute values strings. Rows travel to ClickHouse
 * as JSONCompactEachRow lines under LOG_COLUMNS.
 */
import { encodeWellFormed } from './row-encoding.js';

export interface LogRow {
  timestamp: string;
  observed_timestamp: string;
  trace_id: string; // 32 lowercase hex chars, '' when the record has no trace context
  span_id: string; // 16 lowercase hex chars, or ''
  severity_number: number;
  severity_text: string;
  /** LogRecord.event_name, else the `event.name` attribute (the form used before event_name existed). */
  event_name: string;
  /** A string body as sent; any other body as the JSON of its value. */
  body: string;
  log_attributes: Record<string, string>;
  resource_attributes: Record<string, string>;
  service_name: string;
  scope_name: string;
  /**
   * Position of the record in its request. Instrumentations emit a call's messages with one
   * timestamp (instrumentation-openai: one Date.now() for all prompts), so this keeps their order.
   */
  record_index: number;
  /** The project the record was sent to, from the caller's credentials (set by the log writer). */
  project_id: string;
}

export const LOG_COLUMNS = [
  'timestamp',
  'observed_timestamp',
  'trace_id',
  'span_id',
  'severity_number',
  'severity_text',
  'event_name',
  'body',
  'log_attributes',
  'resource_attributes',
  'service_name',
  'scope_name',
  'record_index',
  'project_id',
] as const satisfies readonly (keyof LogRow)[];

function encodeRaw(r: LogRow): string {
  return `${JSON.stringify(LOG_COLUMNS.map((c) => r[c]))}\n`;
}

/** One row as a JSON array line; lone surrogates become U+FFFD (see row-encoding.ts). */
export function encodeLogRow(r: LogRow): string {
  return encodeWellFormed(r, encodeRaw);
}
