/**
 * Issue 11, items 1 and 2: what the decoder acknowledges must be storable. Each poison input of
 * the issue either rejects its span through partial success with a reason, or yields rows whose
 * values every table stores as sent (the same rows go into a real table in storage/poison-rows.test.ts).
 */
import { describe, expect, test } from 'vitest';
import { SightlineError } from '../errors.js';
import { normalizeRows } from '../normalize/index.js';
import { readRowBinaryHeader, readRowStrings } from '../storage/row-binary-reader.js';
import { encodeSpanRows, SPAN_ROW_BINARY_HEADER } from '../storage/row-binary.js';
import type { SpanRow } from '../storage/span-row.js';
import { SPAN_COLUMNS } from '../storage/span-table.js';
import { decodeTraceRequest, spanBuildFailures } from './decode.js';
import { MAX_STORABLE_NS, MIN_STORABLE_NS } from './limits.js';
import { EMPTY_LINK_ID_BODY, flipBit, POISONS, richProtobufRequest, T0 } from './poison.case.js';

function storableTime(ns: unknown): boolean {
  return typeof ns === 'string' && /^\d{19}$/.test(ns) && BigInt(ns) >= MIN_STORABLE_NS && BigInt(ns) <= MAX_STORABLE_NS;
}

/**
 * The properties of a row every table stores as sent (the storage test checks for real): times that
 * DateTime64(9) and the summaries' days hold, token counts the UInt64 columns hold; and the row
 * encodes (RowBinary has no text ClickHouse could refuse, so out-of-range values would be stored
 * wrong rather than refused: the edge must keep them out).
 */
function expectStorableRow(row: SpanRow): void {
  expect(storableTime(row.start_time)).toBe(true);
  expect(storableTime(row.end_time)).toBe(true);
  for (const t of row.event_times) expect(storableTime(t)).toBe(true);
  for (const c of ['input_tokens', 'output_tokens'] as const) expect(Number.isSafeInteger(row[c]) && row[c] >= 0).toBe(true);
  expect(encodeSpanRows([row]).length).toBeGreaterThan(0);
}

function decodeAndNormalize(body: Uint8Array, format: 'json' | 'protobuf') {
  const result = decodeTraceRequest(body, format);
  normalizeRows(result.rows);
  return result;
}

describe('each poison input of issue 11 is rejected with a reason or decoded into storable rows', () => {
  test.each(POISONS.map((p) => [p.name, p] as const))('%s', (_name, p) => {
    const { rows, rejected, rejectionMessage } = decodeAndNormalize(p.body, p.format);
    expect(rejected).toBe(p.rejected);
    expect(rows).toHaveLength(p.spans - p.rejected);
    if (p.rejected > 0) expect(rejectionMessage).toMatch(/^1 span rejected: /);
    for (const row of rows) expectStorableRow(row);
  });
});

describe('span times', () => {
  const json = (start: string, end: string) =>
    Buffer.from(
      `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",` +
        `"name":"s","startTimeUnixNano":${start},"endTimeUnixNano":${end}}]}]}]}`,
    );

  test.each([
    { label: 'start "0"', start: '"0"', end: `"${T0}"`, reason: 'start_time missing' },
    { label: 'end "0"', start: `"${T0}"`, end: '"0"', reason: 'end_time missing' },
    { label: 'start 10^18 - 1', start: '"999999999999999999"', end: `"${T0}"`, reason: 'start_time outside 2001-09-09..2106-02-07' },
    { label: 'end 2^63', start: `"${T0}"`, end: '"9223372036854775808"', reason: 'end_time outside 2001-09-09..2106-02-07' },
    { label: 'end 2^64-1', start: `"${T0}"`, end: '"18446744073709551615"', reason: 'end_time outside 2001-09-09..2106-02-07' },
    { label: 'start and end 1e300 (numbers)', start: '1e300', end: '1e300', reason: 'start_time outside 2001-09-09..2106-02-07' },
    {
      label: '26-digit strings',
      start: '"17000000000000000000000000"',
      end: '"17000000000000000000000000"',
      reason: 'start_time outside 2001-09-09..2106-02-07',
    },
    { label: 'a 100,000-digit string', start: `"${'1'.repeat(100_000)}"`, end: `"${T0}"`, reason: 'start_time not an unsigned integer' },
    { label: 'a fractional number', start: '1.7e18', end: '1700000000.5', reason: 'end_time not an unsigned integer' },
    { label: 'a negative number', start: '-1', end: `"${T0}"`, reason: 'start_time outside 2001-09-09..2106-02-07' },
    { label: 'a negative string', start: '"-5"', end: `"${T0}"`, reason: 'start_time not an unsigned integer' },
    { label: 'not a number', start: '"soon"', end: `"${T0}"`, reason: 'start_time not an unsigned integer' },
  ])('$label: the span is rejected ($reason), the request is not', ({ start, end, reason }) => {
    const r = decodeTraceRequest(json(start, end), 'json');
    expect(r.rows).toEqual([]);
    expect(r.rejectionMessage).toBe(`1 span rejected: ${reason} (span 's')`);
  });

  test('the bounds themselves are stored: 10^18 ns (2001-09-09T01:46:40Z) and the last ns of TIME_MAX_MS (2106-02-07T06:28:15.000Z)', () => {
    const [row] = decodeTraceRequest(json('"1000000000000000000"', '"4294967295000999999"'), 'json').rows;
    expect([row!.start_time, row!.end_time]).toEqual(['1000000000000000000', '4294967295000999999']);
    // Past it the rollups' DateTime minutes would wrap to 1970: refused.
    expect(decodeTraceRequest(json('"1000000000000000000"', '"4294967295001000000"'), 'json').rejected).toBe(1);
  });

  test('an event time that cannot be stored keeps the event, at the span start', () => {
    const p = POISONS.find((x) => x.name.startsWith('event times missing'))!;
    const [row] = decodeTraceRequest(p.body, p.format).rows;
    expect(row!.event_names).toEqual(['missing', 'zero', 'short', 'overflow', 'max']);
    expect(row!.event_times).toEqual([T0, T0, T0, T0, T0]);
  });
});

describe('ids', () => {
  test('a protobuf Link with empty ids (the issue body) is stored with empty link ids, not a TypeError', () => {
    const { rows, rejected } = decodeTraceRequest(EMPTY_LINK_ID_BODY, 'protobuf');
    expect(rejected).toBe(0);
    expect(rows[0]!.link_trace_ids).toEqual(['']);
    expect(rows[0]!.link_span_ids).toEqual(['']);
  });

  test('an unexpected exception while building one span rejects that span only, counted, with the reason', () => {
    const throwsOn = (key: string): ReadonlySet<string> =>
      ({
        has: (k: string) =>
          k === key
            ? (() => {
                throw new RangeError('injected bug');
              })()
            : false,
      }) as unknown as ReadonlySet<string>;
    const body = Buffer.from(
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: ['ok', 'bad'].map((name, i) => ({
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: `eee19b7ec3c1b17${i}`,
                  name,
                  startTimeUnixNano: T0,
                  endTimeUnixNano: T0,
                  attributes: [{ key: name, value: { stringValue: 'x' } }],
                })),
              },
            ],
          },
        ],
      }),
    );
    const seen: string[] = [];
    const before = spanBuildFailures();
    const r = decodeTraceRequest(body, 'json', { contentKeys: throwsOn('bad'), onSpanError: (_e, span) => seen.push(span) });
    expect(r.rows.map((x) => x.name)).toEqual(['ok']);
    expect(r.rejected).toBe(1);
    expect(r.rejectionMessage).toBe("1 span rejected: internal error: injected bug (span 'bad')");
    expect(seen).toEqual(['bad']);
    expect(spanBuildFailures()).toBe(before + 1);
  });
});

describe('lone surrogates', () => {
  test('reach the row as decoded but are written as U+FFFD', () => {
    const p = POISONS.find((x) => x.name === 'lone surrogate in the span name')!;
    const [row] = decodeTraceRequest(p.body, p.format).rows;
    expect(row!.name.isWellFormed()).toBe(false);
    const [name] = readRowStrings(readRowBinaryHeader(SPAN_ROW_BINARY_HEADER)!, encodeSpanRows([row!]), [SPAN_COLUMNS.indexOf('name')])!;
    expect(name).toContain('\ufffd');
    expect(name!.isWellFormed()).toBe(true);
  });
});

describe('a single bit flip anywhere in a valid protobuf request', () => {
  test('is undecodable (400) or gives only storable rows, for every bit', () => {
    const body = richProtobufRequest();
    let undecodable = 0;
    let decoded = 0;
    for (let bit = 0; bit < body.length * 8; bit++) {
      let rows: SpanRow[];
      try {
        rows = decodeAndNormalize(flipBit(body, bit), 'protobuf').rows;
      } catch (err) {
        expect(err).toBeInstanceOf(SightlineError);
        expect((err as SightlineError).code).toBe('undecodable_body');
        undecodable++;
        continue;
      }
      decoded++;
      for (const row of rows) expectStorableRow(row);
    }
    expect(undecodable).toBeGreaterThan(0);
    expect(decoded).toBeGreaterThan(0);
  });
});
