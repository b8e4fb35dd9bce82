/**
 * Two collectors' alerting on one database: two alert schedulers (two `startAlerts`, each with its
 * own lease holder id and clock) on the same tables evaluate the same spike at the same moments and
 * attempt deliveries at once, to a real webhook receiver. One holds the alerts lease; the other is a
 * standby that takes over when the holder stalls, and the stalled one, coming back, does nothing.
 * The receiver must see exactly one firing and one resolved notification. On their real timers, the
 * holder also sends what a standby's API queued ("send test"), and a new holder what was left pending.
 * (The embedded engine allows one process per data directory; a ClickHouse server runs the same statements.)
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertRuleInput } from '@sightline/contract';
import { Lease } from '../jobs/lease.js';
import { silentLogger } from '../logger.js';
import type { Storage } from '../storage/client.js';
import { startReceiver, type Receiver } from '../test-support/http-receiver.js';
import { openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { startAlerts, type Alerts } from './scheduler.js';
import { SecretBox } from './secret-box.js';

const SECRETS = new SecretBox(randomBytes(32));

const tmp = tempDataDir('sightline-alert-leases-');
const S = 1000;
const MIN = 60 * S;
const T0 = Date.UTC(2026, 10, 20, 9);
const TTL = 30 * S;
let storage: Storage;
let receiver: Receiver;

interface Collector {
  name: string;
  lease: Lease;
  alerts: Alerts;
}
const collectors: Collector[] = [];

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  receiver = await startReceiver();
  // A run starts every 2 s for 12 minutes; those starting in minutes 3–5 take 3 s, the others 0.2 s.
  await storage.client.command({
    query: `INSERT INTO spans (trace_id, span_id, start_time, end_time, duration_ns, service_name, agent_name)
            SELECT hex(number), hex(number), fromUnixTimestamp64Milli(t), fromUnixTimestamp64Milli(t + d), d * 1000000, 'shop', 'lease-agent'
            FROM (SELECT number, {t0:Int64} + number * 2000 AS t,
                         if(t >= {t0:Int64} + 180000 AND t < {t0:Int64} + 360000, 3000, 200) AS d
                  FROM numbers(360))`,
    query_params: { t0: T0 },
  });
});
afterAll(async () => {
  for (const c of collectors) await c.alerts.stop();
  await storage?.close();
  await receiver?.close();
  tmp.remove();
});

/** A collector's alerting: its own holder id and clock (`skew` from the simulated time), timer off. */
function collector(name: string, clock: () => number): Collector {
  const lease = new Lease(storage.client, { job: 'alerts', holder: name, ttlMs: TTL, maxClockSkewMs: 2 * S, now: clock });
  const alerts = startAlerts({
    client: storage.client,
    logger: silentLogger,
    dashboardUrl: 'http://dash.example',
    tickMs: 0,
    lease,
    webhookAllowedHosts: '127.0.0.1',
    secrets: SECRETS, // shared, as collectors on one database share SIGHTLINE_SECRET_KEY
  });
  const c = { name, lease, alerts };
  collectors.push(c);
  return c;
}

it('two alert schedulers on one database never deliver a notification twice, across a takeover', async () => {
  let now = T0 + MIN;
  const a = collector('collector-a', () => now + 700); // a's clock runs 0.7 s ahead
  const b = collector('collector-b', () => now);
  const spec = AlertRuleInput.parse({
    name: 'Lease p95',
    condition: { kind: 'latency', percentile: 'p95', thresholdMs: 1000 },
    scope: { agent: 'lease-agent' },
    windowMinutes: 1,
    intervalSeconds: 10,
    forEvaluations: 1,
    resolveEvaluations: 2,
    minSamples: 1,
    channels: [{ type: 'webhook', url: `${receiver.url}/leases` }],
  });
  await a.alerts.rules.create('default', spec, now);

  /** What each running collector does every 10 s: renew or contend, evaluate, deliver; all at once. */
  const step = async (running: Collector[]) => {
    await Promise.all(running.map((c) => c.lease.tick()));
    await Promise.all(running.map((c) => c.alerts.evaluator.evaluateOnce(now)));
    await Promise.all(running.map((c) => c.alerts.deliveries.processDue(now)));
  };
  const holders = () => collectors.filter((c) => c.lease.holds()).map((c) => c.name);

  // Minutes 1–4: both run; the spike starts at minute 3 and fires.
  for (; now < T0 + 4 * MIN; now += 10 * S) {
    await step([a, b]);
    expect(holders().length).toBeLessThanOrEqual(1);
  }
  const firstHolder = holders()[0];
  expect(firstHolder).toBeDefined();
  expect(receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['alert.firing']);

  // The holder stalls for a minute (no renewals, no work); the other takes over after the TTL.
  const stalled = collectors.find((c) => c.name === firstHolder)!;
  const standby = collectors.find((c) => c.name !== firstHolder)!;
  for (const end = now + MIN; now < end; now += 10 * S) await step([standby]);
  expect(holders()).toEqual([standby.name]);

  // The stalled one resumes mid-job: its evaluation and its deliveries do nothing, then it stands by.
  expect(await stalled.alerts.evaluator.evaluateOnce(now)).toEqual({ evaluated: [], transitions: [], queued: [] });
  for (; now < T0 + 11 * MIN; now += 10 * S) {
    await step([a, b]);
    expect(holders()).toEqual([standby.name]);
  }

  const types = receiver.received.map((r) => (JSON.parse(r.body) as { type: string }).type);
  expect(types).toEqual(['alert.firing', 'alert.resolved']);
  const ids = receiver.received.map((r) => r.headers['x-sightline-delivery']);
  expect(new Set(ids).size).toBe(2);
  expect(standby.lease.status()).toMatchObject({ held: true, term: 2 });
  expect(stalled.lease.status()).toMatchObject({ held: false, term: 2, holder: standby.name });
}, 180_000);

it('on their timers, the holder sends what a standby queued, and a standby that takes over sends what was left pending', async () => {
  let now = T0 + 30 * MIN;
  const ticked = new Map<string, Array<() => void>>();
  const nextTick = (name: string) => new Promise<void>((resolve) => ticked.set(name, [...(ticked.get(name) ?? []), resolve]));
  const timed = (name: string) => {
    const lease = new Lease(storage.client, { job: 'alerts-timed', holder: name, ttlMs: TTL, maxClockSkewMs: 2 * S, now: () => now });
    const alerts = startAlerts({
      client: storage.client,
      logger: silentLogger,
      dashboardUrl: 'http://dash.example',
      webhookAllowedHosts: '127.0.0.1', // the test's receivers run on loopback
      secrets: SECRETS,
      tickMs: 1_000,
      now: () => now,
      lease,
      onTick: () => {
        const waiting = ticked.get(name) ?? [];
        ticked.set(name, []);
        for (const resolve of waiting) resolve();
      },
    });
    const c = { name, lease, alerts };
    collectors.push(c);
    return c;
  };
  const holder = timed('timed-holder');
  const standby = timed('timed-standby');
  expect(await holder.lease.tick()).toBe(true);
  expect(await standby.lease.tick()).toBe(false);
  const rule = await standby.alerts.rules.create(
    'default',
    AlertRuleInput.parse({
      name: 'Timed',
      condition: { kind: 'error_rate', thresholdPercent: 50 },
      scope: { agent: 'nobody' },
      channels: [{ type: 'webhook', url: `${receiver.url}/timed` }],
    }),
    now,
  );
  const sent = () => receiver.received.filter((r) => r.path === '/timed').length;
  // The holder has run a whole tick as holder: it found nothing pending and stopped looking.
  await nextTick(holder.name);
  await nextTick(holder.name);

  // "Send test" answered by the standby: queued, not sent by it; the holder sends it at its next coarse tick.
  const [first] = await standby.alerts.deliveries.enqueue('default', standby.alerts.evaluator.testNotifications(rule, now), now);
  await standby.alerts.deliveries.processDue(now);
  expect(sent()).toBe(0);
  await nextTick(holder.name); // a tick that began before the enqueue may still be running
  now += 1_000;
  await nextTick(holder.name);
  expect(sent()).toBe(1);
  expect((await holder.alerts.deliveries.byIds('default', [first!]))[0]?.status).toBe('delivered');

  // The holder stops (its timer and renewals), leaving a notification pending; the standby takes over and sends it.
  await holder.alerts.stop();
  const [second] = await holder.alerts.deliveries.enqueue('default', holder.alerts.evaluator.testNotifications(rule, now + 1), now);
  now += TTL;
  expect(await standby.lease.tick()).toBe(true);
  await nextTick(standby.name);
  await nextTick(standby.name);
  expect(sent()).toBe(2);
  expect((await standby.alerts.deliveries.byIds('default', [second!]))[0]?.status).toBe('delivered');
}, 120_000);
