/**
 * The Alerts page in real Chromium against a real collector (embedded ClickHouse) whose alert
 * scheduler runs on its real timer, and a real HTTP receiver standing in for the webhook.
 * A user creates "p95 latency of agent e2e-checkout above 2000 ms over 5 minutes → this webhook"
 * (after one invalid attempt), sees it fire and appear in the history, sends a test, mutes it.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openWatchedPage, type WatchedPage } from './browser';
import { startCollector } from '@sightline/collector';

const SHOTS = process.env.SIGHTLINE_SHOTS_DIR ?? '/tmp/shots';
const dashboard = inject('dashboardUrl');
const collectorPort = inject('collectorPort');
const AGENT = 'e2e-checkout';

let collector: Awaited<ReturnType<typeof startCollector>>;
let dataDir: string;
let browser: Browser;
let page: Page;
let receiver: Server;
let receiverUrl: string;
const received: Array<{ type: string; body: Record<string, unknown> }> = [];
let watched: WatchedPage;

/** Slow agent runs in the current minute, sent as OTLP/JSON like any exporter would. */
async function sendSlowRuns(count: number, durationMs: number): Promise<void> {
  const now = Date.now();
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const spans = Array.from({ length: count }, (_, i) => {
    const start = BigInt(now - durationMs - i * 10) * 1_000_000n;
    return {
      traceId: hex(0xa1e47 * 1000 + i, 32),
      spanId: hex(0xa1e47 * 1000 + i, 16),
      name: `invoke_agent ${AGENT}`,
      kind: 1,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: (start + BigInt(durationMs) * 1_000_000n).toString(),
      attributes: [
        { key: 'gen_ai.operation.name', value: { stringValue: 'invoke_agent' } },
        { key: 'gen_ai.agent.name', value: { stringValue: AGENT } },
      ],
      status: {},
    };
  });
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'e2e-shop' } }] },
        scopeSpans: [{ scope: { name: 'e2e' }, spans }],
      },
    ],
  };
  const res = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
}

async function shot(name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      received.push({ type: String(body.type), body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/sightline`;
  dataDir = await mkdtemp(path.join(tmpdir(), 'sightline-alerts-e2e-'));
  // The real scheduler, ticking fast so the test does not wait a minute.
  collector = await startCollector({
    port: collectorPort,
    host: '127.0.0.1',
    dataDir,
    flushIntervalMs: 100,
    logLevel: 'warn',
    alertsTickMs: 500,
    dashboardUrl: dashboard,
    webhookAllowedHosts: '127.0.0.1', // the test's receivers run on loopback
  });
  await mkdir(SHOTS, { recursive: true });
  watched = await openWatchedPage({ ignoreFavicon: true });
  ({ browser, page } = watched);
});

afterEach(() => {
  expect(watched.takeErrors(), 'errors in the browser console').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await collector?.stop();
  receiver?.closeAllConnections();
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Alerts page', () => {
  it('says how to create a first rule', async () => {
    await page.goto(`${dashboard}/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await page.waitForURL(/\/alerts(\?|$)/);
    await expect(page.title()).resolves.toBe('Alerts · Sightline');
    await page.getByRole('status').filter({ hasText: 'No alert rules yet' }).waitFor();
  });

  it('creates a latency alert, sees it fire and appear in history, then sends a test and mutes it', async () => {
    await sendSlowRuns(20, 5_000);
    await page.goto(`${dashboard}/alerts`);
    await page.locator('header').getByRole('link', { name: 'New alert' }).click();
    await page.waitForURL(/\/alerts\/new$/);
    const form = page.getByTestId('alert-form');
    await form.locator('input[name="name"]').fill('Checkout p95 above 2 s');
    await form.locator('input[name="agent"]').fill(AGENT);
    await form.locator('input[name="intervalSeconds"]').fill('10');
    await form.locator('input[name="forEvaluations"]').fill('1');
    await form.locator('input[name="minSamples"]').fill('5');
    await form.locator('input[name="webhookUrl"]').fill(receiverUrl);

    // An invalid threshold: the collector's 400 names the field and the form highlights it.
    await form.locator('input[name="thresholdMs"]').fill('-5');
    await form.getByRole('button', { name: 'Create alert' }).click();
    await form.locator('input[name="thresholdMs"][aria-invalid="true"]').waitFor();
    expect(await form.getByRole('alert').first().textContent()).toContain('thresholdMs');
    expect(page.url()).toMatch(/\/alerts\/new$/);
    expect(await form.locator('input[name="name"]').inputValue()).toBe('Checkout p95 above 2 s');

    await form.locator('input[name="thresholdMs"]').fill('2000');
    await form.getByRole('button', { name: 'Create alert' }).click();
    await page.waitForURL(/\/alerts\/[0-9a-f-]{36}$/);

    // The scheduler evaluates it on its own; the page refreshes itself.
    await page.locator('h1 [data-state="firing"]').waitFor({ timeout: 30_000 });
    const history = page.getByTestId('alert-history');
    await history.locator('tbody tr').first().waitFor();
    expect(await history.textContent()).toContain('Firing');
    expect(await history.textContent()).toContain('2000 ms');
    await expect.poll(() => received.map((r) => r.type), { timeout: 10_000 }).toEqual(['alert.firing']);
    expect(received[0]!.body).toMatchObject({
      rule: { name: 'Checkout p95 above 2 s' },
      threshold: 2000,
      unit: 'ms',
      scope: { agent: AGENT },
    });
    expect(String(received[0]!.body.url)).toContain(`${dashboard}/traces?`);
    await page.getByTestId('alert-deliveries').getByText('delivered').first().waitFor();
    await shot('alerts-rule-firing');

    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByRole('status').filter({ hasText: 'Test delivered to 1 of 1 channel' }).waitFor();
    expect(received.map((r) => r.type)).toEqual(['alert.firing', 'alert.test']);

    await page.getByRole('button', { name: 'Mute', exact: true }).click();
    await page.getByRole('button', { name: 'Unmute' }).waitFor();

    await page.goto(`${dashboard}/alerts`);
    const row = page.getByTestId('alert-rules').locator('tr[data-rule="Checkout p95 above 2 s"]');
    await row.locator('[data-state="firing"]').waitFor();
    expect(await row.textContent()).toContain('muted');
    expect(await page.getByTestId('alert-history').textContent()).toContain('Checkout p95 above 2 s');
    await shot('alerts-list');
  });
});
