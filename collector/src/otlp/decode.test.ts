import protobuf from 'protobufjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { SightlineError } from '../errors.js';
import type { SpanRow } from '../storage/span-row.js';
import { decodeTraceRequest } from './decode.js';
import { MAX_ATTRIBUTE_CHARS, MAX_CONTENT_CHARS, TRUNCATED_DEPTH_MARKER } from './limits.js';
import { AGENT_RESOURCE, agentTrace, otlpSerializers, recordSpans, serialize, T0_NS } from './otel-fixtures.case.js';
import { ArrayValueType, ExportTraceServiceRequestType } from './proto.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

let realProtobuf: Uint8Array;
let realJson: Uint8Array;

beforeAll(async () => {
  const s = await otlpSerializers();
  const spans = await recordSpans(AGENT_RESOURCE, agentTrace);
  realProtobuf = serialize(s.protobuf, spans);
  realJson = serialize(s.json, spans);
});

function byName(rows: SpanRow[], name: string): SpanRow {
  const row = rows.find((r) => r.name === name);
  if (!row) throw new Error(`no row named ${name}`);
  return row;
}

function expectUndecodable(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SightlineError);
    expect((err as SightlineError).code).toBe('undecodable_body');
    expect((err as SightlineError).message).toMatch(message);
    return;
  }
  throw new Error('expected undecodable_body');
}

/** Hand-made protobuf request, through our own schema (AnyValue nesting as raw bytes). */
function pbRequest(spans: Record<string, unknown>[], resourceAttributes: Record<string, unknown>[] = []): Uint8Array {
  const msg = ExportTraceServiceRequestType.fromObject({
    resourceSpans: [{ resource: { attributes: resourceAttributes }, scopeSpans: [{ scope: { name: 's' }, spans }] }],
  });
  return ExportTraceServiceRequestType.encode(msg).finish();
}

function pbSpan(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: Buffer.from(TRACE, 'hex'),
    spanId: Buffer.from(SPAN, 'hex'),
    name: 'span',
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000000000100',
    ...over,
  };
}

function jsonBody(spans: Record<string, unknown>[], resourceAttributes: unknown[] = []): Uint8Array {
  return Buffer.from(JSON.stringify({ resourceSpans: [{ resource: { attributes: resourceAttributes }, scopeSpans: [{ spans }] }] }));
}

function jsonSpan(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: TRACE,
    spanId: SPAN,
    name: 'span',
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000000000100',
    ...over,
  };
}

describe('decoding what the real OpenTelemetry serializers produce', () => {
  test('protobuf: ids, parent links, exact nanosecond times, kind, status, scope and resource fields', () => {
    const { rows, rejected } = decodeTraceRequest(realProtobuf, 'protobuf');
    expect(rejected).toBe(0);
    expect(rows).toHaveLength(3);
    const root = byName(rows, 'invoke_agent planner');
    const chat = byName(rows, 'chat gpt-4o');
    const tool = byName(rows, 'execute_tool get_weather');

    expect(root.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(root.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(root.parent_span_id).toBe('');
    expect(chat.parent_span_id).toBe(root.span_id);
    expect(chat.trace_id).toBe(root.trace_id);

    expect(root.start_time).toBe(T0_NS); // all 19 digits survive
    expect(root.end_time).toBe('1700000003123456789');
    expect(root.duration_ns).toBe('3000000000');
    expect(chat.start_time).toBe('1700000000123457789');

    expect(chat.kind).toBe('CLIENT');
    expect(root.kind).toBe('INTERNAL');
    expect(root.status_code).toBe('OK');
    expect(tool.status_code).toBe('ERROR');
    expect(tool.status_message).toBe('timed out');
    expect(chat.status_code).toBe('UNSET');

    expect(root.service_name).toBe('weather-agent');
    expect(root.environment).toBe('staging');
    expect(root.release).toBe('1.4.0');
    expect(root.scope_name).toBe('test-scope');
    expect(root.scope_version).toBe('1.2.3');
    expect(root.resource_attributes['service.name']).toBe('weather-agent');
  });

  test('protobuf: attribute values of every OTel type become strings', () => {
    const chat = byName(decodeTraceRequest(realProtobuf, 'protobuf').rows, 'chat gpt-4o');
    expect(chat.span_attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': '120',
      'gen_ai.request.temperature': '0.25',
      'gen_ai.request.stream': 'false',
      'gen_ai.response.finish_reasons': '["stop"]',
      'app.tags': '["a","b"]',
      'app.counts': '[1,2,3]',
    });
  });

  test('protobuf: events and links keep times, names, ids and attributes', () => {
    const rows = decodeTraceRequest(realProtobuf, 'protobuf').rows;
    const tool = byName(rows, 'execute_tool get_weather');
    const chat = byName(rows, 'chat gpt-4o');
    expect(tool.event_names).toEqual(['retry']);
    expect(tool.event_times).toEqual(['1700000001123457289']);
    expect(tool.event_attributes).toEqual([{ attempt: '2' }]);
    expect(tool.link_trace_ids).toEqual([chat.trace_id]);
    expect(tool.link_span_ids).toEqual([chat.span_id]);
    expect(tool.link_attributes).toEqual([{ 'link.kind': 'caused-by' }]);
  });

  test('JSON from the real JSON serializer decodes to exactly the same rows as protobuf', () => {
    const fromJson = decodeTraceRequest(realJson, 'json');
    const fromPb = decodeTraceRequest(realProtobuf, 'protobuf');
    expect(fromJson.rows).toEqual(fromPb.rows);
  });

  test('decoding leaves typed GenAI columns empty (normalize/ owns them)', () => {
    const chat = byName(decodeTraceRequest(realProtobuf, 'protobuf').rows, 'chat gpt-4o');
    expect(chat.convention).toBe('');
    expect(chat.request_model).toBe('');
    expect(chat.input_tokens).toBe(0);
  });
});

describe('undecodable bodies throw SightlineError undecodable_body', () => {
  test('garbage bytes as protobuf', () => {
    expectUndecodable(() => decodeTraceRequest(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12]), 'protobuf'), /protobuf/);
  });

  test('a real protobuf body cut short', () => {
    expectUndecodable(() => decodeTraceRequest(realProtobuf.subarray(0, realProtobuf.length - 7), 'protobuf'), /protobuf/);
  });

  test('invalid JSON', () => {
    expectUndecodable(() => decodeTraceRequest(Buffer.from('{"resourceSpans": ['), 'json'), /invalid JSON/);
  });

  test('JSON of the wrong shape names the offending path', () => {
    expectUndecodable(
      () => decodeTraceRequest(Buffer.from('{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":5}]}]}]}'), 'json'),
      /resourceSpans\.0\.scopeSpans\.0\.spans\.0\.name/,
    );
    expectUndecodable(() => decodeTraceRequest(Buffer.from('[1,2]'), 'json'), /not an OTLP\/JSON/);
  });

  test('a corrupt nested AnyValue inside an otherwise valid protobuf request', () => {
    const body = pbRequest([pbSpan({ attributes: [{ key: 'k', value: { arrayValue: Buffer.from([0x0a, 0x7f]) } }] })]);
    expectUndecodable(() => decodeTraceRequest(body, 'protobuf'), /nested AnyValue/);
  });
});

describe('empty and minimal requests', () => {
  test('an empty body is a valid empty protobuf request; {} is a valid empty JSON request', () => {
    expect(decodeTraceRequest(new Uint8Array(0), 'protobuf')).toEqual({ rows: [], rejected: 0, rejectionMessage: '' });
    expect(decodeTraceRequest(Buffer.from('{}'), 'json')).toEqual({ rows: [], rejected: 0, rejectionMessage: '' });
  });

  test('service_name defaults to unknown_service; deployment.environment is the fallback environment', () => {
    const [row] = decodeTraceRequest(
      pbRequest([pbSpan()], [{ key: 'deployment.environment', value: { stringValue: 'prod' } }]),
      'protobuf',
    ).rows;
    expect(row!.service_name).toBe('unknown_service');
    expect(row!.environment).toBe('prod');
    expect(row!.release).toBe('');
  });
});

describe('per-span validation rejects bad spans and keeps the rest', () => {
  test('protobuf: short trace id, zero span id, bad parent length, end before start', () => {
    const body = pbRequest([
      pbSpan({ name: 'good' }),
      pbSpan({ name: 'x', traceId: Buffer.from('0102030405', 'hex') }),
      pbSpan({ name: 'z', spanId: Buffer.alloc(8) }),
      pbSpan({ name: 'p', parentSpanId: Buffer.from('0102', 'hex') }),
      pbSpan({ name: 'y', startTimeUnixNano: '1700000000000000100', endTimeUnixNano: '1700000000000000099' }),
    ]);
    const result = decodeTraceRequest(body, 'protobuf');
    expect(result.rows.map((r) => r.name)).toEqual(['good']);
    expect(result.rejected).toBe(4);
    expect(result.rejectionMessage).toBe(
      "4 spans rejected: invalid trace_id length 5 (span 'x'); span_id is all zeros (span 'z'); " +
        "invalid parent_span_id length 2 (span 'p'); end before start (span 'y')",
    );
  });

  test('a missing trace id is rejected (length 0), an equal start and end is kept', () => {
    const result = decodeTraceRequest(
      pbRequest([pbSpan({ name: 'no-id', traceId: undefined }), pbSpan({ name: 'instant', endTimeUnixNano: '1700000000000000000' })]),
      'protobuf',
    );
    expect(result.rows.map((r) => r.name)).toEqual(['instant']);
    expect(result.rows[0]!.duration_ns).toBe('0');
    expect(result.rejectionMessage).toBe("1 span rejected: invalid trace_id length 0 (span 'no-id')");
  });

  test('JSON: non-hex ids and all-zero trace ids are rejected; uppercase hex is accepted and lowercased', () => {
    const result = decodeTraceRequest(
      jsonBody([
        jsonSpan({ name: 'upper', traceId: TRACE.toUpperCase(), spanId: SPAN.toUpperCase() }),
        jsonSpan({ name: 'nothex', traceId: 'zz'.repeat(16) }),
        jsonSpan({ name: 'zero', traceId: '0'.repeat(32) }),
      ]),
      'json',
    );
    expect(result.rows.map((r) => [r.name, r.trace_id, r.span_id])).toEqual([['upper', TRACE, SPAN]]);
    expect(result.rejectionMessage).toBe("2 spans rejected: trace_id is not hex (span 'nothex'); trace_id is all zeros (span 'zero')");
  });

  test('the rejection message lists at most 10 reasons and counts the rest', () => {
    const spans = Array.from({ length: 13 }, (_, i) => jsonSpan({ name: `bad${i}`, spanId: 'ab' }));
    const result = decodeTraceRequest(jsonBody(spans), 'json');
    expect(result.rejected).toBe(13);
    expect(result.rejectionMessage).toMatch(/^13 spans rejected: invalid span_id length 1 \(span 'bad0'\);/);
    expect(result.rejectionMessage).toMatch(/; and 3 more$/);
  });
});

describe('JSON mapping details', () => {
  test('int64 as string or number, ids as base64 (protobuf JSON mapping), enums as ints, unknown keys ignored', () => {
    const result = decodeTraceRequest(
      jsonBody([
        jsonSpan({
          traceId: Buffer.from(TRACE, 'hex').toString('base64'),
          spanId: Buffer.from(SPAN, 'hex').toString('base64'),
          kind: 2,
          startTimeUnixNano: 1700000000000000000,
          endTimeUnixNano: '1700000000000000500',
          status: { code: 2, message: 'boom' },
          somethingNew: { x: 1 },
          attributes: [
            { key: 'big', value: { intValue: '9007199254740993' } },
            { key: 'num', value: { intValue: 42 } },
            { key: 'neg', value: { intValue: '-7' } },
            { key: 'nan', value: { doubleValue: 'NaN' } },
            { key: 'bytes', value: { bytesValue: 'AQID' } },
            { key: 'kv', value: { kvlistValue: { values: [{ key: 'a', value: { intValue: '9007199254740993' } }] } } },
            { key: 'empty', value: {} },
            { key: 'nullish' },
          ],
        }),
      ]),
      'json',
    );
    const row = result.rows[0]!;
    expect([row.trace_id, row.span_id, row.kind, row.status_code, row.status_message]).toEqual([TRACE, SPAN, 'SERVER', 'ERROR', 'boom']);
    expect(row.start_time).toBe('1700000000000000000');
    expect(row.duration_ns).toBe('500');
    expect(row.span_attributes).toEqual({
      big: '9007199254740993',
      num: '42',
      neg: '-7',
      nan: 'NaN',
      bytes: 'AQID',
      kv: '{"a":"9007199254740993"}',
      empty: '',
      nullish: '',
    });
  });

  test('snake_case proto field names are unknown fields in OTLP/JSON (the spec forbids them)', () => {
    const result = decodeTraceRequest(jsonBody([{ trace_id: TRACE, span_id: SPAN, name: 'snake' }]), 'json');
    expect(result.rows).toHaveLength(0);
    expect(result.rejectionMessage).toContain("invalid trace_id length 0 (span 'snake')");
  });
});

describe('protobuf attribute value conversions', () => {
  test('64-bit ints keep every digit, bytes become base64, doubles go through String()', () => {
    const [row] = decodeTraceRequest(
      pbRequest([
        pbSpan({
          attributes: [
            { key: 'max', value: { intValue: '9223372036854775807' } },
            { key: 'min', value: { intValue: '-9223372036854775808' } },
            { key: 'neg', value: { intValue: -5 } },
            { key: 'bytes', value: { bytesValue: Buffer.from([1, 2, 3]) } },
            { key: 'inf', value: { doubleValue: Infinity } },
            { key: 'kv', value: { kvlistValue: Buffer.from(KVLIST_A_TRUE) } },
            { key: '__proto__', value: { stringValue: 'kept' } },
          ],
        }),
      ]),
      'protobuf',
    ).rows;
    expect(row!.span_attributes.max).toBe('9223372036854775807');
    expect(row!.span_attributes.min).toBe('-9223372036854775808');
    expect(row!.span_attributes.neg).toBe('-5');
    expect(row!.span_attributes.bytes).toBe('AQID');
    expect(row!.span_attributes.inf).toBe('Infinity');
    expect(row!.span_attributes.kv).toBe('{"a":true}');
    expect(Object.getOwnPropertyDescriptor(row!.span_attributes, '__proto__')?.value).toBe('kept');
  });
});

// KeyValueList { values: [ KeyValue { key: "a", value: AnyValue { bool_value: true } } ] }
const KVLIST_A_TRUE = [0x0a, 0x07, 0x0a, 0x01, 0x61, 0x12, 0x02, 0x10, 0x01];

/** A protobuf request whose one attribute nests `depth` arrays, written without recursion. */
function deeplyNestedProtobuf(depth: number): Uint8Array {
  const w = protobuf.Writer.create();
  const ld = (field: number) => w.uint32((field << 3) | 2).fork();
  ld(1); // ResourceSpans
  ld(2); // ScopeSpans
  ld(2); // Span
  w.uint32((1 << 3) | 2).bytes(Buffer.from(TRACE, 'hex'));
  w.uint32((2 << 3) | 2).bytes(Buffer.from(SPAN, 'hex'));
  w.uint32((5 << 3) | 2).string('deep');
  w.uint32((7 << 3) | 1).fixed64('1700000000000000000');
  w.uint32((8 << 3) | 1).fixed64('1700000000000000100');
  ld(9); // KeyValue
  w.uint32((1 << 3) | 2).string('nested');
  ld(2); // AnyValue
  for (let i = 0; i < depth; i++) {
    ld(5); // array_value: ArrayValue
    ld(1); // values[0]: AnyValue
  }
  w.uint32((1 << 3) | 2).string('leaf');
  for (let i = 0; i < depth; i++) w.ldelim().ldelim();
  w.ldelim().ldelim().ldelim().ldelim().ldelim();
  return w.finish();
}

function deeplyNestedJson(depth: number): Uint8Array {
  const open = '{"arrayValue":{"values":['.repeat(depth);
  const close = ']}}'.repeat(depth);
  return Buffer.from(
    `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${TRACE}","spanId":"${SPAN}","name":"deep",` +
      `"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000000000100",` +
      `"attributes":[{"key":"nested","value":${open}{"stringValue":"leaf"}${close}}]}]}]}]}`,
  );
}

function expectedNested(levels: number, leaf: string): string {
  return '['.repeat(levels) + leaf + ']'.repeat(levels);
}

describe('deeply nested attribute values are cut at 16 levels with a marker, never overflowing the stack', () => {
  test('protobuf, 100,000 levels', () => {
    const [row] = decodeTraceRequest(deeplyNestedProtobuf(100_000), 'protobuf').rows;
    expect(row!.span_attributes.nested).toBe(expectedNested(16, JSON.stringify(TRUNCATED_DEPTH_MARKER)));
  });

  test('JSON, 100,000 levels', () => {
    const [row] = decodeTraceRequest(deeplyNestedJson(100_000), 'json').rows;
    expect(row!.span_attributes.nested).toBe(expectedNested(16, JSON.stringify(TRUNCATED_DEPTH_MARKER)));
  });

  test('16 levels are rendered whole', () => {
    const [row] = decodeTraceRequest(deeplyNestedProtobuf(16), 'protobuf').rows;
    expect(row!.span_attributes.nested).toBe(expectedNested(16, '"leaf"'));
  });
});

describe('oversized attribute strings are stored truncated with a marker', () => {
  const TEN_MB = 10 * 1024 * 1024;

  test('a 10 MB attribute keeps the first 64 Ki chars plus a marker', () => {
    const big = 'x'.repeat(TEN_MB);
    const body = pbRequest([pbSpan({ attributes: [{ key: 'huge', value: { stringValue: big } }] })]);
    const v = decodeTraceRequest(body, 'protobuf').rows[0]!.span_attributes.huge!;
    expect(v.startsWith('x'.repeat(MAX_ATTRIBUTE_CHARS))).toBe(true);
    expect(v.slice(MAX_ATTRIBUTE_CHARS)).toBe(`…[sightline: truncated ${TEN_MB - MAX_ATTRIBUTE_CHARS} chars]`);
  });

  test('content attributes (gen_ai.input.messages) get the larger 256 Ki cap, in JSON too', () => {
    const big = 'y'.repeat(TEN_MB);
    const body = jsonBody([jsonSpan({ attributes: [{ key: 'gen_ai.input.messages', value: { stringValue: big } }] })]);
    const v = decodeTraceRequest(body, 'json').rows[0]!.span_attributes['gen_ai.input.messages']!;
    expect(v.length).toBeGreaterThan(MAX_CONTENT_CHARS);
    expect(v.slice(MAX_CONTENT_CHARS)).toBe(`…[sightline: truncated ${TEN_MB - MAX_CONTENT_CHARS} chars]`);
  });

  test('a cut never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(MAX_ATTRIBUTE_CHARS); // 2 UTF-16 units each
    const body = jsonBody([jsonSpan({ attributes: [{ key: 'e', value: { stringValue: `a${emoji}` } }] })]);
    const v = decodeTraceRequest(body, 'json').rows[0]!.span_attributes.e!;
    const head = v.slice(0, v.indexOf('…'));
    expect(head.length).toBe(MAX_ATTRIBUTE_CHARS - 1); // 'a' + whole pairs, the split pair dropped
    expect(head.endsWith('😀')).toBe(true);
  });

  test('an array attribute is JSON-encoded before the cap applies', () => {
    const values = Array.from({ length: 20_000 }, () => ({ stringValue: 'abcdefgh' }));
    const arr = ArrayValueType.encode(ArrayValueType.fromObject({ values })).finish();
    const body = pbRequest([pbSpan({ attributes: [{ key: 'arr', value: { arrayValue: arr } }] })]);
    const v = decodeTraceRequest(body, 'protobuf').rows[0]!.span_attributes.arr!;
    expect(v.startsWith('["abcdefgh","abcdefgh"')).toBe(true);
    expect(v).toMatch(/…\[sightline: truncated \d+ chars\]$/);
  });
});
