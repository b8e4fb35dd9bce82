/**
 * OTLP ExportLogsServiceRequest (protobuf or JSON) → LogRow[].
 *
 * A body that is not an OTLP logs request throws SightlineError('undecodable_body'). Inside a valid
 * request each record stands alone: a record with a malformed trace or span id is dropped and
 * counted (partial success). Times are lenient, as the log data model makes `time_unix_nano`
 * optional: a missing or unstorable time falls back to the observed time, then to the time of receipt.
 */
import { CONTENT_ATTRIBUTE_KEYS } from '../normalize/index.js';
import type { LogRow } from '../storage/log-table.js';
import { jsonAttributes, jsonValueToString, pbAttributes, pbValueToString } from './any-value.js';
import { idHex, nanos, SpanRejected, type OtlpFormat } from './decode.js';
import { decodeJsonLogsRequest } from './json-logs.js';
import { MAX_ATTRIBUTE_CHARS, MAX_CONTENT_CHARS, MAX_LISTED_REJECTIONS } from './limits.js';
import { decodeProtobufLogsRequest, type Int64Bits, type PbAnyValue, type PbKeyValue } from './proto.js';

export interface LogDecodeResult {
  rows: LogRow[];
  rejected: number;
  rejectionMessage: string;
}

type Time = Int64Bits | number | string | null | undefined;

/** The subset of a record the row builder reads, common to both encodings. */
interface WireLogRecord<KV, V> {
  timeUnixNano?: Time;
  observedTimeUnixNano?: Time;
  severityNumber?: number | null;
  severityText?: string | null;
  body?: V | null;
  attributes?: KV[] | null;
  traceId?: Uint8Array | string | null;
  spanId?: Uint8Array | string | null;
  eventName?: string | null;
}

interface WireResourceLogs<KV, V> {
  resource?: { attributes?: KV[] | null } | null;
  scopeLogs?: { scope?: { name?: string | null } | null; logRecords?: WireLogRecord<KV, V>[] | null }[] | null;
}

interface Codec<KV, V> {
  attrs(kvs: KV[] | null | undefined): Record<string, string>;
  body(v: V | null | undefined): string;
}

const pbCodec: Codec<PbKeyValue, PbAnyValue> = {
  attrs: (kvs) => pbAttributes(kvs, MAX_ATTRIBUTE_CHARS, CONTENT_ATTRIBUTE_KEYS, MAX_CONTENT_CHARS),
  // A body is content (GenAI events carry prompts and completions there): the content budget.
  body: (v) => pbValueToString(v, MAX_CONTENT_CHARS),
};
const jsonCodec: Codec<{ key: string; value?: unknown }, unknown> = {
  attrs: (kvs) => jsonAttributes(kvs, MAX_ATTRIBUTE_CHARS, CONTENT_ATTRIBUTE_KEYS, MAX_CONTENT_CHARS),
  body: (v) => jsonValueToString(v, MAX_CONTENT_CHARS),
};

function storableTime(...candidates: Time[]): bigint | undefined {
  for (const c of candidates) {
    const n = nanos(c);
    if (typeof n !== 'string') return n;
  }
  return undefined;
}

function buildRows<KV, V>(resourceLogs: WireResourceLogs<KV, V>[] | null | undefined, codec: Codec<KV, V>, nowNs: bigint): LogDecodeResult {
  const rows: LogRow[] = [];
  const reasons: string[] = [];
  let rejected = 0;
  let position = 0;
  for (const rl of resourceLogs ?? []) {
    const resource = codec.attrs(rl.resource?.attributes);
    const service = resource['service.name'] || 'unknown_service';
    for (const sl of rl.scopeLogs ?? []) {
      const scopeName = sl.scope?.name ?? '';
      for (const r of sl.logRecords ?? []) {
        const index = position++;
        try {
          const traceId = idHex(r.traceId, 'trace_id', 16, true);
          const spanId = idHex(r.spanId, 'span_id', 8, true);
          const observed = storableTime(r.observedTimeUnixNano) ?? nowNs;
          const attributes = codec.attrs(r.attributes);
          rows.push({
            timestamp: (storableTime(r.timeUnixNano) ?? observed).toString(),
            observed_timestamp: observed.toString(),
            trace_id: traceId,
            span_id: spanId,
            severity_number: Math.min(255, Math.max(0, r.severityNumber ?? 0)),
            severity_text: r.severityText ?? '',
            event_name: r.eventName || attributes['event.name'] || '',
            body: codec.body(r.body),
            log_attributes: attributes,
            resource_attributes: resource,
            service_name: service,
            scope_name: scopeName,
            record_index: index,
            project_id: '', // the log writer sets it from the caller's credentials
          });
        } catch (err) {
          if (!(err instanceof SpanRejected)) throw err;
          rejected++;
          if (reasons.length < MAX_LISTED_REJECTIONS) reasons.push(err.message);
        }
      }
    }
  }
  const more = rejected > reasons.length ? `; and ${rejected - reasons.length} more` : '';
  const rejectionMessage =
    rejected === 0 ? '' : `${rejected} log record${rejected === 1 ? '' : 's'} rejected: ${reasons.join('; ')}${more}`;
  return { rows, rejected, rejectionMessage };
}

/**
 * Decodes an OTLP logs export body into rows; `nowNs` stands in for records without any time.
 * @throws SightlineError('undecodable_body') when the body is not a valid request in `format`.
 */
export function decodeLogsRequest(body: Uint8Array, format: OtlpFormat, nowNs: bigint): LogDecodeResult {
  if (format === 'protobuf') return buildRows(decodeProtobufLogsRequest(body).resourceLogs, pbCodec, nowNs);
  const req = decodeJsonLogsRequest(body);
  return buildRows(req.resourceLogs as WireResourceLogs<{ key: string; value?: unknown }, unknown>[] | null | undefined, jsonCodec, nowNs);
}
