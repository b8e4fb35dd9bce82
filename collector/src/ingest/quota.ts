/**
 * Per-project ingest quota: spans per minute, as a token bucket per project that holds a minute's
 * worth and refills continuously. A request whose spans do not fit is refused whole, before anything
 * of it is written, with the time after which it would fit (429 + Retry-After over HTTP,
 * RESOURCE_EXHAUSTED + RetryInfo over gRPC): exporters retry, so nothing acknowledged is dropped and
 * nothing refused was acknowledged. A request larger than a whole minute's quota passes when the
 * bucket is full (the bucket then owes the difference), so it is never refused forever.
 *
 * Written by hand: a bucket is a few lines, and it must use the collector's injectable clock.
 */
import { SightlineError } from '../errors.js';

/** The quota of a project in spans per minute; null or 0: unlimited. */
export type QuotaOf = (projectId: string) => Promise<number | null> | number | null;

interface Bucket {
  tokens: number;
  at: number;
  perMinute: number;
}

const MINUTE_MS = 60_000;
const MAX_RETRY_AFTER_S = 60;

export class IngestQuota {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly quotaOf: QuotaOf,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes `spans` from the project's bucket, or throws `quota_exceeded` with Retry-After. Returns
   * the refund, to call when the spans were then not stored after all (so a failed write costs no quota).
   */
  async take(projectId: string, spans: number): Promise<() => void> {
    const perMinute = (await this.quotaOf(projectId)) ?? 0;
    if (perMinute <= 0 || spans <= 0) return () => undefined;
    const now = this.now();
    let b = this.buckets.get(projectId);
    if (!b || b.perMinute !== perMinute) {
      b = { tokens: perMinute, at: now, perMinute };
      this.buckets.set(projectId, b);
    }
    // A clock that stepped back refills nothing (and takes nothing back).
    b.tokens = Math.min(perMinute, b.tokens + (Math.max(0, now - b.at) * perMinute) / MINUTE_MS);
    b.at = Math.max(b.at, now);
    const needed = Math.min(spans, perMinute);
    if (b.tokens < needed) {
      const waitMs = ((needed - b.tokens) * MINUTE_MS) / perMinute;
      throw new SightlineError('quota_exceeded', `project ${projectId} is over its ingest quota of ${perMinute} spans per minute`, {
        retryAfterSeconds: Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(waitMs / 1000))),
      });
    }
    b.tokens -= spans;
    const bucket = b;
    let refunded = false;
    return () => {
      if (refunded) return;
      refunded = true;
      bucket.tokens = Math.min(bucket.perMinute, bucket.tokens + spans);
    };
  }
}
