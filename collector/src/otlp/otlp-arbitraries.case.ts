/**
 * fast-check generators of hostile OTLP trace requests for the fuzz test (otlp.fuzz.test.ts):
 * valid request shapes whose values are anything a broken or malicious exporter could send
 * (lone surrogates, times 0 / out of range / 2^64-1 / 1e300, ids of every wrong length, token
 * counts of 1e300, deep attribute values), and byte-level mutations of valid protobuf bodies.
 */
import fc from 'fast-check';
import type { OtlpFormat } from './decode.js';
import { ArrayValueType, ExportTraceServiceRequestType, KeyValueListType } from './proto.js';

const DAY_NS = 86_400_000_000_000n;
/**
 * Valid times fall in the 30 days around now: inside the retention (older spans are dropped by the
 * TTL, by design), and few days per batch (one block over >100 days needs an insert setting).
 */
const T0 = BigInt(Date.now() - 15 * 86_400_000) * 1_000_000n;
const MAX_U64 = 2n ** 64n - 1n;

/** `arb` once in `n` draws, else null. */
function rarely<T>(arb: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

// ---------- values ----------

/** Any UTF-16 code unit, lone surrogates and controls included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 4, arbitrary: fc.string({ unit: codeUnit, maxLength: 12 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '\ud800',
      'a\udbff',
      '\udc00b',
      'x\udfffy',
      '',
      '__proto__',
      'constructor',
      '\\ud800',
      '\u0000',
      '"\\',
      '😀',
    ),
  },
);

/** Long enough to be cut at the attribute caps (64 Ki / 256 Ki chars), lone surrogates at every cut. */
const longString = fc.nat({ max: 150_000 }).map((n) => 'L\ud800'.repeat(n));

/** A nanosecond time: mostly valid, else each kind of value ClickHouse cannot store as sent. */
const time: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 24, arbitrary: fc.bigInt({ min: T0, max: T0 + 30n * DAY_NS }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      0n,
      1n,
      1_700_000_000n,
      999_999_999_999_999_999n,
      1_000_000_000_000_000_000n,
      2n ** 63n - 1n,
      2n ** 63n,
      MAX_U64,
    ),
  },
);

/** A time as a JSON exporter might write it: decimal string, number (imprecise), or worse. */
type JsonTime = string | number | undefined;
const jsonOnlyTime = fc.constantFrom<JsonTime>('17000000000000000000000000', 1e300, 1.5, -1, '-5', 'abc', undefined);

function hexId(bytes: number): fc.Arbitrary<string> {
  return fc.bigInt({ min: 1n, max: 2n ** BigInt(bytes * 8) - 1n }).map((n) => n.toString(16).padStart(bytes * 2, '0'));
}

/** Ids: mostly random valid ones (unique in practice), else empty, short, zero, not hex. */
function id(bytes: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 40, arbitrary: hexId(bytes) },
    { weight: 1, arbitrary: fc.constantFrom('', '00'.repeat(bytes), 'abc', 'zz'.repeat(bytes), '0a'.repeat(bytes + 1)) },
    { weight: 1, arbitrary: hostileString },
  );
}

/** The OTLP/JSON AnyValue, nested up to a few levels. */
export type JsonAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | string }
  | { bytesValue: string }
  | { arrayValue: { values: JsonAnyValue[] } }
  | { kvlistValue: { values: { key: string; value: JsonAnyValue }[] } };

const TOKENS = ['1e300', '-5', 'NaN', '2.5', '9007199254740993', '{"input":1e300,"output":-1}', '[1,2]', '120'];

const anyValue: fc.Arbitrary<JsonAnyValue> = fc.letrec<{ value: JsonAnyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    { weight: 50, arbitrary: hostileString.map((s) => ({ stringValue: s })) },
    { weight: 1, arbitrary: longString.map((s) => ({ stringValue: s })) },
    { weight: 50, arbitrary: fc.constantFrom(...TOKENS).map((s) => ({ stringValue: s })) },
    { weight: 50, arbitrary: fc.boolean().map((b) => ({ boolValue: b })) },
    { weight: 50, arbitrary: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((i) => ({ intValue: i.toString() })) },
    { weight: 50, arbitrary: fc.double().map((d) => ({ doubleValue: Number.isFinite(d) ? d : String(d) })) },
    { weight: 50, arbitrary: fc.uint8Array({ maxLength: 8 }).map((b) => ({ bytesValue: Buffer.from(b).toString('base64') })) },
    { weight: 50, arbitrary: fc.array(tie('value'), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })) },
    {
      weight: 50,
      arbitrary: fc
        .array(fc.record({ key: hostileString, value: tie('value') }), { maxLength: 3 })
        .map((values) => ({ kvlistValue: { values } })),
    },
  ),
})).value;

/** Keys the normalizers read (so hostile values reach typed columns), or anything. */
const attributeKey = fc.oneof(
  fc.constantFrom(
    'gen_ai.operation.name',
    'gen_ai.usage.input_tokens',
    'gen_ai.usage.output_tokens',
    'gen_ai.request.model',
    'gen_ai.response.finish_reasons',
    'gen_ai.input.messages',
    'gen_ai.prompt.0.content',
    'session.id',
    'error.type',
    'llm.token_count.prompt',
    'llm.input_messages.0.message.content',
    'openinference.span.kind',
    'ai.operationId',
    'ai.usage.promptTokens',
    'traceloop.span.kind',
    'llm.usage.prompt_tokens',
    'langfuse.observation.type',
    'langfuse.observation.usage_details',
    'service.name',
  ),
  hostileString,
);
const operation = fc.constantFrom('chat', 'execute_tool', 'invoke_agent', 'embeddings', 'LLM', 'ai.generateText');

const attributes = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ key: attributeKey, value: anyValue }) },
    { weight: 1, arbitrary: operation.map((op) => ({ key: 'gen_ai.operation.name', value: { stringValue: op } as JsonAnyValue })) },
  ),
  { maxLength: 6 },
);

// ---------- spans and requests ----------

export interface JsonSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  traceState?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: JsonTime;
  endTimeUnixNano?: JsonTime;
  attributes: { key: string; value: JsonAnyValue }[];
  events: { timeUnixNano?: JsonTime; name: string; attributes: { key: string; value: JsonAnyValue }[] }[];
  links: { traceId: string; spanId: string; attributes: { key: string; value: JsonAnyValue }[] }[];
  status?: { code: number; message: string };
}

const span: fc.Arbitrary<JsonSpan> = fc
  .record({
    traceId: id(16),
    spanId: id(8),
    parentSpanId: fc.oneof(fc.constant(''), id(8)),
    traceState: fc.oneof(fc.constant(''), hostileString),
    name: hostileString,
    kind: fc.integer({ min: -1, max: 7 }),
    start: time,
    duration: fc.oneof({ weight: 30, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 12n }) }, { weight: 1, arbitrary: fc.constant(-1n) }),
    end: rarely(time, 20),
    jsonTimes: rarely(fc.tuple(jsonOnlyTime, jsonOnlyTime), 60),
    attributes,
    events: fc.array(fc.record({ time: fc.option(time, { freq: 2 }), name: hostileString, attributes }), { maxLength: 2 }),
    links: fc.array(fc.record({ traceId: id(16), spanId: id(8), attributes }), { maxLength: 2 }),
    status: fc.option(fc.record({ code: fc.integer({ min: 0, max: 4 }), message: hostileString }), { freq: 2 }),
  })
  .map((s) => {
    const start = s.start;
    const end = s.end ?? start + s.duration;
    return {
      traceId: s.traceId,
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      traceState: s.traceState,
      name: s.name,
      kind: s.kind,
      startTimeUnixNano: s.jsonTimes ? s.jsonTimes[0] : String(start),
      endTimeUnixNano: s.jsonTimes ? s.jsonTimes[1] : String(end < 0n ? 0n : end > MAX_U64 ? MAX_U64 : end),
      attributes: s.attributes,
      events: s.events.map((e) => ({
        ...(e.time === null ? {} : { timeUnixNano: String(e.time) }),
        name: e.name,
        attributes: e.attributes,
      })),
      links: s.links,
      ...(s.status ? { status: s.status } : {}),
    };
  });

export interface JsonRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: JsonAnyValue }[] };
    scopeSpans: { scope: { name: string; version: string }; spans: JsonSpan[] }[];
  }[];
}

export const request: fc.Arbitrary<JsonRequest> = fc.record({
  resourceSpans: fc.array(
    fc.record({
      resource: fc.record({ attributes }),
      scopeSpans: fc.array(
        fc.record({ scope: fc.record({ name: hostileString, version: hostileString }), spans: fc.array(span, { maxLength: 6 }) }),
        { minLength: 1, maxLength: 2 },
      ),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

export function spanCount(r: JsonRequest): number {
  let n = 0;
  for (const rs of r.resourceSpans) for (const ss of rs.scopeSpans) n += ss.spans.length;
  return n;
}

// ---------- protobuf form ----------

/** A JSON-form request in protobuf (times that protobuf cannot carry become 0; ids hex → bytes). */
export function toProtobuf(r: JsonRequest): Uint8Array {
  const pbTime = (t: JsonTime) => (typeof t === 'string' && /^\d{1,20}$/.test(t) && BigInt(t) <= MAX_U64 ? t : '0');
  const pbId = (s: string | undefined) => (s && /^([0-9a-f]{2})*$/i.test(s) ? Buffer.from(s, 'hex') : Buffer.from(s ?? '', 'utf8'));
  const kvs = (list: { key: string; value: JsonAnyValue }[]) => list.map((kv) => ({ key: kv.key, value: pbValue(kv.value) }));
  const msg = {
    resourceSpans: r.resourceSpans.map((rs) => ({
      resource: { attributes: kvs(rs.resource.attributes) },
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: ss.scope,
        spans: ss.spans.map((s) => ({
          traceId: pbId(s.traceId),
          spanId: pbId(s.spanId),
          parentSpanId: pbId(s.parentSpanId),
          traceState: s.traceState,
          name: s.name,
          kind: s.kind,
          startTimeUnixNano: pbTime(s.startTimeUnixNano),
          endTimeUnixNano: pbTime(s.endTimeUnixNano),
          attributes: kvs(s.attributes),
          events: s.events.map((e) => ({ timeUnixNano: pbTime(e.timeUnixNano), name: e.name, attributes: kvs(e.attributes) })),
          links: s.links.map((l) => ({ traceId: pbId(l.traceId), spanId: pbId(l.spanId), attributes: kvs(l.attributes) })),
          status: s.status,
        })),
      })),
    })),
  };
  return ExportTraceServiceRequestType.encode(ExportTraceServiceRequestType.fromObject(msg)).finish();
}

/** AnyValue for our protobuf schema, where array and kvlist values are nested messages as bytes. */
function pbValue(v: JsonAnyValue): Record<string, unknown> {
  if ('arrayValue' in v) {
    const values = v.arrayValue.values.map(pbValue);
    return { arrayValue: ArrayValueType.encode(ArrayValueType.fromObject({ values })).finish() };
  }
  if ('kvlistValue' in v) {
    const values = v.kvlistValue.values.map((kv) => ({ key: kv.key, value: pbValue(kv.value) }));
    return { kvlistValue: KeyValueListType.encode(KeyValueListType.fromObject({ values })).finish() };
  }
  if ('doubleValue' in v) return { doubleValue: Number(v.doubleValue) };
  return v;
}

// ---------- byte-level mutations ----------

export type Mutation =
  | { kind: 'flip'; bits: number[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }).map((bits) => ({ kind: 'flip' as const, bits })) },
  { weight: 1, arbitrary: fc.nat().map((at) => ({ kind: 'truncate' as const, at })) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
  },
);

export function mutate(body: Uint8Array, m: Mutation): Uint8Array {
  const b = Buffer.from(body);
  if (b.length === 0) return b;
  switch (m.kind) {
    case 'flip':
      for (const bit of m.bits) b[(bit >> 3) % b.length]! ^= 1 << (bit & 7);
      return b;
    case 'truncate':
      return b.subarray(0, m.at % b.length);
    case 'overwrite':
      b.set(m.bytes.subarray(0, Math.max(0, b.length - (m.at % b.length))), m.at % b.length);
      return b;
    case 'insert': {
      const at = m.at % b.length;
      return Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
    }
  }
}

/** One fuzz case: a generated request in either encoding, maybe mutated, or random bytes. */
export type FuzzCase =
  | { kind: 'request'; format: OtlpFormat; request: JsonRequest; mutation: Mutation | null }
  | { kind: 'random'; format: OtlpFormat; bytes: Uint8Array };

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('request' as const),
      format: fc.constantFrom<OtlpFormat>('protobuf', 'json'),
      request,
      mutation: rarely(mutation, 3),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('random' as const),
      format: fc.constantFrom<OtlpFormat>('protobuf', 'json'),
      bytes: fc.uint8Array({ maxLength: 512 }),
    }),
  },
);

export function bodyOf(c: FuzzCase): Uint8Array {
  if (c.kind === 'random') return c.bytes;
  const body = c.format === 'json' ? Buffer.from(JSON.stringify(c.request), 'utf8') : toProtobuf(c.request);
  return c.mutation ? mutate(body, c.mutation) : body;
}
