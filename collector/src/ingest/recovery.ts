/**
 * What a starting pipeline learns about spans already safe, so that an exporter's retry of them is
 * answered as a duplicate: the ids ClickHouse received in the last minutes, and the ids in segments
 * the previous process left in the write-ahead log or the quarantine (acknowledged, maybe not yet
 * in ClickHouse, so the query alone would miss them).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Segment } from './segment-log.js';
import { splitLines } from './segment-writer.js';
import type { SpanDedup } from './span-dedup.js';

/** How far back, by arrival time, ids are read from ClickHouse at start. */
const SEED_WINDOW_MINUTES = 15;

export async function seedFromStorage(client: ClickHouseClient, capacity: number, dedup: SpanDedup): Promise<void> {
  const rs = await client.query({
    query: `SELECT trace_id, span_id FROM spans
            WHERE start_time >= now64(9) - INTERVAL 2 DAY AND ingested_at >= now64(3) - INTERVAL {minutes:UInt32} MINUTE
            ORDER BY ingested_at DESC LIMIT {limit:UInt32}`,
    query_params: { limit: Math.floor(capacity / 2), minutes: SEED_WINDOW_MINUTES },
    format: 'JSONCompactEachRow',
  });
  for (const [traceId, spanId] of await rs.json<[string, string]>()) dedup.markStored(traceId, spanId);
}

/** Marks every span of a segment as stored. Rows it cannot read are skipped: they are not retries. */
export function markSegmentStored(segment: Segment, dedup: SpanDedup): void {
  const traceAt = segment.columns.indexOf('trace_id');
  const spanAt = segment.columns.indexOf('span_id');
  if (traceAt < 0 || spanAt < 0) return;
  for (const chunk of segment.chunks) {
    for (const line of splitLines(chunk)) {
      const ids = idsOf(line, traceAt, spanAt);
      if (ids) dedup.markStored(ids[0], ids[1]);
    }
  }
}

/** Fast path for this version's layout (ids first: `["<32 hex>","<16 hex>",`), JSON otherwise. */
function idsOf(line: Buffer, traceAt: number, spanAt: number): [string, string] | undefined {
  if (traceAt === 0 && spanAt === 1 && line.length > 56 && line[0] === 0x5b && line[1] === 0x22 && line[34] === 0x22) {
    return [line.toString('latin1', 2, 34), line.toString('latin1', 37, 53)];
  }
  try {
    const row: unknown = JSON.parse(line.toString('utf8'));
    if (!Array.isArray(row)) return undefined;
    const [t, s] = [row[traceAt], row[spanAt]];
    return typeof t === 'string' && typeof s === 'string' ? [t, s] : undefined;
  } catch {
    return undefined;
  }
}
