/**
 * Decodes the OTLP ExportTraceServiceRequest protobuf the real exporter put on the wire, with
 * protobufjs and the collector's OTLP schema (collector/src/otlp/proto.ts): the SDK's tests read
 * the bytes exactly as the collector will, with no second hand-written decoder to drift.
 */
import { ArrayValueType, ExportTraceServiceRequestType } from '../../collector/src/otlp/proto.js';

export type AttrValue = string | number | boolean | AttrValue[] | null;

export interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Record<string, AttrValue>;
  events: { name: string; timeUnixNano: bigint; attributes: Record<string, AttrValue> }[];
  status: { code: number; message: string };
  resource: Record<string, AttrValue>;
  scope: string;
}

/** protobufjs's plain-object form, 64-bit integers as decimal strings, bytes as Buffers. */
interface WireAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: Uint8Array;
}
interface WireKeyValue {
  key?: string;
  value?: WireAnyValue;
}
interface WireSpan {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  parentSpanId?: Uint8Array;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: WireKeyValue[];
  events?: { timeUnixNano?: string; name?: string; attributes?: WireKeyValue[] }[];
  status?: { message?: string; code?: number };
}
interface WireRequest {
  resourceSpans?: {
    resource?: { attributes?: WireKeyValue[] };
    scopeSpans?: { scope?: { name?: string }; spans?: WireSpan[] }[];
  }[];
}

const OBJECT = { longs: String, enums: Number, bytes: Buffer } as const;
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : '');

function anyValue(v: WireAnyValue | undefined): AttrValue {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) {
    // The collector's schema keeps nested values as bytes until asked (see proto.ts).
    const arr = ArrayValueType.toObject(ArrayValueType.decode(v.arrayValue), OBJECT) as { values?: WireAnyValue[] };
    return (arr.values ?? []).map(anyValue);
  }
  return null;
}

function attributes(kvs: WireKeyValue[] | undefined): Record<string, AttrValue> {
  return Object.fromEntries((kvs ?? []).map((kv) => [kv.key ?? '', anyValue(kv.value)]));
}

export function decodeTraceRequest(buf: Uint8Array): DecodedSpan[] {
  const req = ExportTraceServiceRequestType.toObject(ExportTraceServiceRequestType.decode(buf), OBJECT) as WireRequest;
  return (req.resourceSpans ?? []).flatMap((rs) => {
    const resource = attributes(rs.resource?.attributes);
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s): DecodedSpan => ({
        traceId: hex(s.traceId),
        spanId: hex(s.spanId),
        parentSpanId: hex(s.parentSpanId),
        name: s.name ?? '',
        kind: s.kind ?? 0,
        startTimeUnixNano: BigInt(s.startTimeUnixNano ?? 0),
        endTimeUnixNano: BigInt(s.endTimeUnixNano ?? 0),
        attributes: attributes(s.attributes),
        events: (s.events ?? []).map((e) => ({
          name: e.name ?? '',
          timeUnixNano: BigInt(e.timeUnixNano ?? 0),
          attributes: attributes(e.attributes),
        })),
        status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
        resource,
        scope: ss.scope?.name ?? '',
      })),
    );
  });
}
