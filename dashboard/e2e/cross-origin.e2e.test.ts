/**
 * The collector's query API as Chromium sees it from a page on another localhost port (any site the
 * user visits could do the same): the page can neither read traces nor create or delete alert
 * rules, while browser exporters on the configured origin still get CORS on the OTLP path.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '@sightline/collector';
import { AlertRuleInput } from '@sightline/contract';
import { openWatchedPage, type WatchedPage } from './browser';

let collector: Awaited<ReturnType<typeof startCollector>>;
let dataDir: string;
let page: Server;
let pageUrl: string;
let watched: WatchedPage;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sightline-cross-origin-'));
  page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other site</title>'));
  await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
  pageUrl = `http://localhost:${(page.address() as AddressInfo).port}`;
  collector = await startCollector({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'error',
    flushIntervalMs: 100,
    alertsTickMs: 0,
    corsOrigins: pageUrl, // this page may export spans, and nothing more
  });
  watched = await openWatchedPage({ ignoreFavicon: true });
  await watched.page.goto(pageUrl);
}, 180_000);
afterAll(async () => {
  await watched?.browser.close();
  await collector?.stop();
  page?.closeAllConnections();
  await new Promise((r) => page?.close(r));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Runs fetch in the page; answers the status, or the error the page saw (CORS failures are TypeErrors). */
function fetchFromPage(url: string, init: { method: string; body?: string; contentType?: string; mode?: 'cors' | 'no-cors' }) {
  return watched.page.evaluate(
    async ({ url, init }) => {
      try {
        const res = await fetch(url, {
          method: init.method,
          mode: init.mode ?? 'cors',
          ...(init.body === undefined ? {} : { body: init.body }),
          ...(init.contentType ? { headers: { 'content-type': init.contentType } } : {}),
        });
        return { status: res.status, type: res.type, text: res.type === 'opaque' ? '' : await res.text() };
      } catch (e) {
        return { error: String(e) };
      }
    },
    { url, init },
  );
}

const RULE = JSON.stringify({ name: 'from another site', condition: { kind: 'no_data' } });

describe('a page on another origin', () => {
  it('cannot read the query API', async () => {
    const r = await fetchFromPage(`${collector.url}/api/traces`, { method: 'GET' });
    expect(r).toMatchObject({ error: expect.stringContaining('TypeError') });
    watched.takeErrors(); // Chromium reports the CORS refusal on the console
  });

  it('cannot create or delete alert rules, not even with a no-cors "simple" request', async () => {
    const rule = await collector.alerts.rules.create('default', AlertRuleInput.parse(JSON.parse(RULE)));
    const attempts = [
      await fetchFromPage(`${collector.url}/api/alerts/rules`, { method: 'POST', body: RULE, contentType: 'application/json' }),
      await fetchFromPage(`${collector.url}/api/alerts/rules/${rule.id}`, { method: 'DELETE' }),
      await fetchFromPage(`${collector.url}/api/alerts/rules`, { method: 'POST', body: RULE, contentType: 'text/plain', mode: 'no-cors' }),
    ];
    for (const a of attempts) expect(a).not.toMatchObject({ status: 201 });
    watched.takeErrors();
    const rules = await collector.alerts.rules.list('default');
    expect(rules.map((r) => r.id)).toEqual([rule.id]);
  });

  it('still exports spans to the OTLP path as a configured browser exporter', async () => {
    const r = await fetchFromPage(`${collector.url}/v1/traces`, { method: 'POST', body: '{}', contentType: 'application/json' });
    expect(r).toMatchObject({ status: 200 });
  });
});
