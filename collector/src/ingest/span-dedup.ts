/**
 * Exactly-once at ingest: a span an exporter sends twice (a retry after a timeout, a retry after a
 * crash) is stored once. Summaries and rollups add up what they are given, so a duplicate cannot be
 * left for ReplacingMergeTree to fold later.
 *
 * An identity counts as stored only once its write is durable. While the first copy is still being
 * written it is "in flight": a copy arriving then waits for that write and shares its outcome, so
 * it is never acknowledged for a write that then fails.
 */
import type { SpanRow } from '../storage/span-row.js';
import { RecentSpanSet } from './recent-span-set.js';

export interface DedupClaim {
  /** Rows seen for the first time: to be written. */
  fresh: SpanRow[];
  /** Rows already stored, in flight, or repeated within the batch. */
  duplicates: number;
  /** Writes of earlier copies still in flight: the request is safe only when they are. */
  earlierWrites: Promise<void>[];
  /** Registers the write of `fresh`: its identities are in flight until it settles. */
  track(write: Promise<void>): Promise<void>;
}

export class SpanDedup {
  private readonly recent: RecentSpanSet;
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(capacity: number) {
    this.recent = new RecentSpanSet(capacity);
  }

  claim(rows: readonly SpanRow[]): DedupClaim {
    const fresh: SpanRow[] = [];
    const keys: string[] = [];
    const seen = new Set<string>();
    const earlier = new Set<Promise<void>>();
    let duplicates = 0;
    for (const row of rows) {
      const key = row.trace_id + row.span_id;
      const pending = this.inflight.get(key);
      if (pending) earlier.add(pending);
      if (pending || seen.has(key) || this.recent.has(row.trace_id, row.span_id)) {
        duplicates++;
        continue;
      }
      seen.add(key);
      keys.push(key);
      fresh.push(row);
    }
    return {
      fresh,
      duplicates,
      earlierWrites: [...earlier],
      track: (write) => {
        const settled = write.then(
          () => {
            for (const row of fresh) this.recent.add(row.trace_id, row.span_id);
            for (const key of keys) this.inflight.delete(key);
          },
          (error: unknown) => {
            // Not stored: forget the ids so the exporter's retry is written, not taken for a duplicate.
            for (const key of keys) this.inflight.delete(key);
            throw error;
          },
        );
        // Later copies wait for the outcome; they observe a failure through their own await.
        const shared = settled.catch(() => Promise.reject(new Error('an earlier copy of these spans could not be stored')));
        shared.catch(() => undefined);
        for (const key of keys) this.inflight.set(key, shared);
        return settled;
      },
    };
  }

  /** Records identities already durable (replayed log segments, quarantine, ClickHouse at start). */
  markStored(traceId: string, spanId: string): void {
    this.recent.add(traceId, spanId);
  }

  get inflightSpans(): number {
    return this.inflight.size;
  }
}
