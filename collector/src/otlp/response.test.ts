/**
 * Responses are read back by implementations other than the one that wrote them: the OTel JS
 * exporters' own response deserializers (@opentelemetry/otlp-transformer) and, for google.rpc.Status,
 * protobufjs over Google's published .proto files (google-proto-files). A field number or type that
 * drifted in our hand-copied schema (otlp/proto.ts) fails here.
 */
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { getProtoPath } from 'google-proto-files';
import protobuf from 'protobufjs';
import { describe, expect, test } from 'vitest';
import { SightlineError } from '../errors.js';
import { encodeErrorResponse, encodeExportResponse } from './response.js';

const google = protobuf.loadSync([getProtoPath('rpc', 'status.proto'), getProtoPath('rpc', 'error_details.proto')]);
const RpcStatus = google.lookupType('google.rpc.Status');
const BadRequest = google.lookupType('google.rpc.BadRequest');
const decodeObj = (type: protobuf.Type, body: Uint8Array | string) =>
  type.toObject(type.decode(body as Uint8Array), { longs: String, defaults: false });
const asBytes = (body: Uint8Array | string) => (typeof body === 'string' ? new TextEncoder().encode(body) : body);

describe('ExportTraceServiceResponse', () => {
  test('full success leaves partial_success unset, in both encodings', () => {
    const pb = encodeExportResponse('protobuf', 0, '');
    expect(pb.contentType).toBe('application/x-protobuf');
    expect((pb.body as Uint8Array).length).toBe(0);
    expect(ProtobufTraceSerializer.deserializeResponse(asBytes(pb.body)).partialSuccess).toBeUndefined();
    const json = encodeExportResponse('json', 0, '');
    expect(json).toEqual({ body: '{}', contentType: 'application/json' });
    expect(JsonTraceSerializer.deserializeResponse(asBytes(json.body)).partialSuccess).toBeUndefined();
  });

  test('partial success carries rejected_spans and error_message', () => {
    const pb = encodeExportResponse('protobuf', 2, '2 spans rejected: x');
    expect(ProtobufTraceSerializer.deserializeResponse(asBytes(pb.body))).toMatchObject({
      partialSuccess: { rejectedSpans: 2, errorMessage: '2 spans rejected: x' },
    });
    const json = encodeExportResponse('json', 2, '2 spans rejected: x');
    expect(JsonTraceSerializer.deserializeResponse(asBytes(json.body))).toMatchObject({
      partialSuccess: { rejectedSpans: '2', errorMessage: '2 spans rejected: x' },
    });
  });
});

describe('error responses are google.rpc.Status', () => {
  test('protobuf 400 has the message and a google.rpc.BadRequest detail', () => {
    const res = encodeErrorResponse('protobuf', new SightlineError('undecodable_body', 'bad bytes', { field: 'body' }));
    expect(res.status).toBe(400);
    expect(res.contentType).toBe('application/x-protobuf');
    // protobufjs's built-in google.protobuf.Any keeps the proto field name type_url.
    const status = decodeObj(RpcStatus, res.body) as { code: number; message: string; details: { type_url: string; value: Uint8Array }[] };
    expect(status.code).toBe(3);
    expect(status.message).toBe('bad bytes');
    expect(status.details[0]!.type_url).toBe('type.googleapis.com/google.rpc.BadRequest');
    expect(decodeObj(BadRequest, status.details[0]!.value)).toEqual({
      fieldViolations: [{ field: 'body', description: 'bad bytes' }],
    });
  });

  test('JSON error carries the Status fields and the Sightline error envelope', () => {
    const res = encodeErrorResponse('json', new SightlineError('payload_too_large', 'too big'));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body as string)).toEqual({
      code: 8,
      message: 'too big',
      error: { code: 'payload_too_large', message: 'too big' },
    });
  });

  test('429 and 503 get Retry-After from the error, at least 1 second', () => {
    expect(encodeErrorResponse('json', new SightlineError('overloaded', 'busy', { retryAfterSeconds: 7 })).headers).toEqual({
      'retry-after': '7',
    });
    expect(encodeErrorResponse('json', new SightlineError('unavailable', 'down')).headers).toEqual({ 'retry-after': '1' });
    expect(encodeErrorResponse('json', new SightlineError('bad_request', 'no')).headers).toEqual({});
  });

  test('a non-Sightline error becomes a 500 that does not leak its message', () => {
    const res = encodeErrorResponse('json', new Error('secret db password in stack'));
    expect(res.status).toBe(500);
    expect(res.body).not.toContain('secret');
  });
});
