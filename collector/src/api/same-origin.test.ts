/**
 * The query API as a browser sees it, on a real collector: requests carry the headers Chromium
 * sends for a page on another origin (another localhost port, or a foreign site). No CORS answer
 * lets such a page read /api, and its mutations are refused before they change anything; the
 * collector's own origin, the configured dashboard and server-to-server callers still work.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRule, ErrorBody } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../index.js';
import { tempDataDir } from '../test-support/temp-storage.js';

const tmp = tempDataDir('sightline-same-origin-');
const DASHBOARD = 'http://127.0.0.1:3999';
const EXPORTER_PAGE = 'http://localhost:5173';
let collector: RunningCollector;
const RULE = JSON.stringify({ name: 'no traffic', condition: { kind: 'no_data' } });

beforeAll(async () => {
  collector = await startCollector({
    port: 0,
    dataDir: tmp.dir,
    logLevel: 'error',
    flushIntervalMs: 50,
    wal: false,
    alertsTickMs: 0,
    dashboardUrl: DASHBOARD,
    corsOrigins: EXPORTER_PAGE,
  });
}, 120_000);
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** node:http, so Origin and Sec-Fetch-* go out exactly as a browser would send them. */
function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  const url = new URL(path, collector.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const crossSite = (origin: string): Record<string, string> => ({ origin, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' });
const sameSite = (origin: string): Record<string, string> => ({ origin, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors' });

describe('query API and browsers', () => {
  it('answers no CORS on /api, to reads or preflights from any origin', async () => {
    const read = await send('GET', '/api/traces', crossSite('https://evil.example'));
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await send('OPTIONS', '/api/alerts/rules', {
      ...sameSite(EXPORTER_PAGE),
      'access-control-request-method': 'DELETE',
      'access-control-request-headers': 'content-type',
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('refuses mutations from another origin (another localhost port too) with 403, and changes nothing', async () => {
    const before = (await collector.alerts.rules.list('default')).length;
    const created = await send('POST', '/api/alerts/rules', {}, RULE);
    expect(created.status).toBe(201);
    const id = AlertRule.parse(created.body).id;
    const attempts: Array<[string, string, Record<string, string>, string | undefined]> = [
      ['POST', '/api/alerts/rules', sameSite(EXPORTER_PAGE), RULE],
      ['POST', '/api/alerts/rules', crossSite('https://evil.example'), RULE],
      ['POST', '/api/alerts/rules', { origin: 'null' }, RULE],
      ['POST', '/api/alerts/rules', { 'sec-fetch-site': 'cross-site' }, RULE],
      ['PUT', `/api/alerts/rules/${id}`, sameSite(EXPORTER_PAGE), RULE],
      ['POST', `/api/alerts/rules/${id}/mute`, crossSite('https://evil.example'), JSON.stringify({ muted: true })],
      ['DELETE', `/api/alerts/rules/${id}`, sameSite(EXPORTER_PAGE), undefined],
    ];
    for (const [method, path, headers, body] of attempts) {
      const r = await send(method, path, headers, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
      expect(ErrorBody.parse(r.body).error.code).toBe('forbidden');
    }
    const rules = await collector.alerts.rules.list('default');
    expect(rules.length).toBe(before + 1);
    expect(rules.find((r) => r.id === id)?.spec.muted).toBe(false);
  });

  it('accepts mutations from its own origin, the configured dashboard and callers without Origin', async () => {
    const own = new URL(collector.url).origin;
    const callers: Array<Record<string, string>> = [{ origin: own, 'sec-fetch-site': 'same-origin' }, sameSite(DASHBOARD), {}];
    for (const headers of callers) {
      const r = await send('POST', '/api/alerts/rules', headers, RULE);
      expect(r.status, JSON.stringify(headers)).toBe(201);
      const id = AlertRule.parse(r.body).id;
      expect((await send('DELETE', `/api/alerts/rules/${id}`, headers)).status).toBe(200);
    }
  });

  it('answers CORS on the OTLP paths for the configured origin only', async () => {
    for (const path of ['/v1/traces', '/v1/logs', '/api/public/otel/v1/traces']) {
      const preflight = (origin: string) =>
        send('OPTIONS', path, {
          ...sameSite(origin),
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        });
      expect((await preflight(EXPORTER_PAGE)).headers['access-control-allow-origin'], path).toBe(EXPORTER_PAGE);
      expect((await preflight('https://evil.example')).headers['access-control-allow-origin'], path).not.toBe('https://evil.example');
      const post = await send('POST', path, sameSite(EXPORTER_PAGE), '{}');
      expect(post.status, path).toBe(200);
      expect(post.headers['access-control-allow-origin'], path).toBe(EXPORTER_PAGE);
    }
  });
});
