/**
 * The API keys page in real Chromium against a real collector that requires sign-in (embedded
 * ClickHouse): an admin creates an ingest key, reads it once, sends real OTLP with it (200), sees
 * its last use after a reload, revokes it after a confirmation and the same export is refused
 * (401); a viewer sees no create or revoke control and the dashboard refuses their forced revoke;
 * the audit page lists the creation and the revocation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startCollector } from '@sightline/collector';
import { openWatchedPage, type WatchedPage } from './browser';
import { freePort, startDashboard } from './processes';

const ADMIN = { email: 'keys-admin@example.com', password: 'the keys admin password' };
const VIEWER = { email: 'keys-viewer@example.com', password: 'the keys viewer password' };

let collector: Awaited<ReturnType<typeof startCollector>>;
let dashboard: Awaited<ReturnType<typeof startDashboard>>;
let dataDir: string;
let watched: WatchedPage;
const pageErrors: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sightline-keys-e2e-'));
  const port = await freePort();
  collector = await startCollector(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      logLevel: 'error',
      flushIntervalMs: 100,
      alertsTickMs: 0,
      dashboardUrl: `http://127.0.0.1:${port}`,
      auth: { required: true, adminEmail: ADMIN.email, adminPassword: ADMIN.password, sessionTtlMs: 3_600_000, keyCacheTtlMs: 30_000 },
    },
    undefined,
    { passwordCost: { logN: 10, r: 8, p: 1 } }, // the collector's tests cover the default cost
  );
  const viewer = await collector.accounts.users.create({
    email: VIEWER.email,
    passwordHash: await collector.accounts.passwords.hash(VIEWER.password),
    instanceAdmin: false,
  });
  await collector.accounts.users.setRole('default', viewer.user.id, 'viewer');
  dashboard = await startDashboard(collector.url, { port });
  watched = await openWatchedPage({ ignoreFavicon: true });
}, 300_000);

afterEach(() => {
  expect(pageErrors.splice(0), 'errors in the browser console').toEqual([]);
});

afterAll(async () => {
  await watched?.browser.close();
  await dashboard?.stop();
  await collector?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await watched.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico')) pageErrors.push(msg.text());
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  return { context, page };
}

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto(`${dashboard.url}/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${dashboard.url}/`);
}

/** One OTLP/JSON span, as any exporter sends it, with the given bearer key (or none). */
function exportSpan(key: string | undefined): Promise<Response> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'keys-e2e' } }] },
        scopeSpans: [
          {
            scope: { name: 'e2e' },
            spans: [
              {
                traceId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
                spanId: '0102030405060708',
                name: 'keys e2e',
                kind: 1,
                startTimeUnixNano: (now - 1_000_000n).toString(),
                endTimeUnixNano: now.toString(),
                attributes: [],
                status: {},
              },
            ],
          },
        ],
      },
    ],
  };
  return fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
}

const keyRow = (page: Page, prefix: string) => page.locator(`tr[data-key-prefix="${prefix}"]`);

let createdKeyId = '';

describe('an admin', () => {
  it('creates an ingest key, reads it once, exports with it, sees its last use, revokes it, and the same export is refused', async () => {
    const { context, page } = await freshPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: dashboard.url });
    await signIn(page, ADMIN);
    await page.goto(`${dashboard.url}/settings`);
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL(`${dashboard.url}/settings/keys`);
    await page.getByRole('status').filter({ hasText: 'No keys yet' }).waitFor();
    // Times in the dashboard's one stated zone.
    await expect(page.locator('.time-zone-note').textContent()).resolves.toBe('Times in UTC');

    // No scope: the form says so and nothing is created.
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Key name').fill('agents in production');
    await form.getByLabel('ingest').uncheck();
    await form.getByRole('button', { name: 'Create key' }).click();
    await expect(form.getByRole('alert').textContent()).resolves.toContain('at least one scope');
    expect(await collector.keys.list('default')).toEqual([]);
    await expect(form.getByLabel('Key name').inputValue()).resolves.toBe('agents in production'); // kept for the retry

    await form.getByLabel('ingest').check();
    await form.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-api-key');
    await shown.waitFor();
    const key = await shown.inputValue();
    expect(key).toMatch(/^sl_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    await expect(page.getByRole('region', { name: 'New API key' }).textContent()).resolves.toContain('you will not see it again');
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(key);

    const prefix = key.split('_').slice(0, 2).join('_');
    const row = keyRow(page, prefix);
    await expect(row.textContent()).resolves.toContain('agents in production');
    await expect(row.locator('td').nth(2).textContent()).resolves.toBe('ingest');
    await expect(row.getByTestId('last-used').textContent()).resolves.toBe('never');
    const [stored] = await collector.keys.list('default');
    expect(stored).toMatchObject({ name: 'agents in production', prefix, scopes: ['ingest'], revokedAt: null });
    createdKeyId = stored!.id;

    // Shown once: after a reload the page (and its HTML) holds the prefix only.
    await page.reload();
    await keyRow(page, prefix).waitFor();
    await expect(page.getByTestId('new-api-key').count()).resolves.toBe(0);
    expect(await page.content()).not.toContain(key);
    expect(await (await context.request.get(`${dashboard.url}/settings/keys`)).text()).not.toContain(key);

    // A real export with the key; without it, the collector refuses.
    expect((await exportSpan(undefined)).status).toBe(401);
    expect((await exportSpan(key)).status).toBe(200);
    await page.reload();
    const lastUsed = keyRow(page, prefix).getByTestId('last-used');
    await expect(lastUsed.textContent()).resolves.not.toBe('never');
    await expect(lastUsed.locator('time').getAttribute('datetime')).resolves.toMatch(/Z$/);

    // Revoke: dismissing the confirmation changes nothing; accepting it revokes.
    const revoke = keyRow(page, prefix).getByRole('button', { name: /^Revoke / });
    page.once('dialog', (d) => void d.dismiss());
    await revoke.click();
    await page.waitForTimeout(500);
    expect((await collector.keys.list('default'))[0]?.revokedAt).toBeNull();
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.accept();
    });
    await revoke.click();
    await keyRow(page, prefix).locator('.badge.error').filter({ hasText: 'revoked' }).waitFor();
    await expect(
      keyRow(page, prefix)
        .getByRole('button', { name: /^Revoke / })
        .count(),
    ).resolves.toBe(0);
    expect(asked).toContain(prefix);
    expect((await collector.keys.list('default'))[0]?.revokedAt).not.toBeNull();

    expect((await exportSpan(key)).status).toBe(401);
    await context.close();
  });

  it('finds the creation and the revocation in the audit log', async () => {
    expect(createdKeyId).not.toBe('');
    const { context, page } = await freshPage();
    await signIn(page, ADMIN);
    // The audit row is written just after the change is answered: reload until both are there.
    const deadline = Date.now() + 15_000;
    let text = '';
    for (;;) {
      await page.goto(`${dashboard.url}/settings/audit`);
      text =
        (await page
          .getByTestId('audit')
          .textContent()
          .catch(() => '')) ?? '';
      if ((text.includes('key.create') && text.includes('key.revoke')) || Date.now() > deadline) break;
      await page.waitForTimeout(500);
    }
    const rows = page.getByTestId('audit').locator('tbody tr');
    for (const action of ['key.create', 'key.revoke']) {
      const row = rows.filter({ has: page.locator('td', { hasText: action }) });
      await expect(row.count()).resolves.toBe(1);
      await expect(row.textContent()).resolves.toContain(createdKeyId);
      await expect(row.textContent()).resolves.toContain(ADMIN.email);
    }
    await context.close();
  });
});

describe('a viewer', () => {
  it('sees no create or revoke control, and a revoke forced through the dashboard is refused', async () => {
    const target = await collector.keys.create('default', { name: 'not for viewers', scopes: ['read'] });
    // The revoke form's action id, as the admin's page renders it for forms that work without scripts.
    const admin = await freshPage();
    await signIn(admin.page, ADMIN);
    await admin.page.goto(`${dashboard.url}/settings/keys`);
    const names = await keyRow(admin.page, target.prefix)
      .locator('form input[type=hidden]')
      .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).name));
    const action = names.find((n) => n.startsWith('$ACTION_ID_'));
    expect(action).toBeDefined();
    await admin.context.close();

    const { context, page } = await freshPage();
    await signIn(page, VIEWER);
    await page.goto(`${dashboard.url}/settings/keys`);
    await expect(page.getByRole('status').filter({ hasText: 'Only admins of default' }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Create key' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: /^Revoke/ }).count()).resolves.toBe(0);
    await expect(page.getByTestId('api-keys').count()).resolves.toBe(0);

    // With this browser's valid CSRF token (from the sign-out form) and the admin's action id.
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    expect(csrf.length).toBeGreaterThanOrEqual(32);
    const status = await page.evaluate(
      async ({ url, action, keyId, csrf }) => {
        const form = new FormData();
        form.set(action, '');
        form.set('project', 'default');
        form.set('keyId', keyId);
        form.set('csrf', csrf);
        return (await fetch(url, { method: 'POST', body: form, credentials: 'include' })).status;
      },
      { url: `${dashboard.url}/settings/keys`, action: action!, keyId: target.id, csrf },
    );
    expect(status).toBeGreaterThanOrEqual(400);
    // The browser logs the refused request's status: expected here, not a fault of the page.
    const unexpected = pageErrors.splice(0).filter((e) => !/Failed to load resource: the server responded with a status of 500/.test(e));
    pageErrors.push(...unexpected);
    expect((await collector.keys.list('default')).find((k) => k.id === target.id)?.revokedAt).toBeNull();
    // The request itself was well formed: the same post from the admin revokes (the refusal above is the viewer's).
    const again = await freshPage();
    await signIn(again.page, ADMIN);
    await again.page.goto(`${dashboard.url}/settings/keys`);
    const adminCsrf = await again.page.locator('input[name=csrf]').first().inputValue();
    await again.page.evaluate(
      async ({ url, action, keyId, csrf }) => {
        const form = new FormData();
        form.set(action, '');
        form.set('project', 'default');
        form.set('keyId', keyId);
        form.set('csrf', csrf);
        await fetch(url, { method: 'POST', body: form, credentials: 'include' });
      },
      { url: `${dashboard.url}/settings/keys`, action: action!, keyId: target.id, csrf: adminCsrf },
    );
    expect((await collector.keys.list('default')).find((k) => k.id === target.id)?.revokedAt).not.toBeNull();
    await again.context.close();
    await context.close();
  });
});
