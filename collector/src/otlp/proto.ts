/**
 * OTLP trace and log messages for protobufjs, written from the public opentelemetry-proto field
 * numbers (common/v1, resource/v1, trace/v1, logs/v1, collector/trace/v1, collector/logs/v1) plus google.rpc.Status for error bodies.
 * Parsed once at module load; protobufjs generates a decoder per type on first use.
 *
 * One deliberate deviation: `AnyValue.array_value` and `AnyValue.kvlist_value` are declared as
 * `bytes`. On the wire an embedded message and a bytes field are identical (length-delimited),
 * so this decodes real OTLP unchanged, but nested values stay raw until the attribute renderer
 * decodes them one level at a time with its own depth limit (limits.ts). Without it protobufjs
 * would recurse through every level and reject the whole request past its nesting limit (100)
 * because of one hostile attribute.
 *
 * All types live in one package: type names never appear on the wire, only field numbers.
 */
import protobuf from 'protobufjs';
import { SightlineError } from '../errors.js';

const OTLP_PROTO = `
syntax = "proto3";
package sightline.otlp;

// opentelemetry/proto/common/v1/common.proto
message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    bytes array_value = 5;   // ArrayValue, decoded lazily (see header comment)
    bytes kvlist_value = 6;  // KeyValueList, decoded lazily
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}

// opentelemetry/proto/resource/v1/resource.proto
message Resource {
  repeated KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
}

// opentelemetry/proto/trace/v1/trace.proto
message ResourceSpans {
  Resource resource = 1;
  repeated ScopeSpans scope_spans = 2;
  string schema_url = 3;
}
message ScopeSpans {
  InstrumentationScope scope = 1;
  repeated Span spans = 2;
  string schema_url = 3;
}
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  SpanKind kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;

  enum SpanKind {
    SPAN_KIND_UNSPECIFIED = 0;
    SPAN_KIND_INTERNAL = 1;
    SPAN_KIND_SERVER = 2;
    SPAN_KIND_CLIENT = 3;
    SPAN_KIND_PRODUCER = 4;
    SPAN_KIND_CONSUMER = 5;
  }
  message Event {
    fixed64 time_unix_nano = 1;
    string name = 2;
    repeated KeyValue attributes = 3;
    uint32 dropped_attributes_count = 4;
  }
  message Link {
    bytes trace_id = 1;
    bytes span_id = 2;
    string trace_state = 3;
    repeated KeyValue attributes = 4;
    uint32 dropped_attributes_count = 5;
    fixed32 flags = 6;
  }
}
message Status {
  reserved 1;
  string message = 2;
  StatusCode code = 3;
  enum StatusCode {
    STATUS_CODE_UNSET = 0;
    STATUS_CODE_OK = 1;
    STATUS_CODE_ERROR = 2;
  }
}

// opentelemetry/proto/collector/trace/v1/trace_service.proto
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
message ExportTracePartialSuccess {
  int64 rejected_spans = 1;
  string error_message = 2;
}

// opentelemetry/proto/logs/v1/logs.proto
message ResourceLogs {
  Resource resource = 1;
  repeated ScopeLogs scope_logs = 2;
  string schema_url = 3;
}
message ScopeLogs {
  InstrumentationScope scope = 1;
  repeated LogRecord log_records = 2;
  string schema_url = 3;
}
message LogRecord {
  reserved 4;
  fixed64 time_unix_nano = 1;
  fixed64 observed_time_unix_nano = 11;
  SeverityNumber severity_number = 2;  // read as its number; the names are not needed
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  string event_name = 12;  // opentelemetry-proto v1.5.0 (after the vendored v1.4.0); sent by the JS SDK
  enum SeverityNumber { SEVERITY_NUMBER_UNSPECIFIED = 0; }
}

// opentelemetry/proto/collector/logs/v1/logs_service.proto
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
message ExportLogsPartialSuccess {
  int64 rejected_log_records = 1;
  string error_message = 2;
}

// google/rpc/status.proto, google/protobuf/any.proto, google/rpc/error_details.proto:
// the body of every OTLP/HTTP 4xx/5xx response.
message RpcStatus {
  int32 code = 1;
  string message = 2;
  repeated ProtobufAny details = 3;
}
message ProtobufAny {
  string type_url = 1;
  bytes value = 2;
}
message BadRequest {
  repeated FieldViolation field_violations = 1;
  message FieldViolation {
    string field = 1;
    string description = 2;
  }
}
`;

const root = protobuf.parse(OTLP_PROTO).root;
const type = (name: string) => root.lookupType(`sightline.otlp.${name}`);

export const ExportTraceServiceRequestType = type('ExportTraceServiceRequest');
export const ExportTraceServiceResponseType = type('ExportTraceServiceResponse');
export const ExportLogsServiceRequestType = type('ExportLogsServiceRequest');
export const ExportLogsServiceResponseType = type('ExportLogsServiceResponse');
export const ArrayValueType = type('ArrayValue');
export const KeyValueListType = type('KeyValueList');
export const RpcStatusType = type('RpcStatus');
export const BadRequestType = type('BadRequest');

// ---- Shapes of decoded protobuf messages (protobufjs instances; camelCase field names). ----
// Unset scalar fields read their proto3 default from the prototype; unset messages read null.

/** A protobufjs Long (int64/fixed64 fields). */
export interface Int64Bits {
  low: number;
  high: number;
  unsigned: boolean;
}

export interface PbAnyValue {
  /** Name of the oneof member that is set (protobufjs virtual getter), or undefined. */
  readonly value?: string;
  stringValue: string;
  boolValue: boolean;
  intValue: Int64Bits | number;
  doubleValue: number;
  arrayValue: Uint8Array;
  kvlistValue: Uint8Array;
  bytesValue: Uint8Array;
}
export interface PbKeyValue {
  key: string;
  value: PbAnyValue | null;
}
export interface PbEvent {
  timeUnixNano: Int64Bits | number;
  name: string;
  attributes: PbKeyValue[];
}
export interface PbLink {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  attributes: PbKeyValue[];
}
export interface PbSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  traceState: string;
  parentSpanId: Uint8Array;
  name: string;
  kind: number;
  startTimeUnixNano: Int64Bits | number;
  endTimeUnixNano: Int64Bits | number;
  attributes: PbKeyValue[];
  events: PbEvent[];
  links: PbLink[];
  status: { message: string; code: number } | null;
}
export interface PbScopeSpans {
  scope: { name: string; version: string } | null;
  spans: PbSpan[];
}
export interface PbResourceSpans {
  resource: { attributes: PbKeyValue[] } | null;
  scopeSpans: PbScopeSpans[];
}
export interface PbExportTraceServiceRequest {
  resourceSpans: PbResourceSpans[];
}

export interface PbLogRecord {
  timeUnixNano: Int64Bits | number;
  observedTimeUnixNano: Int64Bits | number;
  severityNumber: number;
  severityText: string;
  body: PbAnyValue | null;
  attributes: PbKeyValue[];
  traceId: Uint8Array;
  spanId: Uint8Array;
  eventName: string;
}
export interface PbResourceLogs {
  resource: { attributes: PbKeyValue[] } | null;
  scopeLogs: { scope: { name: string; version: string } | null; logRecords: PbLogRecord[] }[];
}

function asBuffer(body: Uint8Array): Buffer {
  // protobufjs reads bytes fields as zero-copy Buffer slices and strings with the native
  // utf8 decoder only when handed a Buffer.
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** Decodes an ExportTraceServiceRequest; SightlineError('undecodable_body') on malformed input. */
export function decodeProtobufRequest(body: Uint8Array): PbExportTraceServiceRequest {
  try {
    return ExportTraceServiceRequestType.decode(asBuffer(body)) as unknown as PbExportTraceServiceRequest;
  } catch (err) {
    throw new SightlineError('undecodable_body', `invalid OTLP protobuf body: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** Decodes an ExportLogsServiceRequest; SightlineError('undecodable_body') on malformed input. */
export function decodeProtobufLogsRequest(body: Uint8Array): { resourceLogs: PbResourceLogs[] } {
  try {
    return ExportLogsServiceRequestType.decode(asBuffer(body)) as unknown as { resourceLogs: PbResourceLogs[] };
  } catch (err) {
    throw new SightlineError('undecodable_body', `invalid OTLP protobuf body: ${(err as Error).message}`, { cause: err });
  }
}

/** Decodes the lazily kept `array_value` / `kvlist_value` bytes of an AnyValue. */
export function decodeArrayValue(bytes: Uint8Array): PbAnyValue[] {
  return (ArrayValueType.decode(asBuffer(bytes)) as unknown as { values: PbAnyValue[] }).values;
}
export function decodeKeyValueList(bytes: Uint8Array): PbKeyValue[] {
  return (KeyValueListType.decode(asBuffer(bytes)) as unknown as { values: PbKeyValue[] }).values;
}
