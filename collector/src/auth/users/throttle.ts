/**
 * Throttled sign-in attempts: a key (an account's email, a client address) gets a few free
 * failures, then each further failure locks it for twice as long as the one before, up to a
 * ceiling. While locked, attempts are refused (429 with Retry-After) before any password is
 * checked, so guessing goes no faster than the lock allows. A success clears the key. Failures
 * older than `forgetAfterMs` are forgotten. The clock is injected so tests can move time.
 *
 * State lives in the process: several collectors behind one address each keep their own (an
 * attacker spreading attempts over N collectors gets N times the rate, still bounded).
 */
export interface ThrottlePolicy {
  freeFailures: number;
  baseLockMs: number;
  maxLockMs: number;
  forgetAfterMs: number;
  /** Keys remembered at most; the oldest are dropped first. */
  maxKeys: number;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export class AttemptThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly policy: ThrottlePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  waitMs(key: string): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.lockedUntil - this.now()) : 0;
  }

  failed(key: string): void {
    const now = this.now();
    const old = this.entries.get(key);
    const failures = old && now - old.lastFailureAt < this.policy.forgetAfterMs ? old.failures + 1 : 1;
    const over = failures - this.policy.freeFailures;
    const lockMs = over < 0 ? 0 : Math.min(this.policy.maxLockMs, this.policy.baseLockMs * 2 ** Math.min(over, 30));
    this.entries.delete(key); // re-inserted last: the Map's order is the eviction order
    this.entries.set(key, { failures, lastFailureAt: now, lockedUntil: now + lockMs });
    while (this.entries.size > this.policy.maxKeys) this.entries.delete(this.entries.keys().next().value!);
  }

  succeeded(key: string): void {
    this.entries.delete(key);
  }
}

/** Per account: 5 free failures, then 1 s, 2 s, 4 s … up to 15 minutes. */
export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  baseLockMs: 1_000,
  maxLockMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxKeys: 100_000,
};

/** Per client address: more room (a team behind one NAT), same growth. */
export const ADDRESS_POLICY: ThrottlePolicy = { ...ACCOUNT_POLICY, freeFailures: 20 };
