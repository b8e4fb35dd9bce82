/**
 * What a starting pipeline learns about spans already safe, so that an exporter's retry of them is
 * answered as a duplicate: the ids ClickHouse received in the last minutes, and the ids in segments
 * the previous process left in the write-ahead log or the quarantine (acknowledged, maybe not yet
 * in ClickHouse, so the query alone would miss them).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { DEFAULT_PROJECT_ID } from '../auth/principal.js';
import type { Segment } from './segment-log.js';
import { splitLines } from './segment-writer.js';
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
  const traceAt = segment.columns.indexOf('trace_id');
  const spanAt = segment.columns.indexOf('span_id');
  // A segment written before projects existed has no project column: its rows replay into 'default'.
  const projectAt = segment.columns.indexOf('project_id');
  const layout: Layout = { traceAt, spanAt, projectAt, projectLast: projectAt === segment.columns.length - 1 };
  if (traceAt < 0 || spanAt < 0) return;
  for (const chunk of segment.chunks) {
    for (const line of splitLines(chunk)) {
      const ids = idsOf(line, layout);
      if (ids) dedup.markStored(ids[0], ids[1], ids[2]);
    }
  }
}

interface Layout {
  traceAt: number;
  spanAt: number;
  projectAt: number;
  projectLast: boolean;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const BRACKET_CLOSE = 0x5d;
const NEWLINE = 0x0a;

/**
 * The last value of a row line when it is a plain JSON string (`,"<id>"]`): project ids are slugs
 * (no quote, no escape), so the quote before the closing one starts it.
 */
function lastPlainString(line: Buffer): string | undefined {
  let end = line.length - 1;
  if (line[end] === NEWLINE) end--;
  if (line[end] !== BRACKET_CLOSE || line[end - 1] !== QUOTE) return undefined;
  const open = line.lastIndexOf(QUOTE, end - 2);
  if (open < 1 || line[open - 1] !== COMMA) return undefined;
  const value = line.toString('latin1', open + 1, end - 1);
  return value.includes('\\') ? undefined : value;
}

/**
 * Fast path for this version's layout (ids first: `["<32 hex>","<16 hex>",`, project last), JSON
 * otherwise.
 */
function idsOf(line: Buffer, l: Layout): [string, string, string] | undefined {
  if (l.traceAt === 0 && l.spanAt === 1 && line.length > 56 && line[0] === 0x5b && line[1] === QUOTE && line[34] === QUOTE) {
    const project = l.projectAt < 0 ? DEFAULT_PROJECT_ID : l.projectLast ? lastPlainString(line) : undefined;
    if (project !== undefined) return [line.toString('latin1', 2, 34), line.toString('latin1', 37, 53), project];
  }
  try {
    const row: unknown = JSON.parse(line.toString('utf8'));
    if (!Array.isArray(row)) return undefined;
    const [t, s] = [row[l.traceAt], row[l.spanAt]];
    const p: unknown = l.projectAt < 0 ? DEFAULT_PROJECT_ID : row[l.projectAt];
    return typeof t === 'string' && typeof s === 'string' && typeof p === 'string' ? [t, s, p] : undefined;
  } catch {
    return undefined;
  }
}
