/**
 * Runs alerting inside the collector: one global tick evaluates the rules that are due (each rule
 * keeps its own interval) and then attempts the deliveries that are due. A tick of 0 disables the
 * timer: tests drive `evaluator.evaluateOnce(now)` and `deliveries.processDue(now)` with their own clock.
 * With a lease (several collectors on one database), a collector that does not hold it evaluates and
 * sends nothing, explicit calls included, and starts on its first tick as holder (hot standby).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { LeaseGuard } from '../jobs/lease.js';
import type { Logger } from '../logger.js';
import { DEFAULT_RETRY, DeliveryQueue, type RetryPolicy } from './delivery.js';
import type { DriftSource } from './drift-source.js';
import { AlertEvaluator } from './evaluator.js';
import { RuleStore } from './rules.js';
import type { SecretBox } from './secret-box.js';
import { StateStore } from './states.js';
import { TargetPolicy } from './targets.js';

export interface AlertsOptions {
  client: ClickHouseClient;
  logger: Logger;
  dashboardUrl: string;
  /** Evaluation tick; 0 = no timer. */
  tickMs: number;
  retry?: RetryPolicy;
  /** SIGHTLINE_WEBHOOK_ALLOWED_HOSTS: internal hosts or CIDRs notifications may go to anyway. */
  webhookAllowedHosts?: string;
  /** Seals channel secrets at rest (see secret-box.ts); collectors sharing a database need the same key. */
  secrets: SecretBox;
  /** The clock ticks read (default Date.now): tests move their own. */
  now?: () => number;
  /** Called after each tick with the time it ran at: tests await ticks instead of sleeping. */
  onTick?: (now: number) => void;
  /** The alerts job's lease: without one, this collector assumes it is alone on its database. */
  lease?: LeaseGuard;
}

export interface Alerts {
  rules: RuleStore;
  /** The key channel secrets are sealed with. */
  secrets: SecretBox;
  states: StateStore;
  deliveries: DeliveryQueue;
  evaluator: AlertEvaluator;
  /** Called by the drift engine once it can answer; until then drift rules evaluate to no data. */
  setDriftSource(source: DriftSource | undefined): void;
  /** Waits for the running tick, then stops the timer. Idempotent. */
  stop(): Promise<void>;
}

/** The timer's resolution: rules due and retries are checked this often, so neither waits for a whole tick. */
const DELIVERY_POLL_MS = 1_000;

export function startAlerts(o: AlertsOptions): Alerts {
  const targets = new TargetPolicy(o.webhookAllowedHosts);
  const rules = new RuleStore(o.client, targets, o.secrets);
  const states = new StateStore(o.client);
  const deliveries = new DeliveryQueue(o.client, o.logger, o.retry ?? DEFAULT_RETRY, o.lease, targets, o.secrets);
  const evaluator = new AlertEvaluator({
    client: o.client,
    rules,
    states,
    deliveries,
    dashboardUrl: o.dashboardUrl,
    logger: o.logger,
    ...(o.lease ? { lease: o.lease } : {}),
  });
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let lastEvaluation = 0;
  let lastDeliveryPoll = 0;
  let holding = false;

  const clock = o.now ?? Date.now;
  const tick = async () => {
    const now = clock();
    try {
      const holds = o.lease === undefined || o.lease.holds();
      if (holds && !holding) {
        // Just took over (or started): what the previous holder left due runs now.
        evaluator.wake();
        deliveries.wake();
      }
      holding = holds;
      if (!holds) return;
      // Other collectors queue notifications too ("send test" through their API): look each coarse tick.
      if (o.lease && now - lastDeliveryPoll >= o.tickMs) {
        lastDeliveryPoll = now;
        deliveries.wake();
      }
      // The tick picks up new and edited rules; known rules are evaluated when due, to the second.
      if (now - lastEvaluation >= o.tickMs || now >= evaluator.nextDueAt()) {
        lastEvaluation = now;
        await evaluator.evaluateOnce(now);
      }
      if (deliveries.nextDueAt() <= now) await deliveries.processDue(now);
    } catch (e) {
      o.logger.warn('alerts tick failed', { error: e });
    } finally {
      o.onTick?.(now);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        running = tick().finally(schedule);
      },
      Math.min(o.tickMs, DELIVERY_POLL_MS),
    );
    timer.unref();
  };
  if (o.tickMs > 0) schedule();

  return {
    rules,
    secrets: o.secrets,
    states,
    deliveries,
    evaluator,
    setDriftSource: (s) => evaluator.setDriftSource(s),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
