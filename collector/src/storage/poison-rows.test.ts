/**
 * Acknowledged ⇒ stored, checked against the real engine: the rows the OTLP edge makes of each
 * poison input of issue 11 are encoded and inserted into a migrated `spans` table (with its
 * materialized views) exactly as the write path does it, then read back.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROW_BINARY_SEGMENTS, SPAN_SEGMENTS } from '../ingest/segment-format.js';
import { normalizeRows } from '../normalize/index.js';
import { decodeTraceRequest } from '../otlp/decode.js';
import { flipBit, POISONS, richProtobufRequest, traceIdOf } from '../otlp/poison.case.js';
import { count, openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import type { Storage } from './client.js';
import { encodeSpanRows } from './row-binary.js';
import type { SpanRow } from './span-row.js';

const tmp = tempDataDir();
let storage: Storage;

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

/**
 * The write path's insert (ingest/pipeline.ts). `throw_on_max_partitions_per_insert_block: 0`:
 * `spans` is partitioned by day, and ClickHouse refuses an insert block that touches more than
 * `max_partitions_per_insert_block` (100) partitions, e.g. one batch of spans from 150 different
 * days; the pipeline passes the same setting so such a batch is stored, not retried forever.
 */
const INSERT_SETTINGS = {
  deduplicate_blocks_in_dependent_materialized_views: 1,
  async_insert: 0,
  throw_on_max_partitions_per_insert_block: 0,
};

let inserts = 0;
async function insert(rows: SpanRow[], settings: Record<string, string | number> = INSERT_SETTINGS): Promise<void> {
  const encoded = ROW_BINARY_SEGMENTS.insert({ ...SPAN_SEGMENTS, chunks: [encodeSpanRows(rows)] });
  await storage.insertRaw({
    table: 'spans',
    ...encoded,
    settings: { ...encoded.settings, ...settings, insert_deduplication_token: `poison-${++inserts}` },
  });
}

function edgeRows(body: Uint8Array, format: 'json' | 'protobuf'): SpanRow[] {
  const { rows } = decodeTraceRequest(body, format);
  return normalizeRows(rows);
}

/** Distinct span identities stored (merges of the ReplacingMergeTree may fold exact duplicates). */
const storedSpans = (traceId: string) => count(storage, 'SELECT uniqExact(span_id) FROM spans WHERE trace_id = {t:String}', { t: traceId });

describe('every row the edge makes of a poison input is stored', () => {
  test.each(POISONS.map((p, i) => [p.name, p, i] as const))('%s', async (_name, p, i) => {
    const rows = edgeRows(p.body, p.format);
    expect(rows).toHaveLength(p.spans - p.rejected);
    if (rows.length === 0) return;
    await insert(rows);
    expect(await storedSpans(traceIdOf(i))).toBe(new Set(rows.map((r) => r.span_id)).size);
  });

  test('lone surrogates are stored as U+FFFD; clamped event times and token counts read back as sent', async () => {
    const rs = await storage.client.query({
      query: `SELECT name, toString(event_times) AS ev, toString(start_time) AS st, input_tokens FROM spans
              WHERE trace_id IN {ids:Array(String)} ORDER BY trace_id`,
      query_params: {
        ids: [
          'lone surrogate in the span name',
          'event times missing, 0, short, 2^63, 2^64-1',
          'tokens "1e300", negative, fractional, NaN, past 2^53',
        ].map((n) => traceIdOf(POISONS.findIndex((p) => p.name === n))),
      },
      format: 'JSONEachRow',
    });
    const [events, tokens, name] = await rs.json<{ name: string; ev: string; st: string; input_tokens: string }>();
    expect(name!.name).toMatch(/\ufffd/);
    expect(events!.ev).toBe(`[${Array(5).fill(`'${events!.st}'`).join(',')}]`);
    expect(tokens!.input_tokens).toBe('0');
  });
});

describe('ClickHouse limits the edge and the write path rely on', () => {
  test('without throw_on_max_partitions_per_insert_block = 0, one block over 150 days is refused', async () => {
    const p = POISONS.find((x) => x.name === '150 spans on 150 different days')!;
    const rows = edgeRows(p.body, p.format).map((r) => ({ ...r, trace_id: 'f'.repeat(32) }));
    await expect(insert(rows, { async_insert: 0 })).rejects.toThrow(/Too many partitions/);
  });
});

describe('single bit flips of a valid protobuf request', () => {
  test('every row decoded from any one-bit mutation is stored', { timeout: 180_000 }, async () => {
    const body = richProtobufRequest(9999);
    const rows: SpanRow[] = [];
    for (let bit = 0; bit < body.length * 8; bit++) {
      try {
        rows.push(...edgeRows(flipBit(body, bit), 'protobuf'));
      } catch {
        // undecodable: answered 400, nothing acknowledged
      }
    }
    expect(rows.length).toBeGreaterThan(body.length * 4);
    for (let i = 0; i < rows.length; i += 500) await insert(rows.slice(i, i + 500));
    const rs = await storage.client.query({
      query: `SELECT DISTINCT concat(trace_id, '/', span_id) AS k FROM spans WHERE trace_id IN {t:Array(String)}`,
      query_params: { t: [...new Set(rows.map((r) => r.trace_id))] },
      format: 'JSONEachRow',
    });
    const stored = new Set((await rs.json<{ k: string }>()).map((r) => r.k));
    const missing = rows.filter((r) => !stored.has(`${r.trace_id}/${r.span_id}`));
    expect(missing).toEqual([]);
  });
});
