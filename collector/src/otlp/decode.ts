/**
 * OTLP ExportTraceServiceRequest (protobuf or JSON) → SpanRow[].
 *
 * A body that is not an OTLP request at all throws SightlineError('undecodable_body').
 * Inside a valid request each span is checked on its own (ids, times); a bad span is dropped
 * and counted, the rest are kept, and the caller reports the count as an OTLP partial success.
 * Typed GenAI columns are left empty here: normalize/ fills them.
 */
import { SightlineError } from '../errors.js';
import { CONTENT_ATTRIBUTE_KEYS } from '../normalize/index.js';
import type { SpanKindName, SpanRow, StatusCodeName } from '../storage/span-row.js';
import { jsonAttributes, pbAttributes } from './any-value.js';
import { decodeJsonRequest, type JsonResourceSpans } from './json.js';
import { MAX_ATTRIBUTE_CHARS, MAX_CONTENT_CHARS, MAX_LISTED_REJECTIONS, MAX_STORABLE_NS, MIN_STORABLE_NS } from './limits.js';
import { decodeProtobufRequest, type Int64Bits, type PbKeyValue, type PbResourceSpans } from './proto.js';

export type OtlpFormat = 'protobuf' | 'json';

export interface DecodeResult {
  rows: SpanRow[];
  /** Spans dropped by per-span validation. */
  rejected: number;
  /** Why, for ExportTracePartialSuccess.error_message; '' when nothing was rejected. */
  rejectionMessage: string;
}

export interface DecodeOptions {
  /** Attributes given the larger content cap; defaults to the normalizer registry's. */
  contentKeys?: ReadonlySet<string>;
  /** Told of each unexpected exception that cost one span (a bug, not a bad span): for the log. */
  onSpanError?: (err: unknown, spanName: string) => void;
}

let spanErrors = 0;

/** Spans rejected because building their row threw unexpectedly, since start-up (for /api/health). */
export function spanBuildFailures(): number {
  return spanErrors;
}

const SPAN_KINDS: readonly SpanKindName[] = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS_CODES: readonly StatusCodeName[] = ['UNSET', 'OK', 'ERROR'];

/** A span failed validation; carries the human reason. Thrown only for bad spans (rare). */
export class SpanRejected extends Error {}

// ---------- ids ----------

const HEX = /^[0-9a-fA-F]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

function isAllZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/**
 * Validates an id (protobuf bytes, or a JSON hex string) and returns lowercase hex.
 * `bytes` = required length; `optional` = the empty id is allowed (parent_span_id).
 * JSON ids that are not hex but decode as base64 to the right length are accepted too:
 * some exporters use the plain protobuf JSON mapping, which base64-encodes bytes.
 */
export function idHex(v: Uint8Array | string | null | undefined, field: string, bytes: number, optional: boolean): string {
  let buf: Uint8Array;
  if (v === null || v === undefined) {
    buf = new Uint8Array(0);
  } else if (typeof v === 'string') {
    if (v.length === bytes * 2 && HEX.test(v)) {
      const hex = v.toLowerCase();
      if (/^0+$/.test(hex)) throw new SpanRejected(`${field} is all zeros`);
      return hex;
    }
    if (HEX.test(v) && v.length % 2 === 0) buf = Buffer.from(v, 'hex');
    else if (v.length === base64Length(bytes) && BASE64.test(v)) buf = Buffer.from(v, 'base64');
    else throw new SpanRejected(`${field} is not hex`);
  } else {
    buf = v;
  }
  if (buf.length === 0 && optional) return '';
  if (buf.length !== bytes) throw new SpanRejected(`invalid ${field} length ${buf.length}`);
  if (isAllZero(buf)) throw new SpanRejected(`${field} is all zeros`);
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('hex');
}

/**
 * Link ids are stored as sent (hex), unvalidated: a bad link must not cost the span.
 * An unset protobuf bytes field reads as protobufjs's default, a plain empty array, not a Buffer.
 */
function linkIdHex(v: Uint8Array | string | null | undefined): string {
  if (v === null || v === undefined || v.length === 0) return '';
  if (typeof v === 'string') return v.toLowerCase();
  return (ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.from(v)).toString('hex');
}

// ---------- times ----------

const TWO_32 = 4294967296n;
const DIGITS = /^\d+$/;
/** A longer decimal string is refused unread (BigInt of a huge one is slow); 2^64 has 20 digits. */
const MAX_TIME_CHARS = 40;

/**
 * A time as nanoseconds, or why it cannot be stored: missing (absent or 0, the proto3 default),
 * not an integer, or outside [MIN_STORABLE_NS, MAX_STORABLE_NS] (limits.ts).
 */
export function nanos(v: Int64Bits | number | string | null | undefined): bigint | string {
  let n: bigint;
  if (v === null || v === undefined) return 'missing';
  if (typeof v === 'string') {
    if (v.length > MAX_TIME_CHARS || !DIGITS.test(v)) return 'not an unsigned integer';
    n = BigInt(v);
  } else if (typeof v === 'number') {
    // JSON numbers past 2^53 are imprecise but allowed by the spec; 1e300 is an integer too.
    if (!Number.isInteger(v)) return 'not an unsigned integer';
    n = BigInt(v);
  } else {
    n = BigInt(v.high >>> 0) * TWO_32 + BigInt(v.low >>> 0);
  }
  if (n === 0n) return 'missing';
  // Negative JSON numbers land here too.
  if (n < MIN_STORABLE_NS || n > MAX_STORABLE_NS) return 'outside 2001-09-09..2106-02-07';
  return n;
}

function spanTime(v: Int64Bits | number | string | null | undefined, field: string): bigint {
  const n = nanos(v);
  if (typeof n === 'string') throw new SpanRejected(`${field} ${n}`);
  return n;
}

// ---------- rows ----------

interface ResourceInfo {
  attributes: Record<string, string>;
  service: string;
  environment: string;
  release: string;
}

function resourceInfo(attributes: Record<string, string>): ResourceInfo {
  return {
    attributes,
    service: attributes['service.name'] || 'unknown_service',
    environment: attributes['deployment.environment.name'] || attributes['deployment.environment'] || '',
    release: attributes['service.version'] || '',
  };
}

/** The subset of a span the row builder reads, common to the protobuf and JSON decodings. */
interface WireSpan<KV> {
  traceId?: Uint8Array | string | null;
  spanId?: Uint8Array | string | null;
  parentSpanId?: Uint8Array | string | null;
  traceState?: string | null;
  name?: string | null;
  kind?: number | null;
  startTimeUnixNano?: Int64Bits | number | string | null;
  endTimeUnixNano?: Int64Bits | number | string | null;
  attributes?: KV[] | null;
  events?: { timeUnixNano?: Int64Bits | number | string | null; name?: string | null; attributes?: KV[] | null }[] | null;
  links?: { traceId?: Uint8Array | string | null; spanId?: Uint8Array | string | null; attributes?: KV[] | null }[] | null;
  status?: { message?: string | null; code?: number | null } | null;
}

type Attrs<KV> = (kvs: KV[] | null | undefined, contentKeys: ReadonlySet<string>) => Record<string, string>;

function buildRow<KV>(
  s: WireSpan<KV>,
  res: ResourceInfo,
  scopeName: string,
  scopeVersion: string,
  attrs: Attrs<KV>,
  contentKeys: ReadonlySet<string>,
): SpanRow {
  const name = s.name ?? '';
  const traceId = idHex(s.traceId, 'trace_id', 16, false);
  const spanId = idHex(s.spanId, 'span_id', 8, false);
  const parentSpanId = idHex(s.parentSpanId, 'parent_span_id', 8, true);
  const start = spanTime(s.startTimeUnixNano, 'start_time');
  const end = spanTime(s.endTimeUnixNano, 'end_time');
  if (end < start) throw new SpanRejected('end before start');
  const startText = start.toString();

  const events = s.events ?? [];
  const eventTimes = new Array<string>(events.length);
  const eventNames = new Array<string>(events.length);
  const eventAttributes = new Array<Record<string, string>>(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    // An event whose time cannot be stored keeps its place at the span's start: the event (often
    // an exception) is worth more than its bad timestamp, and a wrong time must not cost the span.
    const t = nanos(e.timeUnixNano);
    eventTimes[i] = typeof t === 'string' ? startText : t.toString();
    eventNames[i] = e.name ?? '';
    eventAttributes[i] = attrs(e.attributes, contentKeys);
  }
  const links = s.links ?? [];
  const linkTraceIds = new Array<string>(links.length);
  const linkSpanIds = new Array<string>(links.length);
  const linkAttributes = new Array<Record<string, string>>(links.length);
  for (let i = 0; i < links.length; i++) {
    const l = links[i]!;
    linkTraceIds[i] = linkIdHex(l.traceId);
    linkSpanIds[i] = linkIdHex(l.spanId);
    linkAttributes[i] = attrs(l.attributes, contentKeys);
  }

  return {
    trace_id: traceId,
    span_id: spanId,
    parent_span_id: parentSpanId,
    trace_state: s.traceState ?? '',
    name,
    kind: SPAN_KINDS[s.kind ?? 0] ?? 'UNSPECIFIED',
    start_time: startText,
    end_time: end.toString(),
    duration_ns: (end - start).toString(),
    status_code: STATUS_CODES[s.status?.code ?? 0] ?? 'UNSET',
    status_message: s.status?.message ?? '',
    service_name: res.service,
    scope_name: scopeName,
    scope_version: scopeVersion,
    session_id: '',
    operation: '',
    agent_name: '',
    tool_name: '',
    tool_call_id: '',
    request_model: '',
    response_model: '',
    provider: '',
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    input_cost: 0,
    output_cost: 0,
    total_cost: 0,
    cost_source: '',
    finish_reasons: [],
    error_type: '',
    environment: res.environment,
    release: res.release,
    convention: '',
    input: '',
    output: '',
    // Shared by every row of the resource: read-only downstream.
    resource_attributes: res.attributes,
    span_attributes: attrs(s.attributes, contentKeys),
    event_times: eventTimes,
    event_names: eventNames,
    event_attributes: eventAttributes,
    link_trace_ids: linkTraceIds,
    link_span_ids: linkSpanIds,
    link_attributes: linkAttributes,
    project_id: '', // the write path sets it from the caller's credentials (IngestSink.accept)
  };
}

interface WireResourceSpans<KV> {
  resource?: { attributes?: KV[] | null } | null;
  scopeSpans?: { scope?: { name?: string | null; version?: string | null } | null; spans?: WireSpan<KV>[] | null }[] | null;
}

function buildRows<KV>(
  resourceSpans: WireResourceSpans<KV>[] | null | undefined,
  attrs: Attrs<KV>,
  contentKeys: ReadonlySet<string>,
  onSpanError: DecodeOptions['onSpanError'],
): DecodeResult {
  const rows: SpanRow[] = [];
  const reasons: string[] = [];
  let rejected = 0;
  for (const rs of resourceSpans ?? []) {
    const res = resourceInfo(attrs(rs.resource?.attributes, contentKeys));
    for (const ss of rs.scopeSpans ?? []) {
      const scopeName = ss.scope?.name ?? '';
      const scopeVersion = ss.scope?.version ?? '';
      const spans = ss.spans ?? [];
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i]!;
        try {
          rows.push(buildRow(span, res, scopeName, scopeVersion, attrs, contentKeys));
        } catch (err) {
          // A malformed nested value means the body is not valid protobuf: the whole request is 400.
          if (err instanceof SightlineError && err.code === 'undecodable_body') throw err;
          let reason: string;
          if (err instanceof SpanRejected) {
            reason = err.message;
          } else {
            // A bug met by one span costs that span only, never the request (an exporter does not
            // retry a 500, so the whole batch would be lost).
            spanErrors++;
            onSpanError?.(err, String(span.name ?? ''));
            reason = `internal error: ${(err instanceof Error ? err.message : String(err)).slice(0, 200)}`;
          }
          rejected++;
          if (reasons.length < MAX_LISTED_REJECTIONS) reasons.push(`${reason} (span '${String(span.name ?? '').slice(0, 100)}')`);
        }
      }
    }
  }
  return { rows, rejected, rejectionMessage: rejectionMessage(rejected, reasons) };
}

function rejectionMessage(rejected: number, reasons: string[]): string {
  if (rejected === 0) return '';
  const more = rejected > reasons.length ? `; and ${rejected - reasons.length} more` : '';
  return `${rejected} span${rejected === 1 ? '' : 's'} rejected: ${reasons.join('; ')}${more}`;
}

const pbAttrs: Attrs<PbKeyValue> = (kvs, keys) => pbAttributes(kvs, MAX_ATTRIBUTE_CHARS, keys, MAX_CONTENT_CHARS);
const jsonAttrs: Attrs<{ key: string; value?: unknown }> = (kvs, keys) => jsonAttributes(kvs, MAX_ATTRIBUTE_CHARS, keys, MAX_CONTENT_CHARS);

/**
 * Decodes an OTLP trace export body into rows.
 * @throws SightlineError('undecodable_body') when the body is not a valid request in `format`.
 */
export function decodeTraceRequest(body: Uint8Array, format: OtlpFormat, options: DecodeOptions = {}): DecodeResult {
  const contentKeys = options.contentKeys ?? CONTENT_ATTRIBUTE_KEYS;
  if (format === 'protobuf') {
    const req = decodeProtobufRequest(body);
    return buildRows<PbKeyValue>(req.resourceSpans as PbResourceSpans[], pbAttrs, contentKeys, options.onSpanError);
  }
  const req = decodeJsonRequest(body);
  return buildRows(req.resourceSpans as JsonResourceSpans[] | null | undefined, jsonAttrs, contentKeys, options.onSpanError);
}
