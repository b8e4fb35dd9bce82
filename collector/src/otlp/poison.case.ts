/**
 * The poison inputs of issue 11: single OTLP requests whose spans were acknowledged and then
 * refused by ClickHouse (wedging the write path). Shared by the decode unit tests
 * (edge-validation.test.ts) and the storage test that inserts the resulting rows into a real
 * `spans` table (storage/poison-rows.test.ts): each says how many of its spans must be rejected
 * through partial success; every other span must be stored.
 */
import { ExportTraceServiceRequestType } from './proto.js';
import type { OtlpFormat } from './decode.js';

export interface Poison {
  name: string;
  format: OtlpFormat;
  body: Uint8Array;
  /** Spans in the request. */
  spans: number;
  /** Spans that cannot be made storable: rejected through partial success. */
  rejected: number;
}

export const T0 = '1700000000000000000';
export const T1 = '1700000000000000100';
const MAX_STORABLE = '4294967295000999999'; // the last ns of 2106-02-07T06:28:15.000Z (the contract's TIME_MAX_MS)
const TWO_63 = '9223372036854775808';
const TWO_64_MINUS_1 = '18446744073709551615';
const DAY_NS = 86_400_000_000_000n;

/** A distinct, valid trace id per poison, so the storage test can find each one's rows. */
export function traceIdOf(i: number): string {
  return (0xa11ce000 + i).toString(16).padStart(32, '0');
}

function jsonSpan(i: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { traceId: traceIdOf(i), spanId: 'eee19b7ec3c1b174', name: 'poison', startTimeUnixNano: T0, endTimeUnixNano: T1, ...over };
}

function jsonRequest(
  spans: Record<string, unknown>[],
  resource: Record<string, unknown>[] = [],
  scope: Record<string, unknown> = {},
): Uint8Array {
  return Buffer.from(JSON.stringify({ resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope, spans }] }] }));
}

function pbRequest(spans: Record<string, unknown>[], resource: Record<string, unknown>[] = []): Uint8Array {
  const msg = ExportTraceServiceRequestType.fromObject({
    resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: 's' }, spans }] }],
  });
  return ExportTraceServiceRequestType.encode(msg).finish();
}

function pbSpan(i: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: Buffer.from(traceIdOf(i), 'hex'),
    spanId: Buffer.from('eee19b7ec3c1b174', 'hex'),
    name: 'poison',
    startTimeUnixNano: T0,
    endTimeUnixNano: T1,
    ...over,
  };
}

const str = (s: string) => ({ stringValue: s });
const kv = (key: string, value: unknown) => ({ key, value });

/** The body: a protobuf Link with an empty trace id and span id (500 in linkIdHex). */
export const EMPTY_LINK_ID_BODY = Buffer.from('CjcSNRIzChBbjv/3mAOBA9JptjOBP8YNEgju4Zt+w8GxdSoBbDkAeASfNkjtGEEAeASfNkjtGGoA', 'base64');

type Make = (i: number) => Omit<Poison, 'name'>;

const json =
  (spanOver: Record<string, unknown>, rejected = 1): Make =>
  (i) => ({
    format: 'json',
    body: jsonRequest([jsonSpan(i, spanOver)]),
    spans: 1,
    rejected,
  });
/** A span whose start/end is given raw in the JSON text (numbers JSON.stringify would rewrite). */
const jsonRawTimes =
  (start: string, end: string): Make =>
  (i) => ({
    format: 'json',
    body: Buffer.from(
      `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${traceIdOf(i)}","spanId":"eee19b7ec3c1b174","name":"poison",` +
        `"startTimeUnixNano":${start},"endTimeUnixNano":${end}}]}]}]}`,
    ),
    spans: 1,
    rejected: 1,
  });
const pb =
  (spanOver: Record<string, unknown>, rejected = 1): Make =>
  (i) => ({
    format: 'protobuf',
    body: pbRequest([pbSpan(i, spanOver)]),
    spans: 1,
    rejected,
  });

const LONE = ['\ud800', 'tail \udbff', '\udc00 head', 'x\udfffy'];
const lone = (i: number) => LONE[i % LONE.length]!;
const chat = (extra: Record<string, unknown>[]) => [kv('gen_ai.operation.name', str('chat')), ...extra];

const MAKERS: Record<string, Make> = {
  // ---- span times: rejected ----
  'no start or end time': json({ startTimeUnixNano: undefined, endTimeUnixNano: undefined }),
  'start time 0': json({ startTimeUnixNano: '0' }),
  'end time missing': json({ endTimeUnixNano: undefined }),
  'start time 1 ns before 2001-09-09 (18 digits)': json({ startTimeUnixNano: '999999999999999999' }),
  'start time with 10 digits (ClickHouse would read seconds)': json({ startTimeUnixNano: '1700000000' }),
  'end time 2^63 (decimal overflow)': json({ endTimeUnixNano: TWO_63 }),
  'end time 2^64-1 (parse error)': json({ endTimeUnixNano: TWO_64_MINUS_1 }),
  'start time 26-digit string': json({ startTimeUnixNano: '17000000000000000000000000', endTimeUnixNano: '17000000000000000000000001' }),
  'start and end time 1e300 as JSON numbers': jsonRawTimes('1e300', '1e300'),
  'start time 1e19 as a JSON number': jsonRawTimes('1e19', '1e19'),
  'protobuf: no times': pb({ startTimeUnixNano: undefined, endTimeUnixNano: undefined }),
  'protobuf: end time 2^64-1': pb({ endTimeUnixNano: TWO_64_MINUS_1 }),
  'protobuf: end time 2^63': pb({ endTimeUnixNano: TWO_63 }),
  // ---- span times at the storable bounds: stored ----
  'times at the storable bounds (10^18 and the end of 2106-02-07T06:28:15Z)': json(
    { startTimeUnixNano: '1000000000000000000', endTimeUnixNano: MAX_STORABLE },
    0,
  ),
  // ---- event times: the event is kept, its time clamped to the span start ----
  'event times missing, 0, short, 2^63, 2^64-1': json(
    {
      events: [
        { name: 'missing' },
        { name: 'zero', timeUnixNano: '0' },
        { name: 'short', timeUnixNano: '5' },
        { name: 'overflow', timeUnixNano: TWO_63 },
        { name: 'max', timeUnixNano: TWO_64_MINUS_1 },
      ],
    },
    0,
  ),
  'protobuf: event time 2^64-1': pb({ events: [{ name: 'max', timeUnixNano: TWO_64_MINUS_1 }] }, 0),
  // ---- numbers that reach typed columns: clamped ----
  'tokens "1e300", negative, fractional, NaN, past 2^53': json(
    {
      attributes: chat([kv('gen_ai.usage.input_tokens', str('1e300')), kv('gen_ai.usage.output_tokens', { doubleValue: 'NaN' })]),
    },
    0,
  ),
  'tokens as doubles 1e300 and -5': pb(
    { attributes: chat([kv('gen_ai.usage.input_tokens', { doubleValue: 1e300 }), kv('gen_ai.usage.output_tokens', { intValue: -5 })]) },
    0,
  ),
  'tokens past 2^53 and fractional': json(
    {
      attributes: chat([kv('gen_ai.usage.input_tokens', str('9007199254740993')), kv('gen_ai.usage.output_tokens', { doubleValue: 2.5 })]),
    },
    0,
  ),
  // ---- ids ----
  'protobuf: link with empty ids (the issue body)': (i) => {
    const body = Buffer.from(EMPTY_LINK_ID_BODY);
    body.set(Buffer.from(traceIdOf(i), 'hex'), 8); // its trace id starts at byte 8
    return { format: 'protobuf', body, spans: 1, rejected: 0 };
  },
  'link ids not hex, odd length, empty': json({ links: [{ traceId: 'zz', spanId: '' }, { traceId: 'abc' }, {}] }, 0),
  // ---- protobuf strings that are not UTF-8 ----
  'protobuf: invalid UTF-8 in name and attributes': (i) => {
    const body = Buffer.from(pbRequest([pbSpan(i, { name: 'NAME', attributes: [kv('KEY1', str('VAL1'))] })]));
    for (const marker of ['NAME', 'KEY1', 'VAL1']) body.set([0xed, 0xa0, 0x80, 0xff], body.indexOf(marker));
    return { format: 'protobuf', body, spans: 1, rejected: 0 };
  },
};

// ---- a lone surrogate in every kind of JSON string that reaches a row ----
const LONE_SURROGATE_PLACES: Record<string, (s: string, i: number) => Omit<Poison, 'name'>> = {
  'span name': (s, i) => ({ format: 'json', body: jsonRequest([jsonSpan(i, { name: s })]), spans: 1, rejected: 0 }),
  'trace state': (s, i) => ({ format: 'json', body: jsonRequest([jsonSpan(i, { traceState: s })]), spans: 1, rejected: 0 }),
  'attribute key': (s, i) => ({
    format: 'json',
    body: jsonRequest([jsonSpan(i, { attributes: [kv(s, str('v'))] })]),
    spans: 1,
    rejected: 0,
  }),
  'attribute value': (s, i) => ({
    format: 'json',
    body: jsonRequest([jsonSpan(i, { attributes: [kv('k', str(s))] })]),
    spans: 1,
    rejected: 0,
  }),
  'array and kvlist attribute values': (s, i) => ({
    format: 'json',
    body: jsonRequest([
      jsonSpan(i, {
        attributes: [
          kv('arr', { arrayValue: { values: [str(s)] } }),
          kv('map', { kvlistValue: { values: [kv(s, str(s))] } }),
          kv('bytes', { bytesValue: s }),
        ],
      }),
    ]),
    spans: 1,
    rejected: 0,
  }),
  'a typed column (gen_ai.request.model, session.id, content)': (s, i) => ({
    format: 'json',
    body: jsonRequest([
      jsonSpan(i, {
        attributes: chat([
          kv('gen_ai.request.model', str(s)),
          kv('session.id', str(s)),
          kv('gen_ai.input.messages', str(s)),
          kv('gen_ai.response.finish_reasons', { arrayValue: { values: [str(s)] } }),
        ]),
      }),
    ]),
    spans: 1,
    rejected: 0,
  }),
  'resource attribute key and value (service.name)': (s, i) => ({
    format: 'json',
    body: jsonRequest([jsonSpan(i)], [kv('service.name', str(s)), kv(s, str('v'))]),
    spans: 1,
    rejected: 0,
  }),
  'scope name and version': (s, i) => ({
    format: 'json',
    body: jsonRequest([jsonSpan(i)], [], { name: s, version: s }),
    spans: 1,
    rejected: 0,
  }),
  'status message': (s, i) => ({
    format: 'json',
    body: jsonRequest([jsonSpan(i, { status: { code: 2, message: s } })]),
    spans: 1,
    rejected: 0,
  }),
  'event name and attribute': (s, i) => ({
    format: 'json',
    body: jsonRequest([jsonSpan(i, { events: [{ name: s, timeUnixNano: T0, attributes: [kv(s, str(s))] }] })]),
    spans: 1,
    rejected: 0,
  }),
  'link ids and attribute': (s, i) => ({
    format: 'json',
    body: jsonRequest([jsonSpan(i, { links: [{ traceId: s, spanId: s, attributes: [kv(s, str(s))] }] })]),
    spans: 1,
    rejected: 0,
  }),
  'trace id (not hex: rejected)': (s, i) => ({ format: 'json', body: jsonRequest([jsonSpan(i, { traceId: s })]), spans: 1, rejected: 1 }),
};

/** 150 spans, one per day: one insert block touching 150 partitions of `PARTITION BY toDate(start_time)`. */
const manyDays: Make = (i) => {
  const spans = Array.from({ length: 150 }, (_, d) => {
    const start = BigInt(T0) + BigInt(d) * DAY_NS;
    return jsonSpan(i, {
      spanId: (d + 1).toString(16).padStart(16, '0'),
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 1000n),
    });
  });
  return { format: 'json', body: jsonRequest(spans), spans: 150, rejected: 0 };
};

export const POISONS: Poison[] = (() => {
  const out: Poison[] = [];
  for (const [name, make] of Object.entries(MAKERS)) out.push({ name, ...make(out.length) });
  for (const [place, make] of Object.entries(LONE_SURROGATE_PLACES)) {
    const i = out.length;
    out.push({ name: `lone surrogate in the ${place}`, ...make(lone(i), i) });
  }
  out.push({ name: '150 spans on 150 different days', ...manyDays(out.length) });
  return out;
})();

/**
 * A small valid protobuf request touching every field the decoder reads (times, events, links,
 * attributes of each AnyValue kind, status): the seed of the bit-flip tests.
 */
export function richProtobufRequest(traceIndex = 0): Uint8Array {
  return pbRequest(
    [
      pbSpan(traceIndex, {
        parentSpanId: Buffer.from('0102030405060708', 'hex'),
        traceState: 'k=v',
        kind: 3,
        attributes: chat([
          kv('gen_ai.usage.input_tokens', { intValue: 120 }),
          kv('gen_ai.usage.output_tokens', { doubleValue: 45 }),
          kv('gen_ai.request.model', str('gpt-4o')),
          kv('flag', { boolValue: true }),
          kv('blob', { bytesValue: Buffer.from([1, 2, 3]) }),
        ]),
        events: [{ name: 'e', timeUnixNano: T1, attributes: [kv('ek', str('ev'))] }],
        links: [{ traceId: Buffer.from(traceIdOf(traceIndex), 'hex'), spanId: Buffer.from('0807060504030201', 'hex') }],
        status: { code: 2, message: 'boom' },
      }),
    ],
    [kv('service.name', str('svc')), kv('service.version', str('1.0'))],
  );
}

/** `body` with bit `bit` (0 = most significant bit of byte 0) flipped. */
export function flipBit(body: Uint8Array, bit: number): Uint8Array {
  const out = Buffer.from(body);
  out[bit >> 3]! ^= 0x80 >> (bit & 7);
  return out;
}
