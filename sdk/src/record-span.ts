/**
 * The one place a span is started, run and ended; every helper goes through it (as vercel/ai's
 * `recordSpan`). It keeps the wrapped function's contract exactly:
 * - the same return value: a promise or thenable is observed, not replaced, so the caller gets
 *   the very object the function returned (an OpenAI APIPromise keeps `.withResponse()`);
 * - the same error, rethrown unchanged after the span is marked;
 * - the same `this`;
 * - async iterables stay the same object and the span ends when iteration ends.
 */
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { ERROR_TYPE, ERROR_TYPE_OTHER, GEN_AI_CONVERSATION_ID, SESSION_ID } from './semconv.js';
import { getSessionId } from './session.js';
import { SightlineSpan } from './span-handle.js';
import { state } from './state.js';
import { isTrackableAsyncIterable, observeAsyncIterable } from './stream.js';

export interface RecordSpanOptions {
  name: string;
  /** The span's initial attributes. Owned by the call: the session attributes are added to it. */
  attributes: Attributes;
  kind?: SpanKind;
  /** Parent context (default: the active one); the helpers use it to add their own values. */
  context?: Context;
  /** The value the function produced (after a promise settles), before the span ends. */
  onValue?: (span: SightlineSpan, value: unknown) => void;
  /** One item of a returned async iterable; `onEnd` then runs when iteration ends. */
  onChunk?: (span: SightlineSpan, chunk: unknown) => void;
  onStreamEnd?: (span: SightlineSpan) => void;
}

export function recordSpan<T>(options: RecordSpanOptions, fn: (span: SightlineSpan) => T, thisArg?: unknown): T {
  const s = state();
  const parent = options.context ?? context.active();
  const sessionId = getSessionId(parent);
  if (sessionId !== undefined) {
    options.attributes[SESSION_ID] = sessionId;
    options.attributes[GEN_AI_CONVERSATION_ID] = sessionId;
  }
  const clock = s.clock;
  const span = s.tracer.startSpan(
    options.name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, startTime: clock?.() },
    parent,
  );
  const handle = new SightlineSpan(span, s);

  let result: T;
  try {
    result = context.with(trace.setSpan(parent, span), fn, thisArg, handle);
  } catch (error) {
    fail(span, error, clock);
    span.end(clock?.());
    throw error;
  }

  if (isThenable(result)) {
    // Observe, don't chain: the caller keeps its own object. Both callbacks are guarded, so this
    // side branch can never produce an unhandled rejection of its own.
    try {
      result.then(
        (value) => settle(options, handle, value, clock),
        (error: unknown) => {
          fail(span, error, clock);
          span.end(clock?.());
        },
      );
    } catch {
      span.end(clock?.()); // a thenable whose then() throws: not ours to report
    }
    return result;
  }
  settle(options, handle, result, clock);
  return result;
}

function settle(options: RecordSpanOptions, handle: SightlineSpan, value: unknown, clock: (() => number) | undefined): void {
  const span = handle.span;
  try {
    if (isTrackableAsyncIterable(value) && span.isRecording()) {
      const tracked = observeAsyncIterable(value, {
        onChunk: options.onChunk ? (chunk) => options.onChunk!(handle, chunk) : undefined,
        onEnd: (error) => {
          if (error !== undefined) fail(span, error, clock);
          else options.onStreamEnd?.(handle);
          span.end(clock?.());
        },
      });
      if (tracked) return;
    }
    options.onValue?.(handle, value);
  } catch {
    // Reading the result for telemetry must never affect the agent.
  }
  span.end(clock?.());
}

/** Marks the span failed: ERROR status, `error.type`, and an exception event. */
export function fail(span: Span, error: unknown, clock?: () => number): void {
  try {
    const time = clock?.();
    if (error instanceof Error) span.recordException(error, time);
    else span.recordException({ name: ERROR_TYPE_OTHER, message: String(error) }, time);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    span.setAttribute(ERROR_TYPE, errorType(error));
  } catch {
    // never let bookkeeping replace the app's error
  }
}

/** The class name for custom errors (`class RateLimitError extends Error`), else `name`, else `_OTHER`. */
export function errorType(error: unknown): string {
  if (!(error instanceof Error)) return ERROR_TYPE_OTHER;
  const ctor = (error.constructor as { name?: string } | undefined)?.name;
  if (ctor && ctor !== 'Error') return ctor;
  return error.name || 'Error';
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}
