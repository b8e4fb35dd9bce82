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

export interface DedupClaim<T = SpanRow> {
  /** Rows seen for the first time: to be written. */
  fresh: T[];
  /** Rows already stored, in flight, or repeated within the batch. */
  duplicates: number;
  /** Writes of earlier copies still in flight: the request is safe only when they are. */
  earlierWrites: Promise<void>[];
  /** Registers the write of `fresh`: its identities are in flight until it settles. */
  track(write: Promise<void>): Promise<void>;
}

/** A record's identity: a 32-hex and a 16-hex part, and its project ('' when the parts already cover it). */
export type Identity = readonly [string, string, string?];

const spanIdentity = (row: SpanRow): Identity => [row.trace_id, row.span_id, row.project_id];

export class SpanDedup {
  private readonly recent: RecentSpanSet;
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(capacity: number) {
    this.recent = new RecentSpanSet(capacity);
  }

  /**
   * Splits `rows` into fresh ones and duplicates by their identity: a 32-hex and a 16-hex part and
   * the project (a span's trace and span ids in its project; for other records, a digest of their
   * content, project included, cut the same way).
   */
  claim(rows: readonly SpanRow[]): DedupClaim<SpanRow>;
  claim<T>(rows: readonly T[], identity: (row: T) => Identity): DedupClaim<T>;
  claim<T>(rows: readonly T[], identity?: (row: T) => Identity): DedupClaim<T> {
    const identityOf = identity ?? (spanIdentity as unknown as (row: T) => Identity);
    const fresh: T[] = [];
    const ids: Identity[] = [];
    const keys: string[] = [];
    const seen = new Set<string>();
    const earlier = new Set<Promise<void>>();
    let duplicates = 0;
    for (const row of rows) {
      const id = identityOf(row);
      const key = `${id[2] ?? ''}/${id[0]}${id[1]}`;
      const pending = this.inflight.get(key);
      if (pending) earlier.add(pending);
      if (pending || seen.has(key) || this.recent.has(id[0], id[1], id[2])) {
        duplicates++;
        continue;
      }
      seen.add(key);
      keys.push(key);
      ids.push(id);
      fresh.push(row);
    }
    return {
      fresh,
      duplicates,
      earlierWrites: [...earlier],
      track: (write) => {
        const settled = write.then(
          () => {
            for (const [a, b, p] of ids) this.recent.add(a, b, p);
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
  markStored(traceId: string, spanId: string, projectId: string): void {
    this.recent.add(traceId, spanId, projectId);
  }

  get inflightSpans(): number {
    return this.inflight.size;
  }
}
