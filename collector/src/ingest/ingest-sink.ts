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
  /**
   * Called before the body is read with its declared size (the body limit when undeclared): throws
   * a SightlineError (`overloaded`/`unavailable`) to refuse the request at once; returns a release
   * function, called when the request is answered with the number of spans its body held (when it
   * was decoded), so the sink learns how many spans a byte brings.
   */
  admit?(declaredBytes: number): (decodedSpans?: number) => void;
  /** `projectId`: the project of the caller's credentials; every row is stored in it. */
  accept(rows: SpanRow[], projectId: string): Promise<IngestResult>;
  /** Counts spans the receiver rejected as invalid (reported in /api/health). */
  recordRejected?(count: number): void;
}
