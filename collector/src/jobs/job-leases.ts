/**
 * The leases of one collector process: one holder id, one lease per background job, renewed (or
 * contended for) on a timer independent of the jobs, so a long job run does not let its lease lapse.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { LeaseStatus } from '@sightline/contract';
import type { Logger } from '../logger.js';
import { DEFAULT_LEASE_TTL_MS, Lease, newHolderId, type LeaseOptions } from './lease.js';

/** The jobs that must run in one collector at a time. */
export const JOBS = { alerts: 'alerts', drift: 'drift' } as const;
export type JobName = (typeof JOBS)[keyof typeof JOBS];

export interface JobLeasesOptions {
  client: ClickHouseClient;
  logger: Logger;
  holder?: string;
  ttlMs?: number;
  maxClockSkewMs?: number;
  now?: () => number;
  /** The leases table is replicated to every node of a cluster (see REPLICATED_LEASE_SETTINGS). */
  replicated?: boolean;
  /** Renewal and standby interval; default a third of the TTL. 0 = no timer (tests call tick()). */
  renewEveryMs?: number;
}

export class JobLeases {
  readonly holder: string;
  private readonly leases = new Map<JobName, Lease>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: JobLeasesOptions) {
    this.holder = o.holder ?? newHolderId();
    for (const job of Object.values(JOBS)) {
      const options: LeaseOptions = { job, holder: this.holder };
      if (o.ttlMs !== undefined) options.ttlMs = o.ttlMs;
      if (o.maxClockSkewMs !== undefined) options.maxClockSkewMs = o.maxClockSkewMs;
      if (o.now !== undefined) options.now = o.now;
      if (o.replicated) options.replicated = true;
      this.leases.set(job, new Lease(o.client, options));
    }
  }

  lease(job: JobName): Lease {
    return this.leases.get(job)!;
  }

  /** One round for every job; a failure (storage down) is logged and the lease lapses on its own. */
  async tick(): Promise<void> {
    await Promise.all(
      [...this.leases.values()].map(async (l) => {
        const before = l.holds();
        try {
          const after = await l.tick();
          if (after !== before) this.o.logger.info(after ? 'job lease acquired' : 'job lease lost', l.status());
        } catch (e) {
          this.o.logger.warn('job lease round failed', { job: l.job, error: e });
        }
      }),
    );
  }

  /** Runs a first round now (so a lone collector holds its jobs before they start), then on the timer. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tick();
    const every = this.o.renewEveryMs ?? Math.floor((this.o.ttlMs ?? DEFAULT_LEASE_TTL_MS) / 3);
    if (every <= 0) return;
    const schedule = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.tick().finally(schedule);
      }, every);
      this.timer.unref();
    };
    schedule();
  }

  status(): LeaseStatus[] {
    return [...this.leases.values()].map((l) => l.status());
  }

  /** Stops renewing and releases what it holds: call after the jobs have stopped. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running.catch(() => undefined);
    await Promise.all(
      [...this.leases.values()].map((l) =>
        l.release().catch((e: unknown) => this.o.logger.warn('job lease release failed', { job: l.job, error: e })),
      ),
    );
  }
}
