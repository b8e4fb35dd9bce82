/**
 * The write path: admit → de-duplicate → append to the write-ahead log → batch → insert into
 * ClickHouse (isolating refused rows into the quarantine).
 *
 * `accept` resolves once rows are safe: fsynced to the log, or (log disabled) inserted. Memory is
 * bounded twice: request bytes being received (`admit`, admission.ts) and spans accepted but not yet
 * in ClickHouse (`queueMaxSpans`, counting appends still waiting for their fsync); past either,
 * senders get 429 with Retry-After. Storage failures are retried with back-off and never block
 * start-up; with the log disabled, requests are refused (503) only while a retry is not yet due, so
 * the first request after storage recovers is the probe that proves it.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { SightlineError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { RawInsert, Storage } from '../storage/client.js';
import { insertErrorReason } from '../storage/insert-errors.js';
import { encodeSpanRows } from '../storage/row-binary.js';
import type { SpanRow } from '../storage/span-row.js';
import { RequestBudget } from './admission.js';
import type { IngestResult, IngestSink } from './ingest-sink.js';
import { Quarantine, type QuarantineEntry, type QuarantineStats } from './quarantine.js';
import { markSegmentStored, seedFromStorage } from './recovery.js';
import { SPAN_SEGMENTS } from './segment-format.js';
import { SegmentLog, type Segment } from './segment-log.js';
import { writeSegment } from './segment-writer.js';
import { SpanDedup } from './span-dedup.js';
import type { WalFs } from './wal-fs.js';

export interface PipelineOptions {
  batchMaxSpans: number;
  flushIntervalMs: number;
  queueMaxSpans: number;
  /** Directory of the write-ahead log; undefined disables it. */
  walDir: string | undefined;
  /**
   * Where rows that ClickHouse refuses are set aside. The collector always gives one under its data
   * dir; embedded uses (tests, the drift evaluation) may leave it out and get one beside the log, or
   * a temporary one when there is no log.
   */
  quarantineDir?: string;
  dedupCapacity: number;
  /** Request bytes the receiver may hold at once; default 32 MiB. */
  maxInflightBytes?: number;
  logger: Logger;
  now?: () => number;
  /** The log's file system (tests inject disk failures). */
  walFs?: WalFs;
}

export interface PipelineStats {
  queuedSpans: number;
  walBytes: number;
  acceptedSpans: number;
  duplicateSpans: number;
  writtenSpans: number;
  storageOk: boolean;
  /** Why the last insert failed, while inserts are failing. */
  storageError: string | null;
  /** Milliseconds since the oldest span still waiting for ClickHouse was accepted. */
  backlogAgeMs: number;
  /** Why the log cannot take appends, while it cannot. */
  walError: string | null;
  inflightBytes: number;
  quarantine: QuarantineStats;
}

const RETRY_AFTER_OVERLOADED_S = 1;
const RETRY_AFTER_UNAVAILABLE_S = 5;
const MAX_INSERT_BACKOFF_MS = 10_000;
const DEFAULT_MAX_INFLIGHT_BYTES = 32 * 1024 * 1024;
/** Weight of the newest request in the spans-per-byte estimate. */
const SPANS_PER_BYTE_SMOOTHING = 0.2;
/** A segment that failed this often while other inserts succeeded is split as if its rows were bad. */
const BLAME_ROWS_AFTER_ATTEMPTS = 3;

interface Attempts {
  count: number;
  firstFailedAt: number;
}

export class IngestPipeline implements IngestSink {
  private readonly dedup: SpanDedup;
  private readonly budget: RequestBudget;
  private readonly now: () => number;
  private readonly waiting: Segment[] = []; // rotated out (or replayed), not yet in ClickHouse
  private readonly attempts = new WeakMap<Segment, Attempts>();
  private waitingRows = 0;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private lastError: string | null = null;
  private walError: string | null = null;
  private lastSuccessAt = 0;
  private nextAttemptAt = 0;
  private stopped = false;
  private readonly counters = { accepted: 0, duplicates: 0, written: 0 };
  /** Spans expected from the requests being received (admitted, not yet answered). */
  private expectedSpans = 0;
  /** Learned from decoded requests; starts at one span per 512 bytes (a small protobuf agent span). */
  private spansPerByte = 1 / 512;

  private constructor(
    private readonly client: ClickHouseClient,
    private readonly insertRaw: (insert: RawInsert) => Promise<void>,
    private readonly log: SegmentLog,
    private readonly quarantine: Quarantine,
    private readonly opts: PipelineOptions,
  ) {
    this.dedup = new SpanDedup(opts.dedupCapacity);
    this.now = opts.now ?? Date.now;
    this.budget = new RequestBudget(opts.maxInflightBytes ?? DEFAULT_MAX_INFLIGHT_BYTES, RETRY_AFTER_OVERLOADED_S);
  }

  /**
   * Opens the log and the quarantine, queues what a previous process left in the log, and starts the
   * flush timer. Never fails for a segment ClickHouse refuses or for storage being down: those are
   * retried (or quarantined) by the flusher like any other batch. Inserts go through the storage's
   * bulk path (binary rows: the embedded engine reads them from a file, a server over HTTP).
   */
  static async start(storage: Storage, opts: PipelineOptions): Promise<IngestPipeline> {
    const { log, leftovers } = await SegmentLog.open(opts.walDir, SPAN_SEGMENTS, { fs: opts.walFs, now: opts.now });
    const client = storage.client;
    const insert = (r: RawInsert) => storage.insertRaw(r);
    const quarantineDir =
      opts.quarantineDir ?? (opts.walDir ? join(opts.walDir, '..', 'quarantine') : join(tmpdir(), `sightline-quarantine-${process.pid}`));
    const pipeline = new IngestPipeline(client, insert, log, Quarantine.open(quarantineDir), opts);
    if (opts.dedupCapacity > 0) {
      await seedFromStorage(client, opts.dedupCapacity, pipeline.dedup).catch((error: unknown) =>
        opts.logger.warn('could not read recent span ids from ClickHouse; retries across this restart may be stored twice', { error }),
      );
      // Rows in the log or the quarantine are durable: a retry of them is a duplicate.
      for (const segment of leftovers) markSegmentStored(segment, pipeline.dedup);
      for (const segment of pipeline.quarantine.peek()) markSegmentStored(segment, pipeline.dedup);
    }
    for (const segment of leftovers) pipeline.enqueue(segment);
    if (leftovers.length > 0) {
      opts.logger.info('replaying write-ahead log', { segments: leftovers.length, spans: pipeline.waitingRows });
      await pipeline.flush().catch(() => undefined); // logged by the flusher; retried on the timer
    }
    const tick = Math.max(5, Math.min(100, Math.floor(opts.flushIntervalMs / 4)));
    pipeline.timer = setInterval(() => pipeline.maybeFlush(), tick);
    pipeline.timer.unref();
    return pipeline;
  }

  get queuedSpans(): number {
    return this.log.currentRows + this.log.pendingRows + this.waitingRows;
  }

  stats(): PipelineStats {
    const oldest = this.waiting[0]?.openedAt ?? (this.log.currentRows > 0 ? this.now() - this.log.currentAgeMs : undefined);
    return {
      queuedSpans: this.queuedSpans,
      walBytes: this.log.bytesOnDisk,
      acceptedSpans: this.counters.accepted,
      duplicateSpans: this.counters.duplicates,
      writtenSpans: this.counters.written,
      storageOk: this.failures === 0,
      storageError: this.failures === 0 ? null : this.lastError,
      backlogAgeMs: oldest === undefined ? 0 : Math.max(0, this.now() - oldest),
      walError: this.walError,
      inflightBytes: this.budget.inUse,
      quarantine: this.quarantine.stats(),
    };
  }

  /**
   * Called before a request body is read: refuses at once when the queue is full, storage is known
   * to be failing (log disabled), too many request bytes are already held, or the spans the requests
   * being received will bring (estimated from their bytes) would not fit in the queue's free room.
   * The last rule keeps the collector from decoding requests it would then refuse: under a flood,
   * decoding was most of its CPU, and requests queued behind refused ones waited past the
   * exporters' timeouts. Returns the release, which learns spans per byte from what was decoded.
   */
  admit(declaredBytes: number): (decodedSpans?: number) => void {
    this.checkAccepting(0);
    const expected = Math.ceil(declaredBytes * this.spansPerByte);
    if (this.expectedSpans > 0 && this.queuedSpans + this.expectedSpans + expected > this.opts.queueMaxSpans) {
      throw new SightlineError(
        'overloaded',
        `write queue is nearly full (${this.queuedSpans} spans waiting, ${this.expectedSpans} arriving)`,
        {
          retryAfterSeconds: this.failures > 0 ? RETRY_AFTER_UNAVAILABLE_S : RETRY_AFTER_OVERLOADED_S,
        },
      );
    }
    const releaseBytes = this.budget.reserve(declaredBytes);
    this.expectedSpans += expected;
    let released = false;
    return (decodedSpans) => {
      if (released) return;
      released = true;
      releaseBytes();
      this.expectedSpans -= expected;
      if (decodedSpans !== undefined && declaredBytes > 0) {
        this.spansPerByte += SPANS_PER_BYTE_SMOOTHING * (decodedSpans / declaredBytes - this.spansPerByte);
      }
    };
  }

  async accept(rows: SpanRow[], projectId: string): Promise<IngestResult> {
    this.checkAccepting(rows.length);
    // The project comes from the caller's credentials, never from the spans' content.
    for (const row of rows) row.project_id = projectId;
    const claim = this.dedup.claim(rows);
    this.counters.duplicates += claim.duplicates;
    if (claim.fresh.length > 0) {
      // One Buffer: the same bytes go to the log file and, later, to ClickHouse.
      const stored = claim.track(this.log.append(encodeSpanRows(claim.fresh), claim.fresh.length));
      this.maybeFlush();
      try {
        await stored;
      } catch (cause) {
        if (cause instanceof SightlineError) throw cause;
        this.walError = this.log.durable ? errorMessage(cause) : this.walError;
        throw new SightlineError('unavailable', 'spans could not be stored', { retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_S, cause });
      }
      if (this.log.durable) this.walError = null;
      this.counters.accepted += claim.fresh.length;
      this.maybeFlush();
    }
    if (claim.earlierWrites.length > 0) {
      try {
        await Promise.all(claim.earlierWrites);
      } catch (cause) {
        throw new SightlineError('unavailable', 'an earlier copy of some of these spans could not be stored', {
          retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_S,
          cause,
        });
      }
    }
    return { accepted: claim.fresh.length, duplicates: claim.duplicates };
  }

  /** Writes everything accepted so far to ClickHouse. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.flushOnce().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  quarantineEntries(): QuarantineEntry[] {
    return this.quarantine.list();
  }

  /** Puts quarantined rows back in the queue (after a fix); rows refused again return to the quarantine. */
  replayQuarantine(): { entries: number; spans: number } {
    const segments = this.quarantine.takeForReplay();
    for (const segment of segments) this.enqueue(segment);
    this.nextAttemptAt = 0;
    this.maybeFlush();
    return { entries: segments.length, spans: segments.reduce((n, s) => n + s.rows, 0) };
  }

  /** Stops accepting, drains everything to ClickHouse (or leaves it in the log), closes the log. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    try {
      this.nextAttemptAt = 0;
      await this.flush();
    } catch (e) {
      this.opts.logger.error('could not drain to ClickHouse at shutdown; the write-ahead log keeps the spans', {
        reason: insertErrorReason(e),
      });
    }
    for (const segment of this.waiting) for (const w of segment.waiters) w.reject(new Error('collector stopped'));
    await this.log.close();
  }

  /**
   * Leaves as a crash would: no drain, the log's files closed as they are. What a restart then finds
   * is what a kill -9 leaves (tests of recovery use it in-process).
   */
  async abandon(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.flushing) await this.flushing.catch(() => undefined);
    await this.log.close();
  }

  private checkAccepting(spans: number): void {
    if (this.stopped)
      throw new SightlineError('unavailable', 'collector is shutting down', { retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_S });
    if (!this.log.durable && this.failures > 0 && this.now() < this.nextAttemptAt) {
      throw new SightlineError('unavailable', 'storage is not accepting writes', { retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_S });
    }
    if (this.queuedSpans + spans > this.opts.queueMaxSpans || (spans === 0 && this.queuedSpans >= this.opts.queueMaxSpans)) {
      throw new SightlineError('overloaded', `write queue is full (${this.queuedSpans} spans waiting)`, {
        retryAfterSeconds: this.failures > 0 ? RETRY_AFTER_UNAVAILABLE_S : RETRY_AFTER_OVERLOADED_S,
      });
    }
  }

  private enqueue(segment: Segment): void {
    this.waiting.push(segment);
    this.waitingRows += segment.rows;
  }

  private dequeue(segment: Segment): void {
    const i = this.waiting.indexOf(segment);
    if (i < 0) return;
    this.waiting.splice(i, 1);
    this.waitingRows -= segment.rows;
  }

  private maybeFlush(): void {
    if (this.flushing || this.now() < this.nextAttemptAt) return;
    const due =
      this.log.currentRows >= this.opts.batchMaxSpans ||
      (this.log.currentRows > 0 && this.log.currentAgeMs >= this.opts.flushIntervalMs) ||
      this.log.needsRotation ||
      this.waiting.length > 0;
    if (due) this.flush().catch(() => undefined); // failures are logged and retried by flushOnce
  }

  private async flushOnce(): Promise<void> {
    try {
      await this.log.rotate((segment) => this.enqueue(segment));
    } catch (error) {
      // The next file cannot be opened (disk full?): the current segment stays current; retry later.
      if (this.walError === null) this.opts.logger.error('write-ahead log rotation failed', { error });
      this.walError = errorMessage(error);
    }
    let failed: unknown;
    let failedInARow = 0;
    for (const segment of [...this.waiting]) {
      try {
        await this.store(segment);
        failedInARow = 0;
      } catch (error) {
        failed = error;
        // Two failures in a row: storage itself is failing; the rest waits for the next attempt.
        if (++failedInARow >= 2) break;
      }
    }
    if (failed === undefined) {
      this.failures = 0;
      return;
    }
    this.failures++;
    const backoff = Math.min(MAX_INSERT_BACKOFF_MS, 250 * 2 ** Math.min(this.failures, 6));
    this.nextAttemptAt = this.now() + backoff;
    this.lastError = insertErrorReason(failed);
    this.opts.logger.error('insert into ClickHouse failed', { reason: this.lastError, retryInMs: backoff, queuedSpans: this.queuedSpans });
    throw failed;
  }

  private async store(segment: Segment): Promise<void> {
    const seen = this.attempts.get(segment);
    const blameRows = seen !== undefined && seen.count >= BLAME_ROWS_AFTER_ATTEMPTS && this.lastSuccessAt > seen.firstFailedAt;
    try {
      const outcome = await writeSegment(segment, { insertRaw: this.insertRaw, quarantine: this.quarantine }, blameRows);
      if (outcome.quarantined > 0) {
        this.opts.logger.error('rows refused by ClickHouse were quarantined', { segment: segment.name, ...outcome });
      }
      this.lastSuccessAt = this.now();
      this.dequeue(segment);
      this.counters.written += outcome.stored;
      this.log.remove(segment);
      for (const w of segment.waiters) w.resolve();
    } catch (error) {
      this.attempts.set(segment, { count: (seen?.count ?? 0) + 1, firstFailedAt: seen?.firstFailedAt ?? this.now() });
      if (!this.log.durable) {
        // Nothing acknowledged these rows yet: fail their requests so the exporters retry.
        this.dequeue(segment);
        for (const w of segment.waiters) w.reject(error);
      }
      throw error;
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
