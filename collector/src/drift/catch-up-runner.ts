/**
 * Runs drift catch-ups one at a time per ClickHouse client, and says whether one is running.
 * The scheduled check awaits a catch-up (`run`); API calls only start one in the background
 * (`kick`) and answer from what is materialized. On the embedded engine queries run one at a time,
 * so a report waits at most for the catch-up statement in flight (one day of sessions), never for
 * the whole catch-up.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { DriftFreshness } from '@sightline/contract';
import type { Logger } from '../logger.js';
import { readProgress } from './catch-up.js';

type Work = () => Promise<number>;

interface ClientState {
  /** The last catch-up queued; each waits for the one before it. */
  tail: Promise<unknown>;
  /** Catch-ups queued or running. */
  active: number;
  /** A background catch-up queued and not started yet: later kicks join it. */
  queued: boolean;
  /** When (caller's clock, ms) the last background catch-up was started. */
  lastKickAt: number | undefined;
  lastError: unknown;
  /** Resolved whenever `active` drops to 0. */
  waiters: Array<() => void>;
}

// Engines are stateless views over ClickHouse (the API and the scheduler each hold one), but two
// catch-ups of the same days at once would swap or append them twice: serialize them per client.
const states = new WeakMap<ClickHouseClient, ClientState>();

function stateOf(client: ClickHouseClient): ClientState {
  let s = states.get(client);
  if (!s) {
    s = { tail: Promise.resolve(), active: 0, queued: false, lastKickAt: undefined, lastError: undefined, waiters: [] };
    states.set(client, s);
  }
  return s;
}

export class CatchUpRunner {
  private readonly state: ClientState;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly logger?: Logger,
  ) {
    this.state = stateOf(client);
  }

  /** Runs `work` after every catch-up queued before it; resolves with its result. */
  run(work: Work): Promise<number> {
    const s = this.state;
    s.active++;
    const run = s.tail.catch(() => undefined).then(work);
    s.tail = run;
    void run.then(
      () => {
        s.lastError = undefined;
      },
      (e: unknown) => {
        s.lastError = e;
      },
    );
    void run
      .catch(() => undefined)
      .finally(() => {
        s.active--;
        if (s.active === 0) for (const w of s.waiters.splice(0)) w();
      });
    return run;
  }

  /**
   * Starts a background catch-up unless one is already queued, or one was started less than
   * `minIntervalMs` ago (by `nowMs`, the caller's clock): API calls come in bursts. Never throws.
   */
  kick(work: Work, nowMs: number, minIntervalMs: number): void {
    const s = this.state;
    if (s.queued) return;
    if (s.lastKickAt !== undefined && nowMs - s.lastKickAt < minIntervalMs && nowMs >= s.lastKickAt) return;
    s.lastKickAt = nowMs;
    s.queued = true;
    this.run(() => {
      s.queued = false;
      return work();
    }).catch((e: unknown) => this.logger?.error('drift catch-up failed', { error: e }));
  }

  /** Resolves once no catch-up is queued or running. */
  idle(): Promise<void> {
    const s = this.state;
    return s.active === 0 ? Promise.resolve() : new Promise((resolve) => s.waiters.push(resolve));
  }

  /** How fresh drift_session_signals is: the catch-up state now, then the stored progress. */
  async freshness(): Promise<DriftFreshness> {
    const s = this.state;
    // Taken before the read: a catch-up that ends meanwhile makes the answer fresher than it says, never staler.
    const catchUp = s.active > 0 ? 'running' : s.lastError !== undefined ? 'failed' : 'idle';
    const p = await readProgress(this.client);
    return { materializedUntil: p?.until ?? null, spansIngestedUntil: p?.ingested ?? null, catchUp };
  }
}
