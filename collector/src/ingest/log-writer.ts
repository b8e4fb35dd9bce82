/**
 * The write path of log records: a group-commit batcher that inserts straight into ClickHouse.
 *
 * Chosen over the span write-ahead log on purpose. The log is built around the span row (its segment
 * header is the span column list, recovery and de-duplication key on span ids), and a second log
 * for a second row type would double that machinery for a signal that is far smaller than spans.
 * Instead `write` resolves only after the insert that carries its rows succeeded, so a 2xx still
 * means the records are in ClickHouse; when the insert fails the request fails (503, the exporter
 * retries). Batching comes from group commit: while one insert runs, records from the requests
 * arriving meanwhile wait and go in the next insert together, so under load inserts grow instead
 * of multiplying, and a lone request is inserted at once (no timer adds latency).
 *
 * A retried request whose first answer was lost must not be stored twice, yet a log record has no
 * id: its identity is a digest of its encoded content (record index within its request included, so
 * two equal records of one request stay two). Recent identities are remembered as spans' are
 * (span-dedup.ts: counted only once durable, a copy arriving in flight shares the first's outcome);
 * past that memory (a retry across a restart) the table's ReplacingMergeTree folds the copy by the
 * same content key on merge, and the trace view reads with FINAL.
 */
import { createHash } from 'node:crypto';
import { SightlineError } from '../errors.js';
import type { RawInsert } from '../storage/client.js';
import { insertErrorReason } from '../storage/insert-errors.js';
import { encodeLogRow, LOG_COLUMNS, type LogRow } from '../storage/log-table.js';
import { SpanDedup } from './span-dedup.js';

export interface LogWriterOptions {
  /** Records waiting for an insert past which requests are refused (429): bounds memory. */
  maxQueuedRecords: number;
  /** Recent record identities remembered to drop retried copies. */
  dedupCapacity?: number;
}

const DEFAULT_DEDUP_CAPACITY = 500_000;

/** A record's identity in the shape the dedup set keys on: 32 + 16 hex digits of a content digest. */
function identityOf(line: string): readonly [string, string] {
  const hex = createHash('sha256').update(line).digest('hex');
  return [hex.slice(0, 32), hex.slice(32, 48)];
}

interface Pending {
  text: string;
  count: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const RETRY_AFTER_OVERLOADED_S = 1;
const RETRY_AFTER_UNAVAILABLE_S = 5;

export class LogWriter {
  private pending: Pending[] = [];
  private queued = 0;
  private running: Promise<void> | undefined;
  private stopped = false;
  private written = 0;
  private duplicates = 0;
  private readonly dedup: SpanDedup;

  constructor(
    private readonly insertRaw: (insert: RawInsert) => Promise<void>,
    private readonly opts: LogWriterOptions = { maxQueuedRecords: 100_000 },
  ) {
    this.dedup = new SpanDedup(opts.dedupCapacity ?? DEFAULT_DEDUP_CAPACITY);
  }

  /**
   * Resolves once `rows` are in ClickHouse (or were already, as a retried copy); rejects with
   * `overloaded`/`unavailable` otherwise.
   */
  async write(rows: readonly LogRow[], projectId: string): Promise<void> {
    // The project is part of the encoded line, hence of the identity: a copy sent to another project is another record.
    const lines = rows.map((row) => ({ line: encodeLogRow({ ...row, project_id: projectId }) }));
    const claim = this.dedup.claim(lines, (l) => identityOf(l.line));
    this.duplicates += claim.duplicates;
    if (claim.fresh.length > 0) await claim.track(this.enqueue(claim.fresh.map((l) => l.line)));
    if (claim.earlierWrites.length > 0) {
      await Promise.all(claim.earlierWrites).catch((cause: unknown) => {
        throw failed(cause);
      });
    }
  }

  /** Log records dropped as retried copies since start-up. */
  duplicateRecords(): number {
    return this.duplicates;
  }

  private enqueue(lines: string[]): Promise<void> {
    const rows = lines;
    if (rows.length === 0) return Promise.resolve();
    if (this.stopped)
      return Promise.reject(
        new SightlineError('unavailable', 'collector is shutting down', { retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_S }),
      );
    // A request larger than the whole bound still goes through when nothing else waits.
    if (this.queued > 0 && this.queued + rows.length > this.opts.maxQueuedRecords) {
      return Promise.reject(
        new SightlineError('overloaded', `log write queue is full (${this.queued} records waiting)`, {
          retryAfterSeconds: RETRY_AFTER_OVERLOADED_S,
        }),
      );
    }
    const text = rows.join('');
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ text, count: rows.length, resolve, reject });
      this.queued += rows.length;
      this.kick();
    });
  }

  /** Log records accepted and waiting for (or in) an insert. */
  queuedRecords(): number {
    return this.queued;
  }

  /** Log records inserted since start-up. */
  writtenRecords(): number {
    return this.written;
  }

  /** Refuses new writes and waits for the inserts under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    while (this.running) await this.running;
  }

  private kick(): void {
    if (this.running || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.running = this.commit(batch).finally(() => {
      this.running = undefined;
      this.kick();
    });
  }

  private async commit(batch: Pending[]): Promise<void> {
    const count = batch.reduce((n, p) => n + p.count, 0);
    try {
      await this.insert(batch);
      for (const p of batch) p.resolve();
      this.written += count;
    } catch (err) {
      if (batch.length === 1) batch[0]!.reject(failed(err));
      else {
        // One request's rows may be what ClickHouse refused: try each request alone, so the others
        // are not failed for it.
        for (const p of batch) {
          await this.insert([p]).then(
            () => {
              this.written += p.count;
              p.resolve();
            },
            (e: unknown) => p.reject(failed(e)),
          );
        }
      }
    } finally {
      this.queued -= count;
    }
  }

  private insert(batch: Pending[]): Promise<void> {
    return this.insertRaw({
      table: 'logs',
      format: 'JSONCompactEachRow',
      columns: LOG_COLUMNS,
      body: Buffer.from(batch.length === 1 ? batch[0]!.text : batch.map((p) => p.text).join(''), 'utf8'),
    });
  }
}

function failed(cause: unknown): SightlineError {
  // ClickHouse quotes the refused rows (prompts) in its message: keep only what names the failure.
  const reason = insertErrorReason(cause);
  return new SightlineError('unavailable', `storing log records failed: ${reason}`, {
    retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_S,
    cause,
  });
}
