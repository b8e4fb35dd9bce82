/**
 * Alert channels cannot make the collector reach internal addresses: refused when a rule is
 * written (400 naming the channel), refused again at send time after resolving the name, with an
 * answer that does not depend on what listens there (no port scanning through "test send"), and
 * no redirect followed. The allow-list opens exactly what it names.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRule, AlertRuleInput, AlertTestResult, ErrorBody } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../index.js';
import { startReceiver, type Receiver } from '../test-support/http-receiver.js';
import { tempDataDir } from '../test-support/temp-storage.js';
import { silentLogger } from '../logger.js';
import { DEFAULT_RETRY, DeliveryQueue } from './delivery.js';
import { RuleStore } from './rules.js';
import { TargetPolicy } from './targets.js';

const INTERNAL = [
  'http://169.254.169.254/latest/meta-data/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://[::1]:8080/hook',
  'http://0x7f000001/hook',
  'http://2130706433/hook',
  'http://017700000001/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://[::ffff:a9fe:a9fe]/hook',
  'http://127.0.0.1:4318/api/alerts/rules',
  'http://localhost:9200/',
  'http://10.0.0.7/',
  'http://172.16.5.4/',
  'http://192.168.1.1/',
  'http://[fc00::1]/',
  'http://[fe80::1]/',
  'http://0.0.0.0:22/',
  'http://[::]/',
  'http://100.64.0.1/',
];

describe('TargetPolicy', () => {
  it('refuses internal hosts in every spelling, and accepts public ones', () => {
    const policy = new TargetPolicy();
    for (const url of INTERNAL) expect(() => policy.checkUrl(url, 'channels.0.url'), url).toThrow(/channels\.0\.url/);
    for (const url of ['https://hooks.slack.com/services/T/B/x', 'https://93.184.216.34/hook', 'https://[2606:4700::1111]/']) {
      expect(() => policy.checkUrl(url, 'url'), url).not.toThrow();
    }
  });

  it('allows what the allow-list names, and nothing next to it', () => {
    const policy = new TargetPolicy('127.0.0.1, 10.0.0.0/8, hooks.internal');
    for (const url of ['http://127.0.0.1:9/', 'http://10.200.1.1/', 'http://hooks.internal/x'])
      expect(() => policy.checkUrl(url, 'url')).not.toThrow();
    for (const url of ['http://127.0.0.2/', 'http://192.168.1.1/', 'http://[::1]/', 'http://169.254.169.254/']) {
      expect(() => policy.checkUrl(url, 'url'), url).toThrow();
    }
  });

  it('checks the resolved addresses of a name and hands over only those', async () => {
    const resolve = (policy: TargetPolicy) =>
      new Promise<{ err: NodeJS.ErrnoException | null; addresses: unknown }>((done) =>
        policy.pinnedLookup()('localhost', { all: true }, (err, addresses) => done({ err, addresses })),
      );
    expect((await resolve(new TargetPolicy())).err?.code).toBe('TARGET_REFUSED');
    const allowed = await resolve(new TargetPolicy('127.0.0.0/8, ::1/128'));
    expect(allowed.err).toBeNull();
    expect(allowed.addresses).toEqual(expect.arrayContaining([expect.objectContaining({ address: '127.0.0.1' })]));
  });
});

const tmp = tempDataDir('sightline-alert-targets-');
let collector: RunningCollector;
let receiver: Receiver;

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'silent', flushIntervalMs: 50, wal: false, alertsTickMs: 0 });
  receiver = await startReceiver();
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  await collector?.stop();
  tmp.remove();
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${collector.url}/api${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const rule = (url: string, type: 'webhook' | 'slack' = 'webhook') => ({
  name: 'ssrf',
  condition: { kind: 'no_data' },
  channels: [{ type, url }],
});

describe('alert channels on a collector without an allow-list', () => {
  it('refuses rules pointing at internal addresses with 400 naming the channel, on create and update', async () => {
    const ok = await api('POST', '/alerts/rules', rule('https://hooks.example/ok'));
    expect(ok.status).toBe(201);
    const id = AlertRule.parse(ok.body).id;
    for (const url of INTERNAL) {
      for (const type of ['webhook', 'slack'] as const) {
        const created = await api('POST', '/alerts/rules', rule(url, type));
        expect(created.status, `${type} ${url}`).toBe(400);
        expect(ErrorBody.parse(created.body).error).toMatchObject({ code: 'invalid_parameter', field: 'channels.0.url' });
        const updated = await api('PUT', `/alerts/rules/${id}`, rule(url, type));
        expect(updated.status, `PUT ${type} ${url}`).toBe(400);
      }
    }
    expect((await collector.alerts.rules.list('default')).map((r) => r.spec.channels[0]?.url)).toEqual(['https://hooks.example/ok']);
  });

  it('refuses at send time a target stored before (or resolving to) an internal address, the same way whatever listens there', async () => {
    // Rules written when such targets were still accepted (before this check existed).
    const legacy = new RuleStore(collector.storage.client, new TargetPolicy('127.0.0.1'), collector.alerts.secrets);
    const open = await legacy.create('default', AlertRuleInput.parse(rule(`${receiver.url}/open`)));
    const closed = await legacy.create('default', AlertRuleInput.parse(rule('http://127.0.0.1:9/closed')));
    const outcomes = [];
    for (const r of [open, closed]) {
      const res = await api('POST', `/alerts/rules/${r.id}/test`);
      expect(res.status).toBe(200);
      const [d] = AlertTestResult.parse(res.body).deliveries;
      outcomes.push({ status: d!.status, lastError: d!.lastError, responseStatus: d!.responseStatus, attempts: d!.attempts });
    }
    expect(outcomes[0]).toEqual({ status: 'failed', lastError: 'TARGET_REFUSED', responseStatus: 0, attempts: 1 });
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(receiver.received).toHaveLength(0);
  });
});

describe('redirects', () => {
  it('are not followed, even to an allowed address', async () => {
    const redirector = createServer((req, res) => {
      req.resume();
      res.writeHead(307, { location: `${receiver.url}/after-redirect` }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    try {
      const port = (redirector.address() as AddressInfo).port;
      const allowing = new TargetPolicy('127.0.0.1');
      const created = await new RuleStore(collector.storage.client, allowing, collector.alerts.secrets).create(
        'default',
        AlertRuleInput.parse(rule(`http://127.0.0.1:${port}/hook`)),
      );
      const queue = new DeliveryQueue(collector.storage.client, silentLogger, DEFAULT_RETRY, undefined, allowing, collector.alerts.secrets);
      const now = Date.now();
      const ids = await queue.enqueue('default', collector.alerts.evaluator.testNotifications(created, now), now);
      await queue.processDue(now);
      const [d] = await queue.byIds('default', ids);
      expect(d).toMatchObject({ status: 'failed', responseStatus: 307 });
      expect(receiver.received.filter((r) => r.path === '/after-redirect')).toHaveLength(0);
    } finally {
      redirector.closeAllConnections();
      await new Promise((r) => redirector.close(r));
    }
  });
});
