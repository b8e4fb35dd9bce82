/**
 * OTLP/HTTP response bodies, in the encoding of the request (the spec: "The server MUST use the
 * same Content-Type in the response as it received in the request").
 *
 * - 200: ExportTraceServiceResponse; `partial_success` is set only when spans were rejected
 *   (the spec: MUST be left unset on full success).
 * - 4xx/5xx: a google.rpc.Status. 400s carry a google.rpc.BadRequest detail, as the spec
 *   recommends. The JSON form also carries our usual `{ error: { code, message, field? } }`
 *   envelope next to the Status fields: OTLP clients ignore the extra key, humans get a code.
 */
import { ERROR_CODES, SightlineError } from '../errors.js';
import type { OtlpFormat } from './decode.js';
import { BadRequestType, ExportLogsServiceResponseType, ExportTraceServiceResponseType, RpcStatusType } from './proto.js';

/** The signal an export carried: its response message and the name of its rejected count. */
export type OtlpSignal = 'traces' | 'logs';
const RESPONSE = {
  traces: { type: ExportTraceServiceResponseType, rejectedKey: 'rejectedSpans' },
  logs: { type: ExportLogsServiceResponseType, rejectedKey: 'rejectedLogRecords' },
} as const;

export const CONTENT_TYPES: Record<OtlpFormat, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

export interface EncodedBody {
  body: Uint8Array<ArrayBuffer> | string;
  contentType: string;
}

/** Export{Trace,Logs}ServiceResponse, with partial_success when `rejected > 0`. */
export function encodeExportResponse(
  format: OtlpFormat,
  rejected: number,
  errorMessage: string,
  signal: OtlpSignal = 'traces',
): EncodedBody {
  const { type, rejectedKey } = RESPONSE[signal];
  if (format === 'json') {
    // proto3 JSON: int64 as a decimal string.
    const body = rejected > 0 ? JSON.stringify({ partialSuccess: { [rejectedKey]: String(rejected), errorMessage } }) : '{}';
    return { body, contentType: CONTENT_TYPES.json };
  }
  const msg = type.create(rejected > 0 ? { partialSuccess: { [rejectedKey]: rejected, errorMessage } } : {});
  return { body: finish(type.encode(msg)), contentType: CONTENT_TYPES.protobuf };
}

/**
 * The gRPC status code of each HTTP status the receivers answer: Status.code of an OTLP/HTTP error
 * body (the spec lets clients log it, never act on it) and the status of an OTLP/gRPC call.
 */
const GRPC_CODE: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  413: 8, // RESOURCE_EXHAUSTED
  415: 3, // INVALID_ARGUMENT
  429: 8, // RESOURCE_EXHAUSTED
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};

/** The gRPC status code of an error (UNKNOWN for a status not in the table). */
export function grpcCodeOf(e: SightlineError): number {
  return GRPC_CODE[e.status ?? ERROR_CODES.internal] ?? 2;
}

/** protobufjs writers always allocate a plain ArrayBuffer (never a SharedArrayBuffer). */
function finish(writer: { finish(): Uint8Array }): Uint8Array<ArrayBuffer> {
  return writer.finish() as Uint8Array<ArrayBuffer>;
}

const BAD_REQUEST_TYPE_URL = 'type.googleapis.com/google.rpc.BadRequest';

export interface ErrorResponse extends EncodedBody {
  status: number;
  headers: Record<string, string>;
}

/** Turns any thrown value into an OTLP error response. Non-Sightline errors become a bare 500. */
export function encodeErrorResponse(format: OtlpFormat, err: unknown): ErrorResponse {
  const e = err instanceof SightlineError ? err : new SightlineError('internal', 'internal error while receiving spans', { cause: err });
  const status: number = e.status ?? ERROR_CODES.internal;
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503) headers['retry-after'] = String(Math.max(1, Math.ceil(e.retryAfterSeconds ?? 1)));
  const code = grpcCodeOf(e);
  const violation = { field: e.field ?? '', description: e.message };

  if (format === 'json') {
    const body = JSON.stringify({
      code,
      message: e.message,
      ...(status === 400 ? { details: [{ '@type': BAD_REQUEST_TYPE_URL, fieldViolations: [violation] }] } : {}),
      error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) },
    });
    return { status, headers, body, contentType: CONTENT_TYPES.json };
  }
  const details =
    status === 400 ? [{ typeUrl: BAD_REQUEST_TYPE_URL, value: BadRequestType.encode({ fieldViolations: [violation] }).finish() }] : [];
  const body = finish(RpcStatusType.encode(RpcStatusType.create({ code, message: e.message, details })));
  return { status, headers, body, contentType: CONTENT_TYPES.protobuf };
}
