import type { SpanRow } from '../storage/span-row.js';

/** Outcome of handing decoded rows to the write path. */
export interface IngestResult {
  accepted: number;
  duplicates: number;
}

/**
 * Where the OTLP receiver hands decoded, normalized rows. `accept` resolves only once the rows are
 * safe (in ClickHouse or in the write-ahead log); it rejects with a SightlineError of code
 * `overloaded` or `unavailable` (carrying retryAfterSeconds) when the write queue is full.
 */
export interface IngestSink {
  accept(rows: SpanRow[]): Promise<IngestResult>;
  /** Counts spans the receiver rejected as invalid (reported in /api/health). */
  recordRejected?(count: number): void;
}
