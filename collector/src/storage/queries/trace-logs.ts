/**
 * The log records of a trace, joined to its spans at read time (normalize/log-content.ts then turns
 * GenAI content events into the span's input/output). Read-time rather than write-time: a span and
 * its log records arrive in separate requests, in either order, often seconds apart, and neither
 * waits for the other.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Span, SpanLog } from '@sightline/contract';
import { select, toNumber } from './common.js';

interface LogDbRow {
  span_id: string;
  time_ns: string;
  severity_number: string | number;
  severity_text: string;
  event_name: string;
  body: string;
  log_attributes: Record<string, string>;
}

/** Past this, a trace's further log records are not read (the spans' cap is 20 000). */
const MAX_TRACE_LOGS = 20_000;

/**
 * Records of `traceId` with a time within a day of the trace's bounds: a record's time is the
 * emitter's clock (often milliseconds before its span's start), the day keeps it from scanning
 * every partition.
 */
export async function traceLogs(
  client: ClickHouseClient,
  projectId: string,
  traceId: string,
  loNs: string,
  hiNs: string,
): Promise<LogDbRow[]> {
  return select<LogDbRow>(
    client,
    `SELECT span_id, toString(toUnixTimestamp64Nano(timestamp)) AS time_ns, severity_number, severity_text, event_name, body, log_attributes
     FROM logs FINAL
     WHERE project_id = {projectId:String} AND trace_id = {id:String}
       AND timestamp >= fromUnixTimestamp64Nano({lo:Int64}) - INTERVAL 1 DAY
       AND timestamp <= fromUnixTimestamp64Nano({hi:Int64}) + INTERVAL 1 DAY
     ORDER BY timestamp, observed_timestamp, ingested_at, record_index
     LIMIT {max:UInt32}`,
    { projectId, id: traceId, lo: loNs, hi: hiNs, max: MAX_TRACE_LOGS },
  );
}

function toSpanLog(r: LogDbRow): SpanLog {
  return {
    time: r.time_ns,
    severityNumber: toNumber(r.severity_number),
    severityText: r.severity_text,
    eventName: r.event_name,
    body: r.body,
    attributes: r.log_attributes,
  };
}

/** Puts each record on its span (mutating `spans`); records of no span of the trace are left out. */
export function attachLogs(spans: Span[], rows: readonly LogDbRow[]): void {
  const bySpan = new Map<string, SpanLog[]>();
  for (const r of rows) {
    if (r.span_id === '') continue;
    let list = bySpan.get(r.span_id);
    if (!list) bySpan.set(r.span_id, (list = []));
    list.push(toSpanLog(r));
  }
  for (const span of spans) span.logs = bySpan.get(span.spanId) ?? [];
}
