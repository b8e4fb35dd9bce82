/**
 * A lease on one background job, stored in ClickHouse (`job_leases`), so that of several collectors
 * sharing a database exactly one runs the job and the others stand by.
 *
 * Protocol. A lease is a sequence of terms 1, 2, 3…; the current term is the highest one claimed.
 * - Claim: when the current term has expired (its holder stopped renewing) or was released, a
 *   contender inserts a claim of the next term with `insert_deduplication_token = job:term`. MergeTree
 *   checks the token and adds the part under one lock, so of concurrent claims of a term exactly one
 *   is stored; the others are dropped without an error. Each contender then reads the current term
 *   back: whoever's claim is stored holds the term, the others see it and stand by. This is the one
 *   compare-and-set ClickHouse offers; "insert, then pick the lowest claim" is not one (a contender
 *   that read before the winner's claim can insert a lower claim after the winner has decided).
 * - Renew: the holder rewrites its row with a later `expires_at` every ttl/3, then reads the term back.
 * - Act: the holder acts only while `holds()`: its own clock is before the expiry of its last renewal
 *   that completed in time, minus `maxClockSkewMs`. Validity is counted from the moment the renewal
 *   was *sent*, so a slow round trip shortens it rather than stretching it; a renewal that comes back
 *   after the previous validity ran out does not count (another collector may have read the lease as
 *   expired meanwhile): the holder lets the lease go and claims again like anyone else.
 * - Release (shutdown): the holder stops acting, then writes `released`; a standby claims at once.
 *
 * Why two collectors cannot both act. (1) Within a term, only the stored claim's holder acts.
 * (2) Across terms: B claims term k+1 only after reading term k expired by B's clock (now ≥ E).
 * A acts on term k only while A's clock < E − skew. With clocks at most `maxClockSkewMs` apart,
 * A's last moment of action comes before B's claim in real time. A renewal that counts was written
 * before A's clock reached E − skew, i.e. before B's clock reached E, so B's read sees it and B waits.
 *
 * Stalls and fencing. A holder that stalls (GC, suspended VM, blocked loop) past its validity finds
 * `holds()` false when it resumes, because the check reads its clock, not a flag: every job checks
 * `holds(duration)` before each write or send (alert evaluation before it writes, each delivery
 * attempt before it sends, with the attempt's timeout as the duration). It then also learns from its
 * next renewal that a later term exists. What a lease cannot fence is a request already in flight
 * when the stall began (a write that reaches the server after the new holder's); alert writes bound
 * the harm: transitions and deliveries have ids derived from (rule, scope, seq), inserted only if
 * absent, so a stale writer re-deriving them adds nothing; the lease adds that two live collectors
 * never both pick the same pending delivery, which ids alone cannot prevent (both would send it).
 *
 * Limits. Safety assumes clocks within `maxClockSkewMs` (NTP keeps them within milliseconds) and a
 * single ClickHouse server or one table (the claim tokens are per table part log; on a cluster the
 * table is replicated with `replicated_deduplication_window`, the log kept in Keeper, and reads and
 * writes take the settings of REPLICATED_LEASE_SETTINGS below). The token log
 * holds the last 10,000 claims (of all jobs): a second claim of a term is stored only if its
 * contender stalled between its read and its claim for 10,000 takeovers, far longer than a TTL, so
 * its validity (counted from before its read) has run out when the claim lands and it never acts;
 * if that claim sorts first, the holder of the term sees it at its next renewal and stops, and the
 * next term is claimed: a gap, not a double. A standby takes over within ttl (+ its renewal
 * interval) of the holder's death; a clean shutdown hands over at the next standby tick. A process
 * clock stepped backwards by more than the skew bound breaks the assumption like skew does.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClickHouseClient } from '@clickhouse/client';
import type { LeaseStatus } from '@sightline/contract';

export interface LeaseOptions {
  job: string;
  /** Who this process is: random per process (`newHolderId()`), so a restart is a new contender. */
  holder: string;
  ttlMs?: number;
  /** The largest difference between two collectors' clocks this lease tolerates. */
  maxClockSkewMs?: number;
  /** The clock that stamps expiries and decides validity (default Date.now): tests give each holder its own. */
  now?: () => number;
  /** `job_leases` is replicated to every node of a cluster (REPLICATED_LEASE_SETTINGS). */
  replicated?: boolean;
}

/**
 * On a cluster `job_leases` is one table replicated to every node, and collectors talk to different
 * nodes. A claim is still a compare-and-set: its token is checked in Keeper, so of two claims of a
 * term sent to two replicas one is stored. But a replica may lag: a standby reading an older copy
 * could take a renewed lease for expired. So every write waits for a majority of the replicas
 * (insert_quorum 'auto', one quorum write at a time: insert_quorum_parallel 0) and every read is
 * refused by a replica that lacks a write acknowledged so (select_sequential_consistency): a read
 * then sees every acknowledged renewal, which is what the argument above needs. A refused read or
 * write is a failed round: the holder's validity runs out rather than being extended. Not run here
 * (no cluster): see README, "Scale out".
 */
export const REPLICATED_LEASE_SETTINGS = {
  write: { insert_quorum: 'auto', insert_quorum_parallel: 0 },
  read: { select_sequential_consistency: '1' },
} as const;

export const DEFAULT_LEASE_TTL_MS = 30_000;
export const DEFAULT_MAX_CLOCK_SKEW_MS = 2_000;

export const newHolderId = (): string => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** Something a job can ask before it acts: "do I still hold, for at least `forMs`?" (no I/O). */
export interface LeaseGuard {
  holds(forMs?: number): boolean;
}

interface Current {
  term: number;
  holder: string;
  expiresAt: number;
  released: boolean;
}

export class Lease implements LeaseGuard {
  readonly job: string;
  readonly holder: string;
  readonly ttlMs: number;
  readonly maxClockSkewMs: number;
  private readonly now: () => number;
  /** The term this process holds, if it believes it holds one. */
  private held: { term: number; claimedAt: number } | undefined;
  /** Local clock time before which the holder may act. */
  private validUntil = 0;
  private seen: Current | undefined;
  private version = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly replicated: boolean;

  constructor(
    private readonly client: ClickHouseClient,
    o: LeaseOptions,
  ) {
    this.job = o.job;
    this.holder = o.holder;
    this.ttlMs = o.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    this.maxClockSkewMs = o.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
    // The holder stops acting a skew before its expiry: with less than a third left, leases would thrash.
    if (this.maxClockSkewMs * 3 > this.ttlMs) throw new Error('lease ttl must be at least three times the clock skew');
    this.now = o.now ?? Date.now;
    this.replicated = o.replicated ?? false;
  }

  /** True while this process holds the lease with at least `forMs` of validity left. */
  holds(forMs = 0): boolean {
    return this.held !== undefined && this.now() + forMs < this.validUntil;
  }

  /** The term held, for writes that carry it. */
  term(): number | undefined {
    return this.holds() ? this.held?.term : undefined;
  }

  status(): LeaseStatus {
    const held = this.holds();
    return {
      job: this.job,
      held,
      term: held ? this.held!.term : (this.seen?.term ?? 0),
      holder: held ? this.holder : this.seen && !this.seen.released ? this.seen.holder : null,
      expiresAt: held ? this.validUntil + this.maxClockSkewMs : this.seen && !this.seen.released ? this.seen.expiresAt : null,
    };
  }

  /** One round: renew when held, claim the next term when the current one is over. Serialized. */
  tick(): Promise<boolean> {
    const run = this.chain.then(() => this.round());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Stops acting, then tells the others they need not wait for the expiry. */
  release(): Promise<void> {
    const run = this.chain.then(async () => {
      const held = this.held;
      this.lose();
      if (held) await this.write(held.term, held.claimedAt, this.now(), true);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async round(): Promise<boolean> {
    const sent = this.now();
    const current = await this.read();
    if (this.held) {
      const mine = current?.term === this.held.term && current.holder === this.holder && !current.released;
      if (mine && sent < this.validUntil) {
        await this.write(this.held.term, this.held.claimedAt, sent + this.ttlMs, false);
        const after = await this.read();
        const still = after?.term === this.held.term && after.holder === this.holder && !after.released;
        // Too late: someone may have read the lease as expired before this renewal landed.
        if (still && this.now() < this.validUntil) {
          this.validUntil = sent + this.ttlMs - this.maxClockSkewMs;
          this.seen = after;
          return true;
        }
      }
      this.lose();
      this.seen = current;
      return false;
    }
    this.seen = current;
    // Held by someone (possibly by this process before it let go): wait for the expiry.
    if (current && !current.released && sent < current.expiresAt) return false;
    const term = (current?.term ?? 0) + 1;
    await this.claim(term, sent);
    const after = await this.read();
    this.seen = after;
    if (after?.term !== term || after.holder !== this.holder || after.released) return false;
    this.held = { term, claimedAt: sent };
    this.validUntil = sent + this.ttlMs - this.maxClockSkewMs;
    return this.holds();
  }

  private lose(): void {
    this.held = undefined;
    this.validUntil = 0;
  }

  /** The current term: the highest claimed; of two claims of one term (see Limits), the earlier. */
  private async read(): Promise<Current | undefined> {
    const rs = await this.client.query({
      query: `SELECT term, holder, toUnixTimestamp64Milli(expires_at) AS expires_ms, released
              FROM job_leases FINAL WHERE job = {job:String}
              ORDER BY term DESC, claimed_at ASC, holder ASC LIMIT 1`,
      query_params: { job: this.job },
      format: 'JSONEachRow',
      // Clears a claim's token from the embedded engine's session (see write()).
      clickhouse_settings: { insert_deduplication_token: '', ...(this.replicated ? REPLICATED_LEASE_SETTINGS.read : {}) },
    });
    const [row] = await rs.json<{ term: string; holder: string; expires_ms: string; released: number }>();
    return row
      ? { term: Number(row.term), holder: row.holder, expiresAt: Number(row.expires_ms), released: Number(row.released) === 1 }
      : undefined;
  }

  private async claim(term: number, at: number): Promise<void> {
    await this.client.insert({
      table: 'job_leases',
      format: 'JSONEachRow',
      values: [this.row(term, at, at + this.ttlMs, false)],
      // The token makes the claim a compare-and-set; async inserts would deduplicate differently.
      clickhouse_settings: {
        insert_deduplicate: 1,
        insert_deduplication_token: `${this.job}:${term}`,
        async_insert: 0,
        ...(this.replicated ? REPLICATED_LEASE_SETTINGS.write : {}),
      },
    });
  }

  /**
   * Renewals and releases stay out of the token log, which then holds only claims. Every insert
   * names all three settings: the embedded engine applies settings as session SETs that outlast the
   * statement, so a renewal would otherwise carry the previous claim's token and be dropped.
   */

  private async write(term: number, claimedAt: number, expiresAt: number, released: boolean): Promise<void> {
    await this.client.insert({
      table: 'job_leases',
      format: 'JSONEachRow',
      values: [this.row(term, claimedAt, expiresAt, released)],
      clickhouse_settings: {
        insert_deduplicate: 0,
        insert_deduplication_token: '',
        async_insert: 0,
        ...(this.replicated ? REPLICATED_LEASE_SETTINGS.write : {}),
      },
    });
  }

  private row(term: number, claimedAt: number, expiresAt: number, released: boolean) {
    // Only this process writes rows of (job, term, holder): a local counter orders them.
    this.version = Math.max(Date.now() * 1000, this.version + 1);
    return {
      job: this.job,
      term,
      holder: this.holder,
      claimed_at: claimedAt,
      expires_at: expiresAt,
      released: released ? 1 : 0,
      version: this.version,
    };
  }
}
