/**
 * What every OTLP trace receiver does once it holds a request body: decode → count the rejected
 * spans → normalize → hand the rows to the write path. The HTTP routes and the gRPC service differ
 * only in how bodies arrive and how answers and errors are framed.
 */
import type { IngestSink } from '../ingest/ingest-sink.js';
import type { Logger } from '../logger.js';
import { normalizeRows, type NormalizeFailureHandler } from '../normalize/index.js';
import type { SpanPricer } from '../pricing/pricer.js';
import { decodeTraceRequest, type OtlpFormat } from './decode.js';
import type { LogSink } from './receive-logs.js';
import { rateLimited } from './rate-limited.js';

export interface OtlpSink extends IngestSink, Partial<LogSink> {
  /** Counts spans the receiver rejected as invalid (reported in /api/health). */
  recordRejected?(count: number): void;
  /** Prices model calls after normalization (cost in dollars); absent, spans are stored unpriced. */
  pricer?: SpanPricer | undefined;
}

export interface TraceReceiver {
  /** Stores what can be stored; resolves with the partial-success figures for the answer. */
  receive(
    body: Uint8Array,
    format: OtlpFormat,
    projectId: string,
    onDecoded?: (spans: number) => void,
  ): Promise<{ rejected: number; rejectionMessage: string }>;
}

const SPAN_BUG_LOG_INTERVAL_MS = 60_000;

export function traceReceiver(sink: OtlpSink, logger: Logger | undefined): TraceReceiver {
  const onSpanError = rateLimited(SPAN_BUG_LOG_INTERVAL_MS, (skipped, err: unknown, span: string) =>
    logger?.error('span rejected: building its row threw', { span: span.slice(0, 100), error: err, skippedSinceLastLog: skipped }),
  );
  const onNormalizeFailure: NormalizeFailureHandler = rateLimited(
    SPAN_BUG_LOG_INTERVAL_MS,
    (skipped, err: unknown, normalizer: string, row) =>
      logger?.error('normalizer threw; span stored as decoded', {
        normalizer,
        span: row.name.slice(0, 100),
        error: err,
        skippedSinceLastLog: skipped,
      }),
  );
  return {
    async receive(body, format, projectId, onDecoded) {
      const { rows, rejected, rejectionMessage } = decodeTraceRequest(body, format, { onSpanError });
      onDecoded?.(rows.length + rejected);
      if (rejected > 0) sink.recordRejected?.(rejected);
      normalizeRows(rows, undefined, onNormalizeFailure);
      sink.pricer?.priceRows(rows, projectId);
      if (rows.length > 0) await sink.accept(rows, projectId);
      return { rejected, rejectionMessage };
    },
  };
}
