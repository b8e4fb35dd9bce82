/**
 * The write path: de-duplicate → append to the write-ahead log → batch → insert into ClickHouse.
 * `accept` resolves once rows are safe: fsynced to the log, or (log disabled) inserted.
 * Memory is bounded by `queueMaxSpans`: past it, senders get 429 with Retry-After.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { SightlineError } from '../errors.js';
import type { Logger } from '../logger.js';
import { execRawInsert, type Storage } from '../storage/client.js';
import { encodeSpanRow, SPAN_COLUMNS } from '../storage/row-encoding.js';
import type { SpanRow } from '../storage/span-row.js';
import type { IngestResult, IngestSink } from './ingest-sink.js';
import { RecentSpanSet } from './recent-span-set.js';
import { SegmentLog, type Segment } from './segment-log.js';

export interface PipelineOptions {
  batchMaxSpans: number;
  flushIntervalMs: number;
  queueMaxSpans: number;
  /** Directory of the write-ahead log; undefined disables it. */
  walDir: string | undefined;
  dedupCapacity: number;
  logger: Logger;
}

export interface PipelineStats {
  queuedSpans: number;
  walBytes: number;
  acceptedSpans: number;
  duplicateSpans: number;
  writtenSpans: number;
  storageOk: boolean;
}

const RETRY_AFTER_OVERLOADED_S = 1;
const RETRY_AFTER_UNAVAILABLE_S = 5;
const MAX_INSERT_BACKOFF_MS = 10_000;

export class IngestPipeline implements IngestSink {
  private readonly recent: RecentSpanSet;
  private readonly waiting: Segment[] = []; // rotated out, not yet in ClickHouse
  private waitingRows = 0;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private nextAttemptAt = 0;
  private stopped = false;
  private readonly counters = { accepted: 0, duplicates: 0, written: 0 };

  private constructor(
    private readonly client: ClickHouseClient,
    private readonly insertRaw: Storage['insertRaw'],
    private readonly log: SegmentLog,
    private readonly opts: PipelineOptions,
  ) {
    this.recent = new RecentSpanSet(opts.dedupCapacity);
  }

  /**
   * Opens the log, replays what a previous process left in it, and starts the flush timer.
   * Given a Storage it inserts through its bulk path; given a bare client, through exec.
   */
  static async start(target: Storage | ClickHouseClient, opts: PipelineOptions): Promise<IngestPipeline> {
    const { log, leftovers } = await SegmentLog.open(opts.walDir, SPAN_COLUMNS);
    const isStorage = 'insertRaw' in target;
    const client = isStorage ? target.client : target;
    const insert: Storage['insertRaw'] = isStorage ? (r) => target.insertRaw(r) : (r) => execRawInsert(client, r);
    const pipeline = new IngestPipeline(client, insert, log, opts);
    await pipeline.seedRecent();
    for (const segment of leftovers) {
      await pipeline.insert(segment);
      log.remove(segment);
      opts.logger.info('replayed write-ahead log segment', { segment: segment.name, spans: segment.rows });
    }
    const tick = Math.max(5, Math.min(100, Math.floor(opts.flushIntervalMs / 4)));
    pipeline.timer = setInterval(() => pipeline.maybeFlush(), tick);
    pipeline.timer.unref();
    return pipeline;
  }

  get queuedSpans(): number {
    return this.log.currentRows + this.waitingRows;
  }

  stats(): PipelineStats {
    return {
      queuedSpans: this.queuedSpans,
      walBytes: this.log.bytesOnDisk,
      acceptedSpans: this.counters.accepted,
      duplicateSpans: this.counters.duplicates,
      writtenSpans: this.counters.written,
      storageOk: this.failures === 0,
    };
  }

  async accept(rows: SpanRow[]): Promise<IngestResult> {
    if (this.stopped) throw new SightlineError('unavailable', 'collector is shutting down', { retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_S });
    if (!this.log.durable && this.failures > 0) {
      throw new SightlineError('unavailable', 'storage is not accepting writes', { retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_S });
    }
    if (this.queuedSpans + rows.length > this.opts.queueMaxSpans) {
      throw new SightlineError('overloaded', `write queue is full (${this.queuedSpans} spans waiting)`, {
        retryAfterSeconds: this.failures > 0 ? RETRY_AFTER_UNAVAILABLE_S : RETRY_AFTER_OVERLOADED_S,
      });
    }
    const fresh: SpanRow[] = [];
    let text = '';
    // One string, one Buffer: the same bytes go to the log file and, later, to ClickHouse.
    for (const row of rows) {
      if (!this.recent.add(row.trace_id, row.span_id)) continue;
      fresh.push(row);
      text += encodeSpanRow(row);
    }
    const duplicates = rows.length - fresh.length;
    this.counters.duplicates += duplicates;
    if (fresh.length === 0) return { accepted: 0, duplicates };
    try {
      const stored = this.log.append(Buffer.from(text, 'utf8'), fresh.length);
      this.maybeFlush();
      await stored;
    } catch (cause) {
      // Not stored: forget the ids so the exporter's retry is not mistaken for a duplicate.
      for (const row of fresh) this.recent.delete(row.trace_id, row.span_id);
      if (cause instanceof SightlineError) throw cause;
      throw new SightlineError('unavailable', 'spans could not be stored', { retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_S, cause });
    }
    this.counters.accepted += fresh.length;
    this.maybeFlush();
    return { accepted: fresh.length, duplicates };
  }

  /** Writes everything accepted so far to ClickHouse. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.flushOnce().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  /** Stops accepting, drains everything to ClickHouse (or leaves it in the log), closes the log. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    try {
      this.nextAttemptAt = 0;
      await this.flush();
    } catch (e) {
      this.opts.logger.error('could not drain to ClickHouse at shutdown; the write-ahead log keeps the spans', { error: e });
    }
    await this.log.close();
  }

  private maybeFlush(): void {
    if (this.flushing || Date.now() < this.nextAttemptAt) return;
    const due =
      this.log.currentRows >= this.opts.batchMaxSpans ||
      (this.log.currentRows > 0 && this.log.currentAgeMs >= this.opts.flushIntervalMs) ||
      this.waiting.length > 0;
    if (due) this.flush().catch(() => undefined); // failures are logged and retried by flushOnce
  }

  private async flushOnce(): Promise<void> {
    const segment = await this.log.rotate();
    if (segment.rows > 0) {
      this.waiting.push(segment);
      this.waitingRows += segment.rows;
    }
    while (this.waiting.length > 0) {
      const next = this.waiting[0]!;
      try {
        await this.insert(next);
      } catch (error) {
        this.failures++;
        const backoff = Math.min(MAX_INSERT_BACKOFF_MS, 250 * 2 ** Math.min(this.failures, 6));
        this.nextAttemptAt = Date.now() + backoff;
        this.opts.logger.error('insert into ClickHouse failed', { spans: next.rows, retryInMs: backoff, error });
        if (!this.log.durable) {
          // Nothing acknowledged these rows yet: fail their requests so the exporters retry.
          this.waiting.shift();
          this.waitingRows -= next.rows;
          for (const w of next.waiters) w.reject(error);
        }
        throw error;
      }
      this.waiting.shift();
      this.waitingRows -= next.rows;
      this.failures = 0;
      this.counters.written += next.rows;
      this.log.remove(next);
      for (const w of next.waiters) w.resolve();
    }
  }

  private async insert(segment: Segment): Promise<void> {
    if (segment.rows === 0) return;
    const body = segment.chunks.length === 1 ? segment.chunks[0]! : Buffer.concat(segment.chunks);
    await this.insertRaw({
      table: 'spans',
      format: 'JSONCompactEachRow',
      columns: segment.columns,
      body,
      settings: {
        // A replayed segment carries the same token: ClickHouse (and the views) skip it if stored.
        insert_deduplication_token: segment.name,
        deduplicate_blocks_in_dependent_materialized_views: 1,
        async_insert: 0,
      },
    });
  }

  /** Remembers spans stored in the last minutes, so a retry arriving after a restart is still caught. */
  private async seedRecent(): Promise<void> {
    if (this.opts.dedupCapacity === 0) return;
    const rs = await this.client.query({
      query: `SELECT trace_id, span_id FROM spans
              WHERE start_time >= now64(9) - INTERVAL 2 DAY AND ingested_at >= now64(3) - INTERVAL 15 MINUTE
              ORDER BY ingested_at DESC LIMIT {limit:UInt32}`,
      query_params: { limit: Math.floor(this.opts.dedupCapacity / 2) },
      format: 'JSONCompactEachRow',
    });
    for (const [traceId, spanId] of await rs.json<[string, string]>()) this.recent.add(traceId, spanId);
  }
}
