/**
 * The trace and session lists' "Download spans" links in real Chromium against a real collector
 * (embedded ClickHouse): they carry the list's filters and range, the browser saves the CSV the
 * collector streams (through the dashboard), and the file holds the spans of the listed traces (or
 * sessions) only.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCollector } from '@sightline/collector';
import { EXPORTED_SPAN_COLUMNS } from '@sightline/contract';
import { openWatchedPage, type WatchedPage } from './browser';

const dashboard = inject('dashboardUrl');
const collectorPort = inject('collectorPort');

let collector: Awaited<ReturnType<typeof startCollector>>;
let dataDir: string;
let watched: WatchedPage;

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** Three agent runs of two spans in the last minutes; the second fails, with a message that needs CSV quoting. */
async function seed(): Promise<{ failed: string }> {
  const now = Date.now();
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
  const spans = [0, 1, 2].flatMap((i) => {
    const traceId = hex(0xe7a0 + i, 32);
    const start = now - 10 * 60_000 + i * 60_000;
    return [
      {
        traceId,
        spanId: hex(0xe7a0 * 16 + i * 2, 16),
        name: 'invoke_agent export-e2e',
        kind: 1,
        startTimeUnixNano: ns(start),
        endTimeUnixNano: ns(start + 2000),
        attributes: [
          str('gen_ai.operation.name', 'invoke_agent'),
          str('gen_ai.agent.name', 'export-e2e'),
          str('session.id', `export-session-${i}`),
        ],
        status: i === 1 ? { code: 2, message: 'refund failed: "card", declined\nretry later' } : {},
      },
      {
        traceId,
        spanId: hex(0xe7a0 * 16 + i * 2 + 1, 16),
        parentSpanId: hex(0xe7a0 * 16 + i * 2, 16),
        name: 'execute_tool refund',
        kind: 1,
        startTimeUnixNano: ns(start + 100),
        endTimeUnixNano: ns(start + 1500),
        attributes: [str('gen_ai.operation.name', 'execute_tool'), str('gen_ai.tool.name', 'refund')],
      },
    ];
  });
  const res = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [{ resource: { attributes: [str('service.name', 'export-shop')] }, scopeSpans: [{ scope: { name: 'e2e' }, spans }] }],
    }),
  });
  expect(res.status).toBe(200);
  await collector.pipeline.flush();
  return { failed: hex(0xe7a0 + 1, 32) };
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sightline-export-e2e-'));
  collector = await startCollector({
    port: collectorPort,
    host: '127.0.0.1',
    dataDir,
    flushIntervalMs: 100,
    logLevel: 'warn',
    alertsTickMs: 0,
  });
  watched = await openWatchedPage({ ignoreFavicon: true });
});

afterEach(() => {
  expect(watched.takeErrors(), 'errors in the browser console').toEqual([]);
});

afterAll(async () => {
  await watched?.browser.close();
  await collector?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

let seeded: Promise<{ failed: string }> | undefined;
const seedOnce = () => (seeded ??= seed());

describe('trace list download', () => {
  it('saves the spans of the listed traces, with the list’s filters, as CSV and JSON lines', async () => {
    const { failed } = await seedOnce();
    const { page } = watched;
    await page.goto(`${dashboard}/traces?range=1h&status=error&agent=export-e2e`);
    await page.locator(`a[href="/traces/${failed}"]`).first().waitFor();

    const csvLink = page.getByRole('link', { name: 'Download spans as CSV' });
    const href = new URL((await csvLink.getAttribute('href'))!, dashboard);
    expect(href.pathname).toBe('/traces/export');
    expect(Object.fromEntries(href.searchParams)).toMatchObject({ format: 'csv', status: 'error', agent: 'export-e2e' });
    expect(Number(href.searchParams.get('to')) - Number(href.searchParams.get('from'))).toBe(3_600_000);

    const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^sightline-spans-default-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const [header, ...rows] = csv.replace(/\r\n$/, '').split('\r\n');
    expect(header).toBe(EXPORTED_SPAN_COLUMNS.join(','));
    expect(csv).toContain('"refund failed: ""card"", declined\nretry later"');
    // Only the failed run's two spans: each starts with its trace id (the rows have no quoted first cell).
    expect(rows.filter((r) => /^[0-9a-f]{32},/.test(r)).map((r) => r.slice(0, 32))).toEqual([failed, failed]);
    expect(page.url()).toContain('/traces?'); // the list stays on screen

    const jsonl = await page.context().request.get(
      await page
        .getByRole('link', { name: 'Download spans as JSON lines' })
        .getAttribute('href')
        .then((h) => `${dashboard}${h}`),
    );
    expect(jsonl.status()).toBe(200);
    expect(jsonl.headers()['content-disposition']).toMatch(/^attachment; filename="sightline-spans-default-.*\.jsonl"$/);
    const lines = (await jsonl.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { traceId: string; statusMessage: string });
    expect(lines.map((l) => l.traceId)).toEqual([failed, failed]);
    expect(lines.some((l) => l.statusMessage === 'refund failed: "card", declined\nretry later')).toBe(true);
  });

  it('shows the collector’s message for a bad filter instead of a file', async () => {
    const res = await watched.page.context().request.get(`${dashboard}/traces/export?format=xml`);
    expect(res.status()).toBe(400);
    await expect(res.text()).resolves.toContain('format');
  });
});

describe('session list download', () => {
  it('saves every span of the listed sessions, with the list’s filters', async () => {
    const { failed } = await seedOnce();
    const { page } = watched;
    await page.goto(`${dashboard}/sessions?range=1h&status=error&agent=export-e2e`);
    await page.locator('a[href^="/sessions/export-session-1"]').first().waitFor();
    const csvLink = page.getByRole('link', { name: 'Download spans as CSV' });
    const href = new URL((await csvLink.getAttribute('href'))!, dashboard);
    expect(href.pathname).toBe('/export/sessions');
    expect(Object.fromEntries(href.searchParams)).toMatchObject({ format: 'csv', status: 'error', agent: 'export-e2e' });

    const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    expect(download.suggestedFilename()).toMatch(/^sightline-session-spans-default-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const [header, ...rows] = csv.replace(/\r\n$/, '').split('\r\n');
    expect(header).toBe(EXPORTED_SPAN_COLUMNS.join(','));
    // The failed session's run: its root (which names the session) and its tool call (which does not).
    expect(rows.filter((r) => /^[0-9a-f]{32},/.test(r)).map((r) => r.slice(0, 32))).toEqual([failed, failed]);
    expect(csv).toContain('execute_tool refund');
    expect(page.url()).toContain('/sessions?');
  });
});
