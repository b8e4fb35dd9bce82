/**
 * The collector's compact OTLP schema (src/otlp/proto.ts) against the published definitions: the
 * vendored opentelemetry-proto files (collector/proto, v1.4.0) and Google's rpc protos
 * (google-proto-files). Every field the collector declares must exist upstream with the same number,
 * type and cardinality, so a hand-copied field number cannot drift unnoticed. Only the two lazy
 * AnyValue fields (bytes instead of a nested message, see proto.ts) differ, and on the wire those
 * are the same.
 */
import { fileURLToPath } from 'node:url';
import { getProtoPath } from 'google-proto-files';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  ArrayValueType,
  BadRequestType,
  ExportLogsServiceRequestType,
  ExportLogsServiceResponseType,
  ExportTraceServiceRequestType,
  ExportTraceServiceResponseType,
  KeyValueListType,
  RpcStatusType,
} from '../../src/otlp/proto.js';

const PROTO_DIR = fileURLToPath(new URL('../../proto/', import.meta.url));
const otlp = new protobuf.Root();
otlp.resolvePath = (_origin, target) => (target.startsWith('opentelemetry/') ? `${PROTO_DIR}${target}` : target);
otlp.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');
otlp.loadSync('opentelemetry/proto/collector/logs/v1/logs_service.proto');
otlp.resolveAll();
const google = protobuf.loadSync([getProtoPath('rpc', 'status.proto'), getProtoPath('rpc', 'error_details.proto')]);
google.resolveAll();

/** Fields that are bytes in proto.ts and a message upstream: read lazily, identical on the wire. */
const LAZY = new Set(['AnyValue.arrayValue', 'AnyValue.kvlistValue']);
/**
 * Fields newer than the vendored v1.4.0, with the upstream version that added them: the JS SDK
 * (0.301) sends LogRecord.event_name, which opentelemetry-proto added in v1.5.0.
 */
const NEWER_UPSTREAM: Readonly<Record<string, { id: number; type: string }>> = { 'LogRecord.eventName': { id: 12, type: 'string' } };

/** Differences between our message (and what it reaches) and the upstream one, as readable lines. */
function compare(ours: protobuf.Type, theirs: protobuf.Type, seen = new Set<string>()): string[] {
  if (seen.has(ours.fullName)) return [];
  seen.add(ours.fullName);
  const out: string[] = [];
  for (const field of ours.fieldsArray) {
    const where = `${ours.name}.${field.name}`;
    // protobufjs camel-cases parsed names but keeps its built-in google.protobuf.Any's type_url.
    const up = theirs.fieldsArray.find((f) => protobuf.util.camelCase(f.name) === protobuf.util.camelCase(field.name));
    const newer = NEWER_UPSTREAM[where];
    if (!up && newer) {
      if (field.id !== newer.id || field.type !== newer.type) out.push(`${where}: expected ${newer.type} = ${newer.id}`);
      continue;
    }
    if (!up) {
      out.push(`${where}: not in upstream ${theirs.fullName}`);
      continue;
    }
    if (field.id !== up.id) out.push(`${where}: number ${field.id}, upstream ${up.id}`);
    if (field.repeated !== up.repeated) out.push(`${where}: repeated ${field.repeated}, upstream ${up.repeated}`);
    if (LAZY.has(where)) {
      if (field.type !== 'bytes' || !(up.resolvedType instanceof protobuf.Type)) out.push(`${where}: expected lazy bytes over a message`);
      continue;
    }
    const mine = field.resolvedType;
    const other = up.resolvedType;
    if (mine instanceof protobuf.Type && other instanceof protobuf.Type) out.push(...compare(mine, other, seen));
    else if (mine instanceof protobuf.Enum && other instanceof protobuf.Enum) {
      for (const [name, value] of Object.entries(mine.values)) {
        if (other.values[name] !== value) out.push(`${where}: enum ${name} = ${value}, upstream ${other.values[name]}`);
      }
    } else if (field.type !== up.type) out.push(`${where}: type ${field.type}, upstream ${up.type}`);
  }
  return out;
}

const upstream = (root: protobuf.Root, name: string) => root.lookupType(name);

describe('proto.ts matches the published OTLP and google.rpc definitions', () => {
  it.each([
    [
      'ExportTraceServiceRequest',
      ExportTraceServiceRequestType,
      () => upstream(otlp, 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
    ],
    [
      'ExportTraceServiceResponse',
      ExportTraceServiceResponseType,
      () => upstream(otlp, 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
    ],
    [
      'ExportLogsServiceRequest',
      ExportLogsServiceRequestType,
      () => upstream(otlp, 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
    ],
    [
      'ExportLogsServiceResponse',
      ExportLogsServiceResponseType,
      () => upstream(otlp, 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
    ],
    ['ArrayValue', ArrayValueType, () => upstream(otlp, 'opentelemetry.proto.common.v1.ArrayValue')],
    ['KeyValueList', KeyValueListType, () => upstream(otlp, 'opentelemetry.proto.common.v1.KeyValueList')],
    ['google.rpc.Status', RpcStatusType, () => upstream(google, 'google.rpc.Status')],
    ['google.rpc.BadRequest', BadRequestType, () => upstream(google, 'google.rpc.BadRequest')],
  ])('%s', (_name, ours, theirs) => {
    ours.root.resolveAll();
    expect(compare(ours, theirs())).toEqual([]);
  });
});
