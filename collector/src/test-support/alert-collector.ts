/**
 * A collector for alert tests: its alert scheduler off (a test moves its own clock with
 * `evaluateAt`), allowed to deliver to a webhook receiver on 127.0.0.1, which it starts too.
 */
import { startCollector, type RunningCollector } from '../index.js';
import { startReceiver, type Receiver } from './http-receiver.js';

export async function startAlertCollector(dataDir: string): Promise<{ collector: RunningCollector; receiver: Receiver }> {
  const collector = await startCollector({
    port: 0,
    dataDir,
    logLevel: 'error',
    flushIntervalMs: 50,
    alertsTickMs: 0,
    webhookAllowedHosts: '127.0.0.1',
  });
  return { collector, receiver: await startReceiver() };
}

/** Evaluates the rules as at `now` and sends the notifications then due. */
export async function evaluateAt(collector: RunningCollector, now: number): Promise<void> {
  await collector.alerts.evaluator.evaluateOnce(now);
  await collector.alerts.deliveries.processDue(now);
}
