/**
 * Runs the drift check every hour (by default), just after the hour has closed and its sessions'
 * spans had `tailMs` to arrive. A failed run is logged and retried at the next tick; it never throws
 * into the collector. With a lease (several collectors on one database), only its holder runs it.
 */
import type { LeaseGuard } from '../jobs/lease.js';
import type { Logger } from '../logger.js';
import type { DriftEngine } from './engine.js';
import { HOUR_MS } from './materialize.js';

// The schedule is hourly because checks are hourly (checkDue walks hour boundaries).

/** A standby looks this often whether it holds the lease now (no query), to catch up soon after a takeover. */
const STANDBY_POLL_MS = 60_000;

export class DriftScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly engine: DriftEngine,
    private readonly logger: Logger,
    private readonly intervalMs = HOUR_MS,
    private readonly lease?: LeaseGuard,
  ) {}

  /** Starts the schedule; a first run shortly after start catches up on hours missed while down. */
  start(firstRunDelayMs = 5_000): void {
    this.stopped = false;
    this.schedule(firstRunDelayMs);
  }

  /** The due checks now: materialize, then every closed hour not checked yet. */
  async runOnce(nowMs = Date.now()): Promise<void> {
    if (this.lease && !this.lease.holds()) {
      this.logger.debug('drift check skipped: another collector holds the drift lease');
      return;
    }
    const { windowEnd, reports } = await this.engine.checkDue(nowMs);
    const drifted = reports.filter((r) => r.status === 'drift');
    if (drifted.length > 0) {
      this.logger.warn('drift detected', {
        agents: drifted.map((r) => `${r.projectId}/${r.agent}`),
        windowEnd: new Date(windowEnd).toISOString(),
      });
    } else this.logger.debug('drift check done', { agents: reports.length });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs?: number): void {
    if (this.stopped) return;
    const now = Date.now();
    const next =
      delayMs !== undefined
        ? now + delayMs
        : Math.floor(now / this.intervalMs) * this.intervalMs + this.intervalMs + this.engine.options.tailMs + 5_000;
    this.timer = setTimeout(() => {
      const standby = this.lease !== undefined && !this.lease.holds();
      this.running = this.runOnce()
        .catch((e: unknown) => this.logger.error('drift check failed', { error: e }))
        .finally(() => {
          this.running = undefined;
          this.schedule(standby ? STANDBY_POLL_MS : undefined);
        });
    }, next - now);
    this.timer.unref();
  }
}
