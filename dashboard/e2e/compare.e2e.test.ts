/**
 * Compare in real Chromium against a real collector (embedded ClickHouse): two sessions checked in
 * the Sessions list, Compare, and the two side by side with the changed tool choice and the failed
 * call marked; the resulting link reloads the same view.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openWatchedPage, type WatchedPage } from './browser';
import { startCollector } from '@sightline/collector';
import { AFTER, BEFORE, GROUP_A, GROUP_AGENT, GROUP_B, STEPS, seedCompare } from './compare-seed';

const SHOTS = process.env.SIGHTLINE_SHOTS_DIR ?? '/tmp/shots';
const dashboard = inject('dashboardUrl');
const collectorPort = inject('collectorPort');

let collector: Awaited<ReturnType<typeof startCollector>>;
let dataDir: string;
let browser: Browser;
let page: Page;
let watched: WatchedPage;

/** Poll until both sessions show all their steps (writes are batched). */
async function waitForSessions(url: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const paths = await Promise.all(
      [BEFORE, AFTER].map(async (id) => {
        const res = await fetch(`${url}/api/sessions/${id}`);
        return res.ok ? ((await res.json()) as { path: unknown[] }).path.length : 0;
      }),
    );
    if (paths.every((n) => n >= STEPS)) return;
    if (Date.now() > deadline) throw new Error(`compare seed not visible: ${paths.join(', ')} steps`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Poll the drift engine (which the group compare reads) until both releases' sessions are summarised. */
async function waitForGroups(url: string) {
  const deadline = Date.now() + 90_000;
  let last = '';
  for (;;) {
    const res = await fetch(`${url}/api/drift/compare?agent=${GROUP_AGENT}&releaseA=1.0&releaseB=1.1`);
    if (res.ok) {
      const r = (await res.json()) as { baseline: { sessions: number }; current: { sessions: number } };
      last = `${r.baseline.sessions} A, ${r.current.sessions} B`;
      if (r.baseline.sessions >= GROUP_A && r.current.sessions >= GROUP_B) return;
    } else last = `HTTP ${res.status}`;
    if (Date.now() > deadline) throw new Error(`group seed not summarised: ${last}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sightline-compare-e2e-'));
  collector = await startCollector({ port: collectorPort, host: '127.0.0.1', dataDir, flushIntervalMs: 100, logLevel: 'warn' });
  await seedCompare(collector.url);
  await waitForSessions(collector.url);
  await waitForGroups(collector.url);
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

/** Each row of the side-by-side table as "op changed-fields", e.g. "changed choice". */
async function rowMarks(): Promise<string[]> {
  const rows = page.getByTestId('compare-row');
  await rows.first().waitFor();
  return rows.evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-op')} ${tr.getAttribute('data-changed')}`.trim()));
}

describe('Compare', () => {
  it('checks two sessions in the list, compares them, and marks the changed tool and the failed call', async () => {
    await page.goto(`${dashboard}/sessions?environment=compare`);
    const button = page.getByTestId('compare-button');
    await expect(button.isDisabled()).resolves.toBe(true);
    await page.getByLabel(`Select session ${BEFORE} to compare`).check();
    await page.getByLabel(`Select session ${AFTER} to compare`).check();
    await page.waitForFunction(() => !(document.querySelector('[data-testid="compare-button"]') as HTMLButtonElement).disabled);
    await button.click();
    await page.waitForURL((u) => u.pathname === '/compare');
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ kind: 'session', a: BEFORE, b: AFTER });

    // agent, chat, search tool, chat, fetch_page, chat: aligned one to one.
    const expected = ['same', 'same', 'changed choice', 'same', 'changed status', 'same'];
    expect(await rowMarks()).toEqual(expected);
    const choice = page.getByTestId('compare-row').nth(2);
    await expect(choice.locator('[data-field="choice"]').allTextContents()).resolves.toEqual(['web_search', 'search_kb']);
    await expect(choice.locator('.cmp-diff[data-field="choice"]').count()).resolves.toBe(2);
    const failed = page.getByTestId('compare-row').nth(4);
    await expect(failed.locator('.cmp-diff[data-field="status"]').count()).resolves.toBe(2);
    await expect(failed.locator('td').nth(2).textContent()).resolves.toContain('Error');
    // The summary: nothing only on one side, two aligned steps differ; B has the one failed step.
    await expect(page.getByTestId('compare-counts').locator('td.num').allTextContents()).resolves.toEqual(['0', '0', '2', '4']);
    const failedRow = page.getByTestId('compare-totals').locator('tr', { hasText: 'Failed steps' });
    await expect(failedRow.locator('td.num').allTextContents()).resolves.toEqual(['0', '1']);
    await page.screenshot({ path: path.join(SHOTS, 'compare-sessions.png'), fullPage: true });

    // The deep link reproduces the view.
    const link = page.url();
    await page.goto('about:blank');
    await page.goto(link);
    expect(await rowMarks()).toEqual(expected);
    await expect(page.getByTestId('compare-counts').locator('td.num').allTextContents()).resolves.toEqual(['0', '0', '2', '4']);
  });

  it('compares two traces checked in the trace list', async () => {
    await page.goto(`${dashboard}/traces?environment=compare&q=comparer`);
    const rows = page.getByTestId('trace-table').locator('tbody tr');
    await rows.first().waitFor();
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-trace-id')!));
    expect(ids).toHaveLength(2); // newest first: AFTER's trace, then BEFORE's
    await page.getByLabel(`Select trace ${ids[1]} to compare`).check();
    await page.getByLabel(`Select trace ${ids[0]} to compare`).check();
    await page.waitForFunction(() => !(document.querySelector('[data-testid="compare-button"]') as HTMLButtonElement).disabled);
    await page.getByTestId('compare-button').click();
    await page.waitForURL((u) => u.pathname === '/compare');
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({ kind: 'trace', a: ids[1], b: ids[0] });
    expect(await rowMarks()).toEqual(['same', 'same', 'changed choice', 'same', 'changed status', 'same']);
  });

  it('says which side is missing for an unknown id', async () => {
    await page.goto(`${dashboard}/compare?kind=session&a=${BEFORE}&b=no-such-session`);
    // The page streams its answer in: wait for the heading rather than test it once at load.
    await page.getByRole('heading', { name: 'Session B not found' }).waitFor({ timeout: 15_000 });
  });

  it('compares two releases of an agent as groups: tool choice distributions side by side', async () => {
    await page.goto(`${dashboard}/compare/groups?agent=${GROUP_AGENT}&a.release=1.0&b.release=1.1`);
    await expect(page.getByTestId('group-sides').textContent()).resolves.toMatch(
      new RegExp(`A release 1\\.0, ${GROUP_A} sessions · B release 1\\.1, ${GROUP_B} sessions`),
    );
    const choice = page.getByTestId('group-signal-tool.choice');
    const row = (tool: string) => choice.locator('tr', { hasText: tool }).locator('td').allTextContents();
    // Each session calls its search tool once and fetch_page once.
    await expect(row('web_search')).resolves.toEqual(['web_search', '50.0%', '0.0%', '-50.0']);
    await expect(row('search_kb')).resolves.toEqual(['search_kb', '0.0%', '50.0%', '+50.0']);
    await expect(row('fetch_page')).resolves.toEqual(['fetch_page', '50.0%', '50.0%', '0.0']);
    await expect(page.getByTestId('group-signal-tokens').locator('tbody tr').count()).resolves.toBe(2);
    await page.screenshot({ path: path.join(SHOTS, 'compare-groups.png'), fullPage: true });
  });
});
