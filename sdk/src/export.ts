/**
 * The export pipeline's safety wrappers. The agent must never notice the collector:
 * - SafeExporter turns every export outcome into a counter and at most one log line per outage;
 *   it never throws and never reports failure upward (the batch processor would only hand the
 *   error to the global error handler and make flush() reject; the spans are lost either way).
 * - QueueAccounting mirrors the batch processor's bounded queue so that the spans it drops when
 *   full are counted and reported, which the processor itself only does at debug level.
 */
import { TraceFlags, type Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Logger } from './config.js';

export interface ExportStats {
  /** Spans the collector accepted. */
  exportedSpans: number;
  /** Spans in export requests that failed (collector down, 4xx/5xx after retries, timeout). */
  failedSpans: number;
  /** Failed export requests. */
  failedExports: number;
  /** Spans dropped because the in-memory queue was full. */
  droppedSpans: number;
}

export function emptyStats(): ExportStats {
  return { exportedSpans: 0, failedSpans: 0, failedExports: 0, droppedSpans: 0 };
}

/** Shared between the two wrappers: spans accepted into, and taken out of, the processor's queue. */
export interface QueueCounters {
  accepted: number;
  handedOff: number;
}

export class SafeExporter implements SpanExporter {
  private failing = false;
  private lostThisOutage = 0;

  constructor(
    private readonly inner: SpanExporter,
    private readonly stats: ExportStats,
    private readonly queue: QueueCounters,
    private readonly logger: Logger,
    private readonly target: string,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const n = spans.length;
    this.queue.handedOff += n;
    let settled = false;
    const done = (ok: boolean, error?: unknown) => {
      if (settled) return;
      settled = true;
      if (ok) this.succeeded(n);
      else this.failed(n, error);
      resultCallback({ code: ExportResultCode.SUCCESS });
    };
    try {
      this.inner.export(spans, (r) => done(r.code === ExportResultCode.SUCCESS, r.error));
    } catch (e) {
      done(false, e);
    }
  }

  private succeeded(n: number): void {
    this.stats.exportedSpans += n;
    if (this.failing) {
      this.failing = false;
      this.logger.warn(`export to ${this.target} recovered; ${this.lostThisOutage} spans were lost while it failed`);
      this.lostThisOutage = 0;
    }
  }

  private failed(n: number, error: unknown): void {
    this.stats.failedSpans += n;
    this.stats.failedExports += 1;
    this.lostThisOutage += n;
    if (!this.failing) {
      this.failing = true;
      this.logger.warn(
        `export to ${this.target} failed (${describe(error)}); spans are dropped until it recovers, ` +
          'further failures are counted silently (see getStats())',
      );
    }
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown().catch(() => undefined);
  }

  forceFlush(): Promise<void> {
    return (this.inner.forceFlush?.() ?? Promise.resolve()).catch(() => undefined);
  }
}

/** Wraps the batch processor; drops are decided by the same rule the processor applies. */
export class QueueAccounting implements SpanProcessor {
  private warnedDrop = false;

  constructor(
    private readonly inner: SpanProcessor,
    private readonly maxQueueSize: number,
    private readonly stats: ExportStats,
    private readonly queue: QueueCounters,
    private readonly logger: Logger,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0) {
      if (this.queue.accepted - this.queue.handedOff >= this.maxQueueSize) {
        this.stats.droppedSpans += 1;
        if (!this.warnedDrop) {
          this.warnedDrop = true;
          this.logger.warn(
            `span queue full (${this.maxQueueSize}); dropping spans until the exporter catches up ` +
              '(the total is reported at shutdown and in getStats())',
          );
        }
      } else {
        this.queue.accepted += 1;
      }
    }
    this.inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error ?? 'unknown error');
}
