/**
 * Channel secrets stay in the collector: a Slack URL (a bearer secret) and a webhook signing secret
 * never come back from the rules or deliveries API, nor appear in the log when a delivery fails;
 * a rule edited with the redacted URL it was shown keeps delivering to the real one. At rest they
 * are sealed (AES-256-GCM) under a key kept in the data dir with mode 0600; rows stored in plain
 * text before keep working and are sealed on their next write.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRule, AlertTestResult } from '@sightline/contract';
import { select } from '../storage/queries/common.js';
import { startCollector, type RunningCollector } from '../index.js';
import type { Logger } from '../logger.js';
import { startReceiver, type Receiver } from '../test-support/http-receiver.js';
import { tempDataDir } from '../test-support/temp-storage.js';
import { verifySignature } from './notifiers/webhook.js';
import { SecretBox } from './secret-box.js';

const TOKEN = 'T0SECRET/B0SECRET/xoxSECRETTOKEN';
const SIGNING = 'signing-secret-0123456789abcdef';
const tmp = tempDataDir('sightline-alert-secrets-');
const logged: string[] = [];
const capture = (level: string) => (message: string, fields?: Record<string, unknown>) =>
  logged.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
const logger: Logger = { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') };
let collector: RunningCollector;
let receiver: Receiver;
let refusing: ReturnType<typeof createServer>;
let refusingUrl: string;

beforeAll(async () => {
  collector = await startCollector(
    { port: 0, dataDir: tmp.dir, logLevel: 'debug', flushIntervalMs: 50, wal: false, alertsTickMs: 0, webhookAllowedHosts: '127.0.0.1' },
    logger,
  );
  receiver = await startReceiver();
  refusing = createServer((req, res) => {
    req.resume();
    res.writeHead(404).end('no such hook');
  });
  await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r));
  refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  refusing?.closeAllConnections();
  await new Promise((r) => refusing?.close(r));
  await receiver?.close();
  await collector?.stop();
  tmp.remove();
});

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: unknown }> {
  const res = await fetch(`${collector.url}/api${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as unknown };
}

describe('alert channel secrets', () => {
  it('are not returned by the rules and deliveries routes, and a redacted URL sent back keeps the real one', async () => {
    const spec = {
      name: 'secrets',
      condition: { kind: 'no_data' },
      channels: [
        { type: 'slack', url: `${receiver.url}/services/${TOKEN}` },
        { type: 'webhook', url: `${receiver.url}/hook`, secret: SIGNING },
      ],
    };
    const created = await api('POST', '/alerts/rules', spec);
    expect(created.status).toBe(201);
    const rule = AlertRule.parse(created.json);
    expect(rule.channels[0]).toEqual({ type: 'slack', url: `${receiver.url}/…`, hasSecret: false });
    expect((await api('POST', `/alerts/rules/${rule.id}/test`)).status).toBe(200);
    // The dashboard's edit form sends back what it was shown.
    const edited = await api('PUT', `/alerts/rules/${rule.id}`, {
      ...spec,
      name: 'secrets, renamed',
      channels: rule.channels.map((c) => ({ type: c.type, url: c.url })),
    });
    expect(edited.status).toBe(200);
    const tested = await api('POST', `/alerts/rules/${rule.id}/test`);
    expect(AlertTestResult.parse(tested.json).deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(receiver.received.map((r) => r.path)).toEqual([`/services/${TOKEN}`, '/hook', `/services/${TOKEN}`, '/hook']);

    for (const path of ['/alerts/rules', `/alerts/rules/${rule.id}`, '/alerts/deliveries', `/alerts/deliveries?ruleId=${rule.id}`]) {
      const r = await api('GET', path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).not.toContain('SECRET');
      expect(r.text, path).not.toContain(SIGNING);
    }
    for (const text of [created.text, edited.text, tested.text]) expect(text).not.toContain('SECRET');
  });

  it('do not appear in the log when a delivery fails', async () => {
    const created = await api('POST', '/alerts/rules', {
      name: 'failing',
      condition: { kind: 'no_data' },
      channels: [
        { type: 'slack', url: `${refusingUrl}/services/${TOKEN}` },
        { type: 'webhook', url: `${refusingUrl}/hook`, secret: SIGNING },
      ],
    });
    const id = AlertRule.parse(created.json).id;
    logged.length = 0;
    const tested = await api('POST', `/alerts/rules/${id}/test`);
    expect(AlertTestResult.parse(tested.json).deliveries.map((d) => d.status)).toEqual(['failed', 'failed']);
    expect(logged.filter((l) => l.includes('alert notification failed'))).toHaveLength(2);
    for (const line of logged) {
      expect(line).not.toContain('SECRET');
      expect(line).not.toContain(SIGNING);
    }
  });

  it('are sealed at rest under a key file of mode 0600', async () => {
    expect(statSync(`${tmp.dir}/secret.key`).mode & 0o777).toBe(0o600);
    const rules = await select<{ spec: string }>(collector.storage.client, 'SELECT spec FROM alert_rules', {});
    const deliveries = await select<{ url: string; secret: string }>(
      collector.storage.client,
      'SELECT url, secret FROM alert_deliveries',
      {},
    );
    expect(rules.length).toBeGreaterThan(0);
    expect(deliveries.length).toBeGreaterThan(0);
    const stored = JSON.stringify([rules, deliveries]);
    expect(stored).not.toContain('SECRET');
    expect(stored).not.toContain(SIGNING);
    expect(stored).toContain('enc:v1:');
  });

  it('stored in plain text before encryption still deliver, and are sealed on the next write', async () => {
    const id = 'legacy-plain-rule';
    const spec = {
      name: 'legacy',
      condition: { kind: 'no_data' },
      channels: [
        { type: 'slack', url: `${receiver.url}/services/LEGACY/${TOKEN}` },
        { type: 'webhook', url: `${receiver.url}/legacy-hook`, secret: SIGNING },
      ],
    };
    const now = Date.now();
    await collector.storage.client.insert({
      table: 'alert_rules',
      format: 'JSONEachRow',
      values: [{ id, version: 1, deleted: 0, name: spec.name, spec: JSON.stringify(spec), muted: 0, created_at: now, updated_at: now }],
    });
    const tested = await api('POST', `/alerts/rules/${id}/test`);
    expect(AlertTestResult.parse(tested.json).deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered']);
    expect(receiver.received.some((r) => r.path === `/services/LEGACY/${TOKEN}`)).toBe(true);
    const hook = receiver.received.find((r) => r.path === '/legacy-hook')!;
    expect(verifySignature(hook.body, hook.headers['x-sightline-signature'] as string, SIGNING)).toBe(true);

    expect((await api('POST', `/alerts/rules/${id}/mute`, { muted: true })).status).toBe(200);
    const [latest] = await select<{ spec: string }>(collector.storage.client, 'SELECT spec FROM alert_rules FINAL WHERE id = {id:String}', {
      id,
    });
    expect(latest!.spec).not.toContain('SECRET');
    expect(latest!.spec).not.toContain(SIGNING);
  });
});

describe('SecretBox', () => {
  it('opens what it sealed, refuses another key, and passes legacy plain values through', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal(SIGNING);
    expect(sealed).not.toContain(SIGNING);
    expect(box.seal(SIGNING)).not.toBe(sealed); // a fresh IV each time
    expect(box.open(sealed)).toBe(SIGNING);
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
    expect(box.open('https://hooks.slack.com/services/plain')).toBe('https://hooks.slack.com/services/plain');
  });
});
