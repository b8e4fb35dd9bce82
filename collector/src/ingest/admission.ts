/**
 * A budget of request bytes the receiver may hold at once (read, decoded, waiting to be encoded into
 * the write queue). The write queue bounds spans already accepted; this bounds the step before it,
 * where a burst of large requests would otherwise be read and decoded all at once, past any bound.
 * A request reserves its declared length (or the body limit when it declares none) before a byte is
 * read, and releases it when answered. One request is always let in, so a body as large as the limit
 * is never refused for its size alone.
 */
import { SightlineError } from '../errors.js';

export class RequestBudget {
  private used = 0;

  constructor(
    readonly maxBytes: number,
    private readonly retryAfterSeconds: number,
  ) {}

  get inUse(): number {
    return this.used;
  }

  /** Reserves `bytes`; returns the release function. Throws `overloaded` when the budget is spent. */
  reserve(bytes: number): () => void {
    if (this.used > 0 && this.used + bytes > this.maxBytes) {
      throw new SightlineError('overloaded', 'too many spans are being received at once', {
        retryAfterSeconds: this.retryAfterSeconds,
      });
    }
    this.used += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= bytes;
    };
  }
}
