/**
 * A minimal decoder of OTLP ExportTraceServiceRequest protobuf, for tests: only the fields the
 * SDK sets. Hand-written so the tests check the bytes the real exporter put on the wire.
 */

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

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  get done() {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  fixed64(): bigint {
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getBigUint64(0, true);
    this.pos += 8;
    return v;
  }
  double(): number {
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }
  bytes(): Uint8Array {
    const len = Number(this.varint());
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
  skip(wire: number) {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  *fields(): Generator<[number, number]> {
    while (!this.done) {
      const tag = Number(this.varint());
      yield [tag >>> 3, tag & 7];
    }
  }
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function anyValue(buf: Uint8Array): AttrValue {
  const r = new Reader(buf);
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 2) return text(r.bytes());
    if (f === 2 && w === 0) return r.varint() !== 0n;
    if (f === 3 && w === 0) return Number(BigInt.asIntN(64, r.varint()));
    if (f === 4 && w === 1) return r.double();
    if (f === 5 && w === 2) {
      const arr: AttrValue[] = [];
      const a = new Reader(r.bytes());
      for (const [af, aw] of a.fields()) {
        if (af === 1 && aw === 2) arr.push(anyValue(a.bytes()));
        else a.skip(aw);
      }
      return arr;
    }
    r.skip(w);
  }
  return null;
}

function keyValue(buf: Uint8Array, into: Record<string, AttrValue>) {
  const r = new Reader(buf);
  let key = '';
  let value: AttrValue = null;
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 2) key = text(r.bytes());
    else if (f === 2 && w === 2) value = anyValue(r.bytes());
    else r.skip(w);
  }
  into[key] = value;
}

function attributesOf(buf: Uint8Array, field: number): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  const r = new Reader(buf);
  for (const [f, w] of r.fields()) {
    if (f === field && w === 2) keyValue(r.bytes(), out);
    else r.skip(w);
  }
  return out;
}

function span(buf: Uint8Array, resource: Record<string, AttrValue>, scope: string): DecodedSpan {
  const s: DecodedSpan = {
    traceId: '', spanId: '', parentSpanId: '', name: '', kind: 0,
    startTimeUnixNano: 0n, endTimeUnixNano: 0n, attributes: {}, events: [],
    status: { code: 0, message: '' }, resource, scope,
  };
  const r = new Reader(buf);
  for (const [f, w] of r.fields()) {
    if (f === 1 && w === 2) s.traceId = hex(r.bytes());
    else if (f === 2 && w === 2) s.spanId = hex(r.bytes());
    else if (f === 4 && w === 2) s.parentSpanId = hex(r.bytes());
    else if (f === 5 && w === 2) s.name = text(r.bytes());
    else if (f === 6 && w === 0) s.kind = Number(r.varint());
    else if (f === 7 && w === 1) s.startTimeUnixNano = r.fixed64();
    else if (f === 8 && w === 1) s.endTimeUnixNano = r.fixed64();
    else if (f === 9 && w === 2) keyValue(r.bytes(), s.attributes);
    else if (f === 11 && w === 2) {
      const e = new Reader(r.bytes());
      const ev = { name: '', timeUnixNano: 0n, attributes: {} as Record<string, AttrValue> };
      for (const [ef, ew] of e.fields()) {
        if (ef === 1 && ew === 1) ev.timeUnixNano = e.fixed64();
        else if (ef === 2 && ew === 2) ev.name = text(e.bytes());
        else if (ef === 3 && ew === 2) keyValue(e.bytes(), ev.attributes);
        else e.skip(ew);
      }
      s.events.push(ev);
    } else if (f === 15 && w === 2) {
      const st = new Reader(r.bytes());
      for (const [sf, sw] of st.fields()) {
        if (sf === 2 && sw === 2) s.status.message = text(st.bytes());
        else if (sf === 3 && sw === 0) s.status.code = Number(st.varint());
        else st.skip(sw);
      }
    } else r.skip(w);
  }
  return s;
}

export function decodeTraceRequest(buf: Uint8Array): DecodedSpan[] {
  const out: DecodedSpan[] = [];
  const r = new Reader(buf);
  for (const [f, w] of r.fields()) {
    if (f !== 1 || w !== 2) {
      r.skip(w);
      continue;
    }
    const rs = new Reader(r.bytes());
    let resource: Record<string, AttrValue> = {};
    const scopeSpans: Uint8Array[] = [];
    for (const [rf, rw] of rs.fields()) {
      if (rf === 1 && rw === 2) resource = attributesOf(rs.bytes(), 1);
      else if (rf === 2 && rw === 2) scopeSpans.push(rs.bytes());
      else rs.skip(rw);
    }
    for (const ssBuf of scopeSpans) {
      const ss = new Reader(ssBuf);
      let scope = '';
      for (const [sf, sw] of ss.fields()) {
        if (sf === 1 && sw === 2) {
          const sc = new Reader(ss.bytes());
          for (const [cf, cw] of sc.fields()) {
            if (cf === 1 && cw === 2) scope = text(sc.bytes());
            else sc.skip(cw);
          }
        } else if (sf === 2 && sw === 2) out.push(span(ss.bytes(), resource, scope));
        else ss.skip(sw);
      }
    }
  }
  return out;
}
