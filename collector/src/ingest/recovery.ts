/**
 * What a starting pipeline learns about spans already safe, so that an exporter's retry of them is
 * answered as a duplicate: the ids ClickHouse received in the last minutes, and the ids in segments
 * the previous process left in the write-ahead log or the quarantine (acknowledged, maybe not yet
 * in ClickHouse, so the query alone would miss them).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { Segment } from './segment-log.js';
import type { SpanDedup } from './span-dedup.js';

/** How far back, by arrival time, ids are read from ClickHouse at start. */
const SEED_WINDOW_MINUTES = 15;

export async function seedFromStorage(client: ClickHouseClient, capacity: number, dedup: SpanDedup): Promise<void> {
  const rs = await client.query({
    query: `SELECT trace_id, span_id, project_id FROM spans
            WHERE start_time >= now64(9) - INTERVAL 2 DAY AND ingested_at >= now64(3) - INTERVAL {minutes:UInt32} MINUTE
            ORDER BY ingested_at DESC LIMIT {limit:UInt32}`,
    query_params: { limit: Math.floor(capacity / 2), minutes: SEED_WINDOW_MINUTES },
    format: 'JSONCompactEachRow',
  });
  for (const [traceId, spanId, projectId] of await rs.json<[string, string, string]>()) dedup.markStored(traceId, spanId, projectId);
}

/** Marks every span of a segment as stored. Rows it cannot read are skipped: they are not retries. */
export function markSegmentStored(segment: Segment, dedup: SpanDedup): void {
  for (const row of segment.format.rows(segment)) {
    const ids = segment.format.ids(segment, row);
    if (ids) dedup.markStored(ids[0], ids[1], ids[2]);
  }
}
