/**
 * Scores in real Chromium against a real collector (embedded ClickHouse), seeded through the
 * OpenTelemetry SDK: a user_feedback score posted to the API shows on its trace's page, a span's
 * score in that span's panel, and the name with its mean in the overview's Scores card; a review
 * added through the trace view's form is listed after submit; the trace list filtered by
 * scoreName/scoreMax holds exactly the scored trace.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startCollector } from '@sightline/collector';
import { openWatchedPage, type WatchedPage } from './browser';
import { seed, type SeedResult } from './seed';

const SHOTS = process.env.SIGHTLINE_SHOTS_DIR ?? '/tmp/shots';
const dashboard = inject('dashboardUrl');
const collectorPort = inject('collectorPort');

let collector: Awaited<ReturnType<typeof startCollector>>;
let dataDir: string;
let data: SeedResult;
let browser: Browser;
let page: Page;
let watched: WatchedPage;
/** The seeded trace the feedback is about. */
let scored = '';

const FEEDBACK = 'e2e-helpfulness';
const REVIEW = 'e2e-review';

async function postScore(body: unknown): Promise<Response> {
  return fetch(`${collector.url}/api/scores`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Poll until the seeded agent runs are queryable (writes are batched). */
async function waitForSeed(url: string, s: SeedResult) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const list = (await fetch(`${url}/api/traces?environment=prod&limit=500`).then((r) => r.json())) as { traces?: unknown[] };
    if ((list.traces?.length ?? 0) >= s.prod.traces) return;
    if (Date.now() > deadline) throw new Error(`seed not visible: ${list.traces?.length} traces`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sightline-scores-e2e-'));
  collector = await startCollector({ port: collectorPort, host: '127.0.0.1', dataDir, flushIntervalMs: 100, logLevel: 'warn' });
  data = await seed(collector.url);
  await waitForSeed(collector.url, data);
  scored = data.plannerTraceIds[1]!;
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

describe('scores in the dashboard', () => {
  it('shows user feedback posted to the API on its trace, a span score in its span panel, and the name and mean in the overview', async () => {
    expect((await postScore({ traceId: scored, name: FEEDBACK, value: 0.25, comment: 'missed the point' })).status).toBe(201);
    expect(
      (
        await postScore({
          traceId: data.slowTraceId,
          spanId: data.slowToolSpanId,
          name: 'tool-choice',
          label: 'right',
          source: 'evaluator',
        })
      ).status,
    ).toBe(201);

    await page.goto(`${dashboard}/traces/${scored}`);
    const table = page.getByTestId('trace-scores');
    await table.waitFor();
    const row = table.getByTestId('score-row').filter({ hasText: FEEDBACK });
    expect(await row.count()).toBe(1);
    const text = await row.innerText();
    expect(text).toContain('0.25');
    expect(text).toContain('user feedback');
    expect(text).toContain('missed the point');

    // The span's own score, in its panel (and in the trace's list).
    await page.goto(`${dashboard}/traces/${data.slowTraceId}?span=${data.slowToolSpanId}`);
    const spanScores = page.getByTestId('span-panel').getByTestId('span-scores');
    await spanScores.waitFor();
    expect(await spanScores.innerText()).toContain('tool-choice');
    expect(await spanScores.innerText()).toContain('right');
    expect(await spanScores.innerText()).toContain('evaluator');

    // The session lists its traces' scores, each linked to its trace.
    const session = (await fetch(`${collector.url}/api/traces/${scored}`).then((r) => r.json())) as { spans: Array<{ sessionId: string }> };
    await page.goto(`${dashboard}/sessions/${encodeURIComponent(session.spans[0]!.sessionId)}`);
    const sessionRow = page.getByTestId('session-scores').getByTestId('score-row').filter({ hasText: FEEDBACK });
    await sessionRow.waitFor();
    expect(await sessionRow.getByRole('link').getAttribute('href')).toBe(`/traces/${scored}`);

    await page.goto(`${dashboard}/`);
    const card = page.getByTestId('scores-card');
    await card.locator('.recharts-surface').waitFor();
    const nameRow = card.getByTestId('score-name-row').filter({ hasText: FEEDBACK });
    await nameRow.waitFor();
    expect(await nameRow.getByTestId('score-mean').innerText()).toBe('0.25');
    expect(await card.locator('.chart-legend').innerText()).toContain(FEEDBACK);
    // The label-only score is listed with its label.
    expect(await card.getByTestId('score-name-row').filter({ hasText: 'tool-choice' }).innerText()).toContain('right 1');

    // The card fits laptop widths: neither its table nor the page scrolls sideways.
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${dashboard}/`);
      await card.locator('.recharts-surface').waitFor();
      const fit = await card.getByTestId('score-names').evaluate((t) => ({
        table: t.parentElement!.scrollWidth - t.parentElement!.clientWidth,
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      }));
      expect(fit, `overflow at ${width} px`).toEqual({ table: 0, page: 0 });
      await card.screenshot({ path: path.join(SHOTS, `overview-scores-${width}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('adds a human review through the trace view form and lists it after submit', async () => {
    await page.goto(`${dashboard}/traces/${scored}`);
    const form = page.getByTestId('score-form');
    await form.waitFor();
    await form.locator('input[name="name"]').fill(REVIEW);
    await form.locator('input[name="value"]').fill('4');
    await form.locator('input[name="label"]').fill('good');
    await form.locator('input[name="comment"]').fill('checked by hand');
    await form.getByRole('button', { name: 'Add score' }).click();
    const row = page.getByTestId('trace-scores').getByTestId('score-row').filter({ hasText: REVIEW });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('4 · good');
    expect(text).toContain('human review');
    expect(text).toContain('checked by hand');
    // Stored by the collector, not only shown.
    const stored = (await fetch(`${collector.url}/api/scores?traceId=${scored}&name=${REVIEW}`).then((r) => r.json())) as {
      scores: Array<{ source: string; value: number; label: string }>;
    };
    expect(stored.scores.map((s) => [s.source, s.value, s.label])).toEqual([['human_review', 4, 'good']]);
    await page.getByRole('region', { name: 'Scores' }).screenshot({ path: path.join(SHOTS, 'trace-scores.png') });

    // A refused score names the problem and keeps what was typed.
    await form.locator('input[name="name"]').fill('no-value');
    await form.getByRole('button', { name: 'Add score' }).click();
    await page.getByTestId('score-form-error').waitFor();
    expect(await page.getByTestId('score-form-error').innerText()).toContain('value, a label, or both');
    expect(await form.locator('input[name="name"]').inputValue()).toBe('no-value');
  });

  it('filters the trace list by scoreName and scoreMax to exactly the scored trace', async () => {
    await page.goto(`${dashboard}/traces`);
    const filter = page.getByTestId('score-filter');
    await filter.waitFor();
    await filter.locator('select[name="scoreName"]').selectOption(FEEDBACK);
    await filter.locator('input[name="scoreMax"]').fill('0.5');
    await filter.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((u) => u.searchParams.get('scoreName') === FEEDBACK && u.searchParams.get('scoreMax') === '0.5');
    await page.getByTestId('score-filter-chip').waitFor();
    const links = page.getByTestId('trace-table').getByTestId('trace-link');
    await expect.poll(() => links.count(), { timeout: 20_000 }).toBe(1);
    expect(await links.first().getAttribute('href')).toBe(`/traces/${scored}`);
    // The span download takes the same filter as the list.
    const csv = new URL((await page.getByRole('link', { name: 'Download spans as CSV' }).getAttribute('href'))!, dashboard);
    expect([csv.searchParams.get('scoreName'), csv.searchParams.get('scoreMax')]).toEqual([FEEDBACK, '0.5']);
    await page.screenshot({ path: path.join(SHOTS, 'traces-score-filter.png') });

    // Above the bound: no trace.
    await page.goto(`${dashboard}/traces?scoreName=${FEEDBACK}&scoreMin=0.5`);
    await page.getByText('No traces found').waitFor();
  });
});
