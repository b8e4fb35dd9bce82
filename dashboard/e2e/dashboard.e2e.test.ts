/**
 * The dashboard in real Chromium against a real collector (embedded ClickHouse), seeded through
 * the real OpenTelemetry exporter. One browser, one collector; the last test stops the collector.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Browser, Page } from 'playwright-core';
import { openWatchedPage, type WatchedPage } from './browser';
import { startCollector } from '@sightline/collector';
import { MetricsResponse } from '@sightline/contract';
import { formatUsd } from '../lib/format';
import { seed, XSS_PAYLOAD, type SeedResult } from './seed';

const SHOTS = process.env.SIGHTLINE_SHOTS_DIR ?? '/tmp/shots';
const dashboard = inject('dashboardUrl');
const collectorPort = inject('collectorPort');

let collector: Awaited<ReturnType<typeof startCollector>>;
let dataDir: string;
let data: SeedResult;
let browser: Browser;
let page: Page;
/** Console errors and uncaught exceptions in the page: hydration mismatches show up here. */
let watched: WatchedPage;

/** Poll the collector's API until the seeded spans are queryable (writes are batched). */
async function waitForSeed(url: string, s: SeedResult) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [list, big] = await Promise.all([
      fetch(`${url}/api/traces?environment=prod&limit=500`).then((r) => r.json() as Promise<{ traces?: unknown[] }>),
      fetch(`${url}/api/traces/${s.bigTraceId}`).then((r) => (r.ok ? (r.json() as Promise<{ spans: unknown[] }>) : { spans: [] })),
    ]);
    if ((list.traces?.length ?? 0) >= s.prod.traces && big.spans.length >= s.bigTraceSpans) return;
    if (Date.now() > deadline) throw new Error(`seed not visible: ${list.traces?.length} traces, big trace ${big.spans.length} spans`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** "2.00 s" / "200 ms" → milliseconds. */
function parseDuration(text: string): number {
  const m = /([\d.]+)\s*(µs|ms|s)\b/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : m[2] === 'µs' ? n / 1000 : n;
}

async function shot(name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sightline-dash-e2e-'));
  collector = await startCollector({ port: collectorPort, host: '127.0.0.1', dataDir, flushIntervalMs: 100, logLevel: 'warn' });
  data = await seed(collector.url);
  await waitForSeed(collector.url, data);
  await mkdir(SHOTS, { recursive: true });
  watched = await openWatchedPage();
  ({ browser, page } = watched);
});

afterEach(() => {
  expect(watched.takeErrors(), 'errors in the browser console').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await collector?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('dashboard in a browser', () => {
  it('overview shows the error rate and latency percentiles of the seed data', async () => {
    await page.goto(`${dashboard}/?environment=prod`);
    await expect(page.title()).resolves.toBe('Overview · Sightline');
    const tile = (id: string) => page.getByTestId(`tile-${id}`).locator('.value');
    expect(await tile('traces').textContent()).toBe('50');
    expect(await tile('error-rate').textContent()).toBe('10%');
    expect(await tile('sessions').textContent()).toBe('10');
    expect(await tile('tokens').textContent()).toBe('15k'); // 50 runs × 2 model calls × 150 tokens
    // The collector's quantiles are t-digest estimates: allow a little slack.
    expect(parseDuration((await tile('p95').textContent())!)).toBeGreaterThanOrEqual(data.prod.p95Ms * 0.9);
    expect(parseDuration((await tile('p95').textContent())!)).toBeLessThanOrEqual(data.prod.p95Ms * 1.1);
    expect(parseDuration((await tile('p50').textContent())!)).toBeCloseTo(data.prod.p50Ms, -1);
    await page.getByTestId('breakdown-tool').waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    await shot('overview');
    await page.screenshot({ path: path.join(SHOTS, 'overview-full.png'), fullPage: true });
  });

  it('shows spend, and keeps every column of the Models table visible at laptop widths (1280–1440 px)', async () => {
    // What the collector says the seed cost (gpt-4o calls, priced from the price database at ingest).
    const byModel = MetricsResponse.parse(
      await fetch(`${collector.url}/api/metrics?environment=prod&groupBy=model&from=${Date.now() - 3_600_000}`).then((r) => r.json()),
    );
    const spend = byModel.totals.reduce((n, t) => n + t.costUsd, 0);
    expect(spend).toBeGreaterThan(0);
    for (const width of [1280, 1366, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${dashboard}/?environment=prod`);
      expect(await page.getByTestId('tile-cost').locator('.value').textContent()).toBe(formatUsd(spend));
      expect(await page.getByTestId('tile-cost').locator('.sub').textContent()).toBe('every call priced');
      await page.getByTestId('spend-chart').locator('.recharts-surface').waitFor();
      await page.getByTestId('expensive-sessions').waitFor();
      const table = page.getByTestId('breakdown-model');
      await table.waitFor();
      const fit = await table.evaluate((t) => {
        const wrap = t.parentElement!;
        const card = t.closest('section')!.getBoundingClientRect();
        const headers = [...t.querySelectorAll('thead th')];
        return {
          overflow: wrap.scrollWidth - wrap.clientWidth,
          lastRight: headers.at(-1)!.getBoundingClientRect().right,
          cardRight: card.right,
          headers: headers.map((h) => h.textContent?.replace(/[↑↓]/g, '').trim()),
        };
      });
      expect(fit.headers).toEqual(['Model', 'Calls', 'p95', 'Errors', 'Cost']);
      expect(fit.overflow, `Models table scrolls at ${width} px`).toBeLessThanOrEqual(0);
      expect(fit.lastRight, `Cost column cut off at ${width} px`).toBeLessThanOrEqual(fit.cardRight);
      expect(await table.locator('tbody td').last().textContent()).toBe(formatUsd(spend));
    }
    await shot('overview-cost-1440');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('adds a custom price on the Settings page', async () => {
    await page.goto(`${dashboard}/settings`);
    const form = page.getByTestId('price-form');
    await form.locator('input[name=modelPattern]').fill('e2e-model-*');
    await form.locator('input[name=inputPerMTok]').fill('1.5');
    await form.locator('input[name=outputPerMTok]').fill('6');
    await form.getByRole('button', { name: 'Add price' }).click();
    await page.getByTestId('price-table').getByText('e2e-model-*').waitFor();
    expect(await page.getByTestId('price-table').locator('tbody tr').first().locator('td').nth(2).textContent()).toBe('$1.5');
  });

  it('goes from the latency spike to the slow span in three clicks', async () => {
    await page.goto(`${dashboard}/?environment=prod`);
    await page.getByTestId('latency-spikes').locator('a').first().click(); // 1: the spike
    await page.waitForURL(/\/traces\?/);
    await page.getByTestId('trace-link').first().click(); // 2: the slowest trace in it
    await page.waitForURL(/\/traces\/[0-9a-f]{32}/);
    // 3: the waterfall opens on the slowest span of the critical path, already selected.
    const selected = page.locator('[data-testid="span-row"][aria-selected="true"]');
    await expect(selected.getAttribute('data-critical')).resolves.toBe('');
    expect(await selected.getByTestId('span-name').textContent()).toBe('execute_tool web_search');
    expect(await page.getByTestId('span-panel-name').textContent()).toBe('execute_tool web_search');
    await shot('trace-slow');
  });

  it('a filter narrows the trace list', async () => {
    await page.goto(`${dashboard}/traces?environment=prod`);
    const rows = page.getByTestId('trace-table').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(50);
    await page.locator('select[name="agent"]').selectOption('researcher');
    await page.waitForURL(/agent=researcher/);
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(data.researcherTraceIds.length);
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-trace-id')));
    expect(new Set(ids)).toEqual(new Set(data.researcherTraceIds));
    await shot('traces-filtered');
    // Live refresh is a URL param too, so a live view can be shared.
    await page.getByRole('button', { name: 'Live' }).click();
    await page.waitForURL(/live=1/);
    expect(await page.getByRole('button', { name: 'Live' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('says how to send data when there is none', async () => {
    await page.goto(`${dashboard}/?environment=nowhere`);
    const empty = page.getByRole('status').filter({ hasText: 'No traces in this time range' });
    await empty.waitFor();
    expect(await empty.textContent()).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(await page.getByTestId('tile-p95').count()).toBe(0);
    await shot('overview-empty');
  });

  it('renders every span of a 500-span trace', async () => {
    await page.goto(`${dashboard}/traces/${data.bigTraceId}`);
    const waterfall = page.getByTestId('waterfall');
    await waterfall.waitFor();
    expect(await waterfall.getAttribute('data-row-count')).toBe(String(data.bigTraceSpans));
    // Rows are windowed: scroll through and collect every row that was drawn. After each scroll,
    // wait until the drawn rows cover the viewport (React renders on the scroll event).
    const seen = new Set<string>();
    const scroller = page.locator('.wf-scroll');
    await scroller.evaluate((el) => (el.scrollTop = 0));
    for (let i = 0; i < 400; i++) {
      await page.waitForFunction(() => {
        const el = document.querySelector<HTMLElement>('.wf-scroll')!;
        const tops = [...el.querySelectorAll<HTMLElement>('[data-testid="span-row"]')].map((r) => parseFloat(r.style.top));
        const bottom = Math.min(el.scrollTop + el.clientHeight, el.scrollHeight) - 1;
        return tops.length > 0 && Math.min(...tops) <= el.scrollTop && Math.max(...tops) + 26 >= bottom;
      });
      const ids = await page
        .locator('[data-testid="span-row"]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-span-id') ?? ''));
      ids.forEach((id) => seen.add(id));
      const atEnd = await scroller.evaluate((el) => {
        if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) return true;
        el.scrollTop += Math.floor(el.clientHeight / 2);
        return false;
      });
      if (atEnd) break;
    }
    expect(seen.size).toBe(data.bigTraceSpans);
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await shot('trace-500');
  });

  it('shows a <script> payload in an attribute as text', async () => {
    await page.goto(`${dashboard}/traces/${data.xssTraceId}?span=${data.xssSpanId}`);
    const panel = page.getByTestId('span-panel');
    await expect(page.getByTestId('span-panel-name').textContent()).resolves.toBe('execute_tool render_html');
    expect(await panel.getByTestId('span-attributes').textContent()).toContain(XSS_PAYLOAD);
    expect(await panel.locator('script, img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __sightlineXss?: number }).__sightlineXss)).toBeUndefined();
    await shot('trace-xss');
    // The Logs tab: the record sent to /v1/logs for this span, its payload as text too.
    await panel.getByTestId('span-tab-logs').click();
    const log = panel.getByTestId('span-log');
    await expect(log.textContent()).resolves.toContain(XSS_PAYLOAD);
    expect(await log.textContent()).toContain('ERROR');
    expect(await log.textContent()).toContain('render.failed');
    expect(await panel.locator('script, img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __sightlineXss?: number }).__sightlineXss)).toBeUndefined();
    await shot('trace-logs');
  });

  it('finds a run by a word of its tool arguments and marks the word, as text, in the trace view', async () => {
    // "onerror" is in the XSS span's attribute and tool arguments only: one run matches.
    await page.goto(`${dashboard}/traces?q=onerror`);
    const links = page.getByTestId('trace-table').getByTestId('trace-link');
    await links.first().waitFor();
    expect(await links.count()).toBe(1);
    await links.first().click();
    await page.waitForURL(new RegExp(`/traces/${data.xssTraceId}\\?q=onerror`));
    const panel = page.getByTestId('span-panel');
    // The first span holding the word is selected, and the word is marked wherever the panel shows it.
    await expect(page.getByTestId('span-panel-name').textContent()).resolves.toBe('execute_tool render_html');
    const marks = panel.getByTestId('search-match');
    await marks.first().waitFor();
    expect(await marks.count()).toBeGreaterThanOrEqual(2);
    expect(new Set(await marks.allTextContents())).toEqual(new Set(['onerror']));
    expect(await panel.locator('mark').evaluateAll((els) => els.every((el) => el.children.length === 0))).toBe(true);
    // Marking split the payload into text nodes, not into markup: it still reads whole, and nothing ran.
    expect(await panel.getByTestId('span-attributes').textContent()).toContain(XSS_PAYLOAD);
    expect(await panel.locator('script, img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __sightlineXss?: number }).__sightlineXss)).toBeUndefined();
    await expect(page.getByTestId('search-span-count').textContent()).resolves.toBe('1 span with “onerror”');
    await shot('trace-search');
  });

  it('lists sessions and shows a session path', async () => {
    await page.goto(`${dashboard}/sessions?environment=prod`);
    const link = page.getByTestId('session-table').locator('tbody a').first();
    await link.waitFor();
    await shot('sessions');
    await link.click();
    await page.waitForURL(/\/sessions\/sess-/);
    await page.getByTestId('session-path').waitFor();
    expect(await page.getByTestId('tool-flow').textContent()).toContain('web_search');
    await shot('session');
  });

  it('says how many spans ClickHouse refused and where they are kept', async () => {
    // ClickHouse refusing one span's content (injected at the storage seam): the collector isolates
    // it into the quarantine and stores its siblings; the dashboard must say so on every page.
    const realInsert = collector.storage.insertRaw;
    collector.storage.insertRaw = async (r) => {
      const body = Buffer.isBuffer(r.body) ? r.body : Buffer.concat(r.body);
      if (body.includes('refused-by-clickhouse')) throw new Error('Code: 27. DB::Exception: Cannot parse input: injected');
      return realInsert(r);
    };
    try {
      const provider = new TracerProvider({
        spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${collector.url}/v1/traces` }) })],
      });
      provider.getTracer('e2e').startSpan('refused-by-clickhouse').end();
      await provider.forceFlush();
      await provider.shutdown();
      await collector.pipeline.flush();
    } finally {
      collector.storage.insertRaw = realInsert;
    }
    await page.goto(`${dashboard}/?environment=prod`);
    const banner = page.getByTestId('collector-quarantine');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('1 span is quarantined');
    expect(await banner.textContent()).toContain('/api/ingest/quarantine/replay');
    expect(await page.getByTestId('tile-traces').locator('.value').textContent()).toBe('50'); // the rest is intact
    await shot('quarantine-banner');
  });

  it('shows the banner, and no numbers, when the collector goes down', async () => {
    await collector.stop();
    await page.goto(`${dashboard}/?environment=prod`);
    await page.getByTestId('collector-unreachable').waitFor();
    expect(await page.getByTestId('collector-unreachable').textContent()).toContain('Cannot reach the collector');
    expect(await page.getByTestId('tile-p95').count()).toBe(0);
    await shot('collector-down');
    await page.goto(`${dashboard}/traces`);
    await page.getByTestId('collector-unreachable').waitFor();
  });
});
