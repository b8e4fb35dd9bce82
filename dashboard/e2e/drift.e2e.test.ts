/**
 * The Drift page in real Chromium against a real collector (embedded ClickHouse), seeded through
 * the real OpenTelemetry exporter with a week of sessions: one agent whose first tool flips from
 * search_kb to web_search in the last two hours, one that behaves as before.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openWatchedPage, type WatchedPage } from './browser';
import { startCollector } from '@sightline/collector';
import { BASELINE_SESSIONS, CURRENT_SESSIONS, DRIFTER, STEADY, seedDrift } from './drift-seed';

const SHOTS = process.env.SIGHTLINE_SHOTS_DIR ?? '/tmp/shots';
const dashboard = inject('dashboardUrl');
const collectorPort = inject('collectorPort');
const HOUR_MS = 3_600_000;

let collector: Awaited<ReturnType<typeof startCollector>>;
let dataDir: string;
let browser: Browser;
let page: Page;
let currentSessionIds: string[];
let seedMs = 0;
let watched: WatchedPage;

/** Poll the report the page asks for (last 2 h) until every seeded session is summarised. */
async function waitForSessions(url: string, agent: string) {
  const deadline = Date.now() + 60_000;
  let last = '';
  for (;;) {
    const to = Date.now();
    const res = await fetch(`${url}/api/drift/report?agent=${agent}&from=${to - 2 * HOUR_MS}&to=${to}`);
    if (res.ok) {
      const r = (await res.json()) as { baseline: { sessions: number }; current: { sessions: number } };
      last = `${r.baseline.sessions} baseline, ${r.current.sessions} current`;
      if (r.baseline.sessions >= BASELINE_SESSIONS && r.current.sessions >= CURRENT_SESSIONS) return;
    } else last = `HTTP ${res.status}`;
    if (Date.now() > deadline) throw new Error(`drift seed of ${agent} not visible: ${last}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The verdict card's row of one signal (the heatmap below has a row per signal too). */
function signalRow(signal: string) {
  const verdict = page.locator('.card-body', { has: page.getByTestId('drift-summary') });
  return verdict.locator('tr', { has: page.getByRole('link', { name: signal, exact: true }) });
}

async function shot(name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sightline-drift-e2e-'));
  collector = await startCollector({ port: collectorPort, host: '127.0.0.1', dataDir, flushIntervalMs: 100, logLevel: 'warn' });
  const t0 = Date.now();
  ({ currentSessionIds } = await seedDrift(collector.url));
  await Promise.all([waitForSessions(collector.url, DRIFTER), waitForSessions(collector.url, STEADY)]);
  seedMs = Date.now() - t0;
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
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('Drift page', () => {
  it('seeds ~2,200 spans and summarises 720 sessions in well under 20 s', () => {
    console.log(`drift seed: ${seedMs} ms until every session was summarised`);
    expect(seedMs).toBeLessThan(20_000);
  });

  it('shows the drift of an agent whose first tool changed, explains it and links to example sessions', async () => {
    await page.goto(`${dashboard}/drift?agent=${DRIFTER}&window=2`);
    await expect(page.title()).resolves.toBe('Drift · Sightline');
    expect(await page.getByTestId('drift-status').textContent()).toBe('Drift');
    expect(await page.getByTestId('drift-summary').textContent()).toContain(`${DRIFTER} decides differently`);
    // The trailing baseline spans the previous week at the same hours of day: the hint says so, with dates.
    const hint = await page
      .locator('.card-header', { has: page.getByTestId('drift-status') })
      .locator('.hint')
      .textContent();
    expect(hint).toMatch(
      /^current \w{3} \d+, \d\d:\d\d – .* vs baseline \w{3} \d+, \d\d:\d\d – \w{3} \d+, \d\d:\d\d \(UTC hours [\d, ]+ only\)$/,
    );

    // The signal list explains the changed tool with its shares before and after.
    const firstToolRow = signalRow('tool.first');
    const explanation = await firstToolRow.textContent();
    expect(explanation).toContain('"web_search" 20.0% → 80.0% (+60.0 pts)');
    expect(explanation).toContain('"search_kb" 80.0% → 20.0% (-60.0 pts)');
    expect(await firstToolRow.locator('.badge').textContent()).toBe('drift');

    await firstToolRow.getByRole('link', { name: 'tool.first', exact: true }).click();
    await page.waitForURL(/signal=tool\.first/);
    const detail = page.getByRole('region', { name: 'Signal: tool.first' });
    const bars = detail.getByRole('table', { name: 'Change in points per category' });
    const grew = bars.locator('tr[data-category="web_search"]');
    const shrank = bars.locator('tr[data-category="search_kb"]');
    await grew.waitFor();
    expect((await grew.locator('td').allTextContents()).slice(0, 3)).toEqual(['web_search', '20.0%', '80.0%']);
    expect((await shrank.locator('td').allTextContents()).slice(0, 3)).toEqual(['search_kb', '80.0%', '20.0%']);
    // Diverging: the grown share to the right of the axis, the shrunk one to the left, equally long.
    const axis = await grew.locator('td').nth(3).boundingBox();
    const up = await grew.getByTestId('delta-bar').boundingBox();
    const down = await shrank.getByTestId('delta-bar').boundingBox();
    const center = axis!.x + axis!.width / 2;
    expect(up!.x).toBeGreaterThanOrEqual(center - 1);
    expect(up!.width).toBeGreaterThan(axis!.width / 4);
    expect(down!.x + down!.width).toBeLessThanOrEqual(center + 1);
    expect(Math.abs(up!.width - down!.width)).toBeLessThan(1);
    // The value labels stay inside the change column, clear of the "current" percentages.
    for (const row of [grew, shrank]) {
      const currentCell = await row.locator('td').nth(2).boundingBox();
      const label = await row.getByTestId('delta-label').boundingBox();
      expect(label!.x).toBeGreaterThanOrEqual(currentCell!.x + currentCell!.width);
      expect(label!.x + label!.width).toBeLessThanOrEqual(axis!.x + axis!.width);
    }

    const before = page.getByRole('region', { name: 'Top paths before (baseline)' }).locator('li');
    const after = page.getByRole('region', { name: 'Top paths after (current)' }).locator('li');
    expect(await before.first().textContent()).toBe('search_kb → summarize 80.0%');
    expect(await after.first().textContent()).toBe('web_search → summarize 80.0%');
    expect(await before.nth(1).textContent()).toBe('web_search → summarize 20.0%');
    await shot('drift-agent-drifted');

    // An example of the new behaviour opens that session's page.
    const example = page.getByRole('region', { name: 'Example sessions after' }).getByRole('link').first();
    const href = await example.getAttribute('href');
    const id = decodeURIComponent(href!.replace('/sessions/', ''));
    expect(currentSessionIds).toContain(id);
    expect(await page.getByRole('region', { name: 'Example sessions after' }).locator('li').first().textContent()).toContain(
      'web_search → summarize',
    );
    await example.click();
    await page.waitForURL(`**/sessions/${encodeURIComponent(id)}`);
    expect(await page.locator('h1.mono').textContent()).toBe(id);
    await page.getByRole('region', { name: 'Path', exact: true }).getByText('web_search').first().waitFor();
  });

  it('links an example before and one after to a side-by-side compare that marks the changed first tool', async () => {
    await page.goto(`${dashboard}/drift?agent=${DRIFTER}&window=2&signal=tool.first`);
    await page.getByTestId('drift-compare-examples').click();
    await page.waitForURL((u) => u.pathname === '/compare');
    const url = new URL(page.url());
    expect(url.searchParams.get('kind')).toBe('session');
    const rows = page.getByTestId('compare-row');
    await rows.first().waitFor();
    const firstTool = rows.filter({ hasText: 'search_kb' }).filter({ hasText: 'web_search' });
    expect(await firstTool.getAttribute('data-op')).toBe('changed');
    expect((await firstTool.getAttribute('data-changed'))?.split(' ')).toContain('choice');
  });

  it('shows no drift for an agent that behaves as before', async () => {
    await page.goto(`${dashboard}/drift?agent=${STEADY}&window=2`);
    expect(await page.getByTestId('drift-status').textContent()).toBe('No drift');
    expect(await page.getByTestId('drift-summary').textContent()).toContain(`${STEADY} behaves as in the baseline`);
    const firstToolRow = signalRow('tool.first');
    expect(await firstToolRow.textContent()).toContain('no category moved by a point or more');
    expect(await page.locator('table.table .badge.error').count()).toBe(0);
    await shot('drift-agent-steady');
  });
});
