/**
 * The scheduler on its real timer (the other alert tests drive evaluation by hand), with an injected
 * clock: a new rule is evaluated at the next tick and fires to a real receiver, and is then evaluated
 * on its own interval even though the global tick is much coarser. The test awaits ticks and moves
 * the clock; no assertion depends on how long anything took.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AlertRuleInput } from '@sightline/contract';
import { silentLogger } from '../logger.js';
import type { Storage } from '../storage/client.js';
import { startReceiver, type Receiver } from '../test-support/http-receiver.js';
import { openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { startAlerts, type Alerts } from './scheduler.js';
import { SecretBox } from './secret-box.js';

const tmp = tempDataDir('sightline-alert-scheduler-');
let storage: Storage;
let alerts: Alerts;
let receiver: Receiver;
let clock = Date.UTC(2026, 2, 10, 12);
let waiting: Array<(at: number) => void> = [];
/** Resolves after the next tick that starts from now on, with the clock time it ran at. */
const nextTick = () => new Promise<number>((resolve) => waiting.push(resolve));

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  receiver = await startReceiver();
  // Ten spans of 3 s, five seconds before the clock's start: p95 above the rule's 1 s.
  await storage.client.command({
    query: `INSERT INTO spans (trace_id, span_id, start_time, end_time, duration_ns, service_name, agent_name)
            SELECT hex(number), hex(number), fromUnixTimestamp64Milli({at:Int64}), fromUnixTimestamp64Milli({at:Int64} + 3000), 3000000000, 'shop', 'timer-agent'
            FROM numbers(10)`,
    query_params: { at: clock - 5_000 },
  });
  alerts = startAlerts({
    client: storage.client,
    logger: silentLogger,
    dashboardUrl: 'http://dash.example',
    webhookAllowedHosts: '127.0.0.1', // the test's receivers run on loopback
    secrets: new SecretBox(randomBytes(32)),
    tickMs: 60_000,
    now: () => clock,
    onTick: (at) => {
      const done = waiting;
      waiting = [];
      for (const resolve of done) resolve(at);
    },
  });
});
afterAll(async () => {
  await alerts?.stop();
  await storage?.close();
  await receiver?.close();
  tmp.remove();
});

it('evaluates a new rule at the next tick and then on its own interval, not on the coarse tick', async () => {
  await nextTick(); // the first tick has evaluated the (empty) rule set: the coarse tick's clock starts now
  const spec = AlertRuleInput.parse({
    name: 'Timer',
    condition: { kind: 'latency', percentile: 'p95', thresholdMs: 1000 },
    scope: { agent: 'timer-agent' },
    intervalSeconds: 10,
    forEvaluations: 1,
    minSamples: 1,
    channels: [{ type: 'webhook', url: `${receiver.url}/timer` }],
  });
  const rule = await alerts.rules.create('default', spec, clock);
  alerts.evaluator.wake(); // what the API does on create and edit
  const evaluatedAt = async () => (await alerts.states.load('default', [rule.id])).get(rule.id)?.get('')?.lastEvaluatedAt;

  const created = clock;
  await nextTick(); // a tick that started before the wake may still be running
  await nextTick();
  expect(await evaluatedAt()).toBe(created);
  expect(receiver.received).toHaveLength(1);
  expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ type: 'alert.firing', rule: { id: rule.id } });

  // 9 s later (more than the slack before its 10 s interval): not due, and the 60 s tick is far off.
  clock = created + 9_000;
  await nextTick();
  expect(await evaluatedAt()).toBe(created);

  clock = created + 10_000;
  await nextTick();
  expect(await evaluatedAt()).toBe(created + 10_000);
  expect(receiver.received).toHaveLength(1); // still firing: nothing new to say
});
