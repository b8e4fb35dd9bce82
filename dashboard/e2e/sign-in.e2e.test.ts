/**
 * Sign-in in real Chromium against a real collector that requires it (embedded ClickHouse) and a
 * real OpenID provider (`oidc-provider`) on loopback ports: the first admin created with the setup
 * token the collector printed, password sign-in and sign-out, single
 * sign-on through the provider's pages, CSRF refusal (a form without this browser's token; a form
 * from another origin), and a viewer who sees no edit controls and whose changes the collector
 * refuses with 403 even when forced through the dashboard.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startCollector } from '@sightline/collector';
// The collector's logger, to read the setup token as an operator reads the log.
import { createLogger } from '../../collector/src/logger';
import { AlertRuleInput } from '@sightline/contract';
// The provider the collector's own SSO tests use (collector/src/test-support, outside the app).
import { startOidcProvider, type TestOidcProvider } from '../../collector/src/test-support/oidc-provider';
import { openWatchedPage, type WatchedPage } from './browser';
import { freePort, startDashboard } from './processes';

const ADMIN = { email: 'admin@example.com', password: 'the admin password' };
const VIEWER = { email: 'viewer@example.com', password: 'the viewer password' };

let collector: Awaited<ReturnType<typeof startCollector>>;
let dashboard: Awaited<ReturnType<typeof startDashboard>>;
let idp: TestOidcProvider;
let dataDir: string;
let watched: WatchedPage;
let other: Server;
const printed: string[] = [];
let otherUrl: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sightline-sign-in-e2e-'));
  const port = await freePort();
  const dashboardUrl = `http://127.0.0.1:${port}`;
  idp = await startOidcProvider([`${dashboardUrl}/auth/oidc/callback`]);
  collector = await startCollector(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      logLevel: 'error',
      flushIntervalMs: 100,
      alertsTickMs: 0,
      dashboardUrl,
      auth: {
        required: true,
        adminEmail: undefined, // no admin configured: the collector prints a one-time setup token
        adminPassword: undefined,
        sessionTtlMs: 3_600_000,
        keyCacheTtlMs: 30_000,
        oidc: {
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          redirectUrl: `${dashboardUrl}/auth/oidc/callback`,
          allowedDomains: ['team.example'],
          provisionRole: 'viewer',
          provisionProject: 'default',
        },
      },
    },
    { ...createLogger('error'), warn: (message) => printed.push(message) },
    { passwordCost: { logN: 10, r: 8, p: 1 } }, // the collector's tests cover the default cost
  );
  dashboard = await startDashboard(collector.url, { port });
  other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>other site</title>'));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  watched = await openWatchedPage({ ignoreFavicon: true });
}, 300_000);

afterAll(async () => {
  await watched?.browser.close();
  await dashboard?.stop();
  await collector?.stop();
  await idp?.stop();
  other?.closeAllConnections();
  await new Promise((r) => other?.close(r));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await watched.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto(`${dashboard.url}/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${dashboard.url}/`);
}

async function sessionCookie(context: BrowserContext) {
  return (await context.cookies(dashboard.url)).find((c) => c.name === 'sightline_session');
}

async function ruleExists(id: string): Promise<boolean> {
  return (await collector.alerts.rules.list('default')).some((r) => r.id === id);
}

const newRule = (name: string) => collector.alerts.rules.create('default', AlertRuleInput.parse({ name, condition: { kind: 'no_data' } }));

/** The action id of the rule's Delete form, as the admin's page renders it for progressive enhancement. */
async function deleteActionId(page: Page, ruleId: string): Promise<string> {
  await page.goto(`${dashboard.url}/alerts/${ruleId}`);
  const names = await page
    .locator('form:has(button:text-is("Delete")) input[type=hidden]')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).name));
  const id = names.find((n) => n.startsWith('$ACTION_ID_'));
  expect(id).toBeDefined();
  return id!;
}

/** Posts the Delete form from inside `page` (its origin, its cookies), with the CSRF field given. */
function postDelete(page: Page, url: string, actionField: string, ruleId: string, csrf: string) {
  return page.evaluate(
    async ({ url, actionField, ruleId, csrf }) => {
      const form = new FormData();
      form.set(actionField, '');
      form.set('id', ruleId);
      form.set('csrf', csrf);
      const res = await fetch(url, { method: 'POST', body: form, credentials: 'include', mode: 'no-cors' });
      return res.status;
    },
    { url, actionField, ruleId, csrf },
  );
}

describe('first start', () => {
  it('creates the first admin with the setup token from the log, once', async () => {
    const token = /setup token (\S+)/.exec(printed.join('\n'))?.[1];
    expect(token).toBeDefined();
    const { context, page } = await freshPage();
    await page.goto(`${dashboard.url}/sign-in`);
    await page.getByRole('link', { name: 'Create the first admin' }).click();
    await page.waitForURL(`${dashboard.url}/setup`);
    await page.getByLabel('Setup token').fill('not the token');
    await page.getByLabel('Your email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await expect(page.locator('.widget-error').textContent()).resolves.toContain('Wrong setup token');
    await page.getByLabel('Setup token').fill(token!);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin and sign in' }).click();
    await page.waitForURL(`${dashboard.url}/`);
    await expect(page.locator('.account-email').textContent()).resolves.toBe(ADMIN.email);
    await page.goto(`${dashboard.url}/setup`);
    expect(new URL(page.url()).pathname).toBe('/'); // set up already: no second admin this way
    await context.close();
  });
});

describe('password sign-in', () => {
  it('sends a visitor to the sign-in page, refuses a wrong password, and signs in into an HTTP-only SameSite cookie', async () => {
    const { context, page } = await freshPage();
    await page.goto(`${dashboard.url}/alerts`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expect(page.getByRole('navigation', { name: 'Main' }).count()).resolves.toBe(0);

    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.locator('.widget-error').textContent()).resolves.toContain('Wrong email or password');

    await signIn(page, ADMIN);
    await expect(page.locator('.account-email').textContent()).resolves.toBe(ADMIN.email);
    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    expect(cookie?.value).toMatch(/^sls_/);
    // The page's scripts cannot read the token.
    await expect(page.evaluate(() => document.cookie)).resolves.not.toContain('sls_');
    await page.goto(`${dashboard.url}/alerts`);
    await expect(page.locator('.page-header').getByRole('link', { name: 'New alert' }).count()).resolves.toBe(1);
    await context.close();
  });

  it('signs out: the cookie is gone and the collector refuses the old token', async () => {
    const { context, page } = await freshPage();
    await signIn(page, ADMIN);
    const token = (await sessionCookie(context))!.value;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${dashboard.url}/sign-in`);
    expect(await sessionCookie(context)).toBeUndefined();
    const res = await fetch(`${collector.url}/api/traces`, { headers: { authorization: `Session ${token}` } });
    expect(res.status).toBe(401);
    await page.goto(`${dashboard.url}/traces`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await context.close();
  });
});

describe('CSRF', () => {
  it("refuses a dashboard mutation without this browser's token, and one from another origin even with it", async () => {
    const { context, page } = await freshPage();
    await signIn(page, ADMIN);
    const rule = await newRule('csrf target');
    const action = await deleteActionId(page, rule.id);
    const token = await page.locator('input[name=csrf]').first().inputValue();
    expect(token.length).toBeGreaterThanOrEqual(32);

    // Same origin (Next's origin check passes), wrong token: our token check refuses.
    expect(await postDelete(page, `${dashboard.url}/alerts/${rule.id}`, action, rule.id, 'x'.repeat(token.length))).toBeGreaterThanOrEqual(
      400,
    );
    expect(await ruleExists(rule.id)).toBe(true);

    // Another origin on the same site (its cookies go along), with the right token as if it had leaked: Next's origin check refuses.
    const foreign = await context.newPage();
    await foreign.goto(otherUrl);
    await postDelete(foreign, `${dashboard.url}/alerts/${rule.id}`, action, rule.id, token);
    expect(await ruleExists(rule.id)).toBe(true);

    // The same request from the dashboard's own page with its token goes through: the refusals above are the checks, not a broken request.
    await postDelete(page, `${dashboard.url}/alerts/${rule.id}`, action, rule.id, token);
    expect(await ruleExists(rule.id)).toBe(false);
    await context.close();
  });
});

describe('a viewer', () => {
  it('sees no edit controls, and the collector refuses their changes (403), through the dashboard too', async () => {
    const viewer = await collector.accounts.users.create({
      email: VIEWER.email,
      passwordHash: await collector.accounts.passwords.hash(VIEWER.password),
      instanceAdmin: false,
    });
    await collector.accounts.users.setRole('default', viewer.user.id, 'viewer');
    const rule = await newRule('viewer cannot touch this');
    const admin = await freshPage();
    await signIn(admin.page, ADMIN);
    const action = await deleteActionId(admin.page, rule.id);
    await admin.context.close();

    const { context, page } = await freshPage();
    await signIn(page, VIEWER);
    await expect(page.getByTestId('current-project').textContent()).resolves.toContain('viewer');
    await page.goto(`${dashboard.url}/alerts`);
    await page.getByRole('link', { name: 'viewer cannot touch this' }).waitFor(); // the rules stream in
    await expect(page.getByRole('link', { name: 'New alert' }).count()).resolves.toBe(0);
    await page.goto(`${dashboard.url}/alerts/${rule.id}`);
    await page.getByText('Current state').waitFor();
    for (const name of ['Mute', 'Delete', 'Send test', 'Save']) await expect(page.getByRole('button', { name }).count()).resolves.toBe(0);
    await page.goto(`${dashboard.url}/settings/members`);
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('Only admins');

    // Forced through the dashboard with a valid token: the collector answers 403 and nothing changes.
    const token = await page.locator('input[name=csrf]').first().inputValue();
    await postDelete(page, `${dashboard.url}/alerts/${rule.id}`, action, rule.id, token);
    expect(await ruleExists(rule.id)).toBe(true);
    // And straight to the collector with the viewer's session.
    const session = (await sessionCookie(context))!.value;
    const res = await fetch(`${collector.url}/api/alerts/rules/${rule.id}`, {
      method: 'DELETE',
      headers: { authorization: `Session ${session}` },
    });
    expect(res.status).toBe(403);
    expect(await ruleExists(rule.id)).toBe(true);
    await context.close();
  });
});

describe('single sign-on', () => {
  it("signs in through the OpenID provider's pages and lands signed in", async () => {
    const { context, page } = await freshPage();
    await page.goto(`${dashboard.url}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await page.waitForURL((u) => u.href.startsWith(idp.issuer));
    await page.locator('input[name=login]').fill('sso-user@team.example');
    await page.locator('input[name=password]').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click(); // the provider's consent page
    await page.waitForURL(`${dashboard.url}/`);
    await expect(page.locator('.account-email').textContent()).resolves.toBe('sso-user@team.example');
    await expect(page.getByTestId('current-project').textContent()).resolves.toContain('viewer');
    expect((await sessionCookie(context))?.httpOnly).toBe(true);
    expect((await context.cookies(dashboard.url)).some((c) => c.name === 'sightline_sso')).toBe(false);
    await context.close();
  });

  it('refuses a callback this browser did not start', async () => {
    const { context, page } = await freshPage();
    await page.goto(`${dashboard.url}/auth/oidc/callback?code=stolen&state=whatever`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expect(page.locator('.widget-error').textContent()).resolves.toContain('not started from this browser');
    expect(await sessionCookie(context)).toBeUndefined();
    await context.close();
  });
});
