/**
 * Keeps a span open until an async iterable (a model stream, an async generator) is consumed.
 * The iterable is instrumented in place, through its own `Symbol.asyncIterator`, so the caller
 * gets back the very object it would have got (same identity, prototype and methods).
 */

export interface StreamObserver<T> {
  onChunk?(chunk: T): void;
  /** Called once: on completion, on early exit (`break`), or with the error the stream threw. */
  onEnd(error?: unknown): void;
}

/** Event-emitter streams and web ReadableStreams are consumed in other ways too; leave those alone. */
export function isTrackableAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const v = value as Record<PropertyKey, unknown>;
  return (
    typeof v[Symbol.asyncIterator] === 'function' &&
    typeof v.then !== 'function' &&
    typeof v.on !== 'function' &&
    typeof v.getReader !== 'function'
  );
}

/** Returns false (and leaves the object untouched) when it cannot be instrumented, e.g. frozen. */
export function observeAsyncIterable<T>(iterable: AsyncIterable<T>, observer: StreamObserver<T>): boolean {
  const original = iterable[Symbol.asyncIterator];
  let ended = false;
  const end = (error?: unknown) => {
    if (ended) return;
    ended = true;
    try {
      observer.onEnd(error);
    } catch {
      // Telemetry bookkeeping must not break the consumer's loop.
    }
  };
  const chunk = (value: T) => {
    if (!observer.onChunk) return;
    try {
      observer.onChunk(value);
    } catch {
      // as above
    }
  };

  function instrumented(this: AsyncIterable<T>): AsyncIterator<T> {
    const it = original.call(this);
    const wrapped: AsyncIterator<T> = {
      next: (...args: [] | [unknown]) =>
        it.next(...args).then(
          (r) => {
            if (r.done) end();
            else chunk(r.value);
            return r;
          },
          (e: unknown) => {
            end(e);
            throw e;
          },
        ),
    };
    if (typeof it.return === 'function') {
      const ret = it.return.bind(it);
      wrapped.return = (value?: unknown) => {
        end();
        return ret(value as T);
      };
    } else {
      wrapped.return = (value?: unknown) => {
        end();
        return Promise.resolve({ done: true, value: value as T });
      };
    }
    if (typeof it.throw === 'function') {
      const thr = it.throw.bind(it);
      wrapped.throw = (e?: unknown) => {
        end(e);
        return thr(e);
      };
    }
    return wrapped;
  }

  try {
    Object.defineProperty(iterable, Symbol.asyncIterator, {
      value: instrumented,
      configurable: true,
      writable: true,
      enumerable: false,
    });
    return true;
  } catch {
    return false;
  }
}
