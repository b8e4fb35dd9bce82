/**
 * Span rows in RowBinary, checked against the real engine: what the encoder writes is what
 * ClickHouse stores, column by column, and the reader finds the same rows and ids again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROW_BINARY_SEGMENTS, SPAN_SEGMENTS } from '../ingest/segment-format.js';
import { SPANS_INSERT_SETTINGS } from '../ingest/segment-writer.js';
import { agentTrace, spanRow } from '../test-support/span-rows.js';
import { openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import type { Storage } from './client.js';
import { readRowBinaryHeader, splitRowBinaryRows } from './row-binary-reader.js';
import { encodeSpanRows, SPAN_ROW_BINARY_HEADER } from './row-binary.js';
import { SPAN_COLUMNS, SPAN_TABLE, type SpanColumn, type SpanRow } from './span-table.js';

const tmp = tempDataDir();
let storage: Storage;
beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage.close();
  tmp.remove();
});

let seq = 0;
/** Inserts `rows` the way the write path does (same format, header and settings). */
async function insert(rows: SpanRow[]): Promise<void> {
  const segment = { ...SPAN_SEGMENTS, chunks: [encodeSpanRows(rows)] };
  const encoded = ROW_BINARY_SEGMENTS.insert(segment);
  await storage.insertRaw({
    table: 'spans',
    ...encoded,
    settings: { ...encoded.settings, ...SPANS_INSERT_SETTINGS, insert_deduplication_token: `row-binary-${seq++}` },
  });
}

/** The rows of one trace as ClickHouse returns them, in the shape of SpanRow. */
async function readBack(traceId: string): Promise<SpanRow[]> {
  const times = ['start_time', 'end_time'].map((c) => `toString(toUnixTimestamp64Nano(${c})) AS ${c}`);
  const rs = await storage.client.query({
    query: `SELECT * EXCEPT (start_time, end_time, event_times, ingested_at), ${times.join(', ')},
              arrayMap(t -> toString(toUnixTimestamp64Nano(t)), event_times) AS event_times
            FROM spans WHERE trace_id = {t:String} ORDER BY span_id`,
    query_params: { t: traceId },
    format: 'JSONEachRow',
  });
  const rows = await rs.json<Record<string, unknown>>();
  // 64-bit integers come back as strings: counts are numbers in a row, nanosecond values strings.
  const asInRow = (c: SpanColumn, v: unknown) => (SPAN_TABLE[c] === 'count' ? Number(v) : SPAN_TABLE[c] === 'nanos' ? String(v) : v);
  return rows.map((r) => Object.fromEntries(SPAN_COLUMNS.map((c) => [c, asInRow(c, r[c])])) as unknown as SpanRow);
}

const byId = (rows: SpanRow[]) => [...rows].sort((a, b) => a.span_id.localeCompare(b.span_id));

describe('span rows in RowBinary', () => {
  it('are stored exactly as the rows were, every column', async () => {
    const rows = agentTrace({ traceIndex: 11, startNs: 1_700_000_000_123_456_789n, sessionId: 's-1', failTool: true });
    rows[0]!.event_times = ['1700000000123456789', '1700000000999999999'];
    rows[0]!.event_names = ['exception', 'é'];
    rows[0]!.event_attributes = [{ 'exception.message': 'x'.repeat(300) }, {}];
    rows[0]!.link_trace_ids = ['ab'.repeat(16)];
    rows[0]!.link_span_ids = ['cd'.repeat(8)];
    rows[0]!.link_attributes = [{ k: 'v' }];
    rows[1]!.input = '日本語 and emoji 😀 '.repeat(2000);
    rows[1]!.finish_reasons = ['stop', 'length'];
    rows[1]!.input_tokens = Number.MAX_SAFE_INTEGER;
    Object.assign(rows[2]!, {
      cache_read_tokens: 120,
      input_cost: 0.000123,
      output_cost: 1e-9,
      total_cost: 12345.678,
      cost_source: 'database',
    });
    await insert(rows);
    expect(await readBack(rows[0]!.trace_id)).toEqual(byId(rows));
  });

  it('store lone surrogates as U+FFFD, in values, keys and arrays', async () => {
    const lone = 'a\ud800b';
    const row = spanRow({
      trace_id: 'ef'.repeat(16),
      span_id: 'cd'.repeat(8),
      name: lone,
      finish_reasons: [lone],
      span_attributes: { [lone]: lone },
    });
    await insert([row]);
    const [back] = await readBack(row.trace_id);
    expect([back!.name, back!.finish_reasons, back!.span_attributes]).toEqual(['a\ufffdb', ['a\ufffdb'], { 'a\ufffdb': 'a\ufffdb' }]);
  });

  it('are found again by the reader: the header, each row, and where a torn tail starts', () => {
    const rows = agentTrace({ traceIndex: 12, startNs: 1_700_000_000_000_000_000n });
    const body = encodeSpanRows(rows);
    const header = readRowBinaryHeader(SPAN_ROW_BINARY_HEADER)!;
    expect(header.columns).toEqual(SPAN_COLUMNS);
    expect(header.end).toBe(SPAN_ROW_BINARY_HEADER.length);
    const split = splitRowBinaryRows(header, body);
    expect(split).toMatchObject({ complete: true });
    expect(split.rows.map((r) => r.length).reduce((a, b) => a + b)).toBe(body.length);
    expect(split.rows.map((r) => Buffer.compare(r, encodeSpanRows([rows[split.rows.indexOf(r)]!])))).toEqual(rows.map(() => 0));
    const segment = { ...SPAN_SEGMENTS, chunks: [body] };
    expect(split.rows.map((r) => ROW_BINARY_SEGMENTS.ids(segment, r))).toEqual(rows.map((r) => [r.trace_id, r.span_id, r.project_id]));
    for (const cut of [1, 100, body.length - split.rows.at(-1)!.length + 3, body.length - 1]) {
      const torn = splitRowBinaryRows(header, body.subarray(0, cut));
      expect(torn.complete).toBe(false);
      expect(torn.rows.length).toBeLessThan(rows.length);
    }
  });
});
