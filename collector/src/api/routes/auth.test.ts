/**
 * Sign-in routes over real HTTP on the real embedded ClickHouse, with the clock injected: password
 * sign-in, throttling per account and per client address (429 with Retry-After), sign-out and
 * expiry, the first admin's one-time setup token.
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthConfig, ErrorBody, Me, SessionGrant } from '@sightline/contract';
import { startAccounts, type Accounts } from '../../auth/accounts.js';
import { RequestAuth } from '../../auth/caller.js';
import type { AuthEnv } from '../../auth/context.js';
import { authenticate } from '../../auth/middleware.js';
import { sessionResolver } from '../../auth/session-resolver.js';
import type { Config } from '../../config.js';
import { createLogger, type Logger } from '../../logger.js';
import { listen, type RunningServer } from '../../server.js';
import type { Storage } from '../../storage/client.js';
import { openMigrated, tempDataDir } from '../../test-support/temp-storage.js';
import { handleError } from '../error-handler.js';
import { CLIENT_ADDRESS_HEADER, authRoutes } from './auth.js';

const tmp = tempDataDir('sightline-auth-routes-');
let storage: Storage;
let now = Date.now();
const printed: string[] = [];
/** Captures what the collector prints, to read the setup token as an operator would. */
const logger: Logger = { ...createLogger('silent'), warn: (m) => printed.push(m) };

async function serve(config: Pick<Config, 'auth' | 'dashboardUrl'>): Promise<{ server: RunningServer; parts: Accounts; url: string }> {
  const parts = await startAccounts({
    config,
    client: storage.client,
    logger,
    sealer: { seal: (s) => s, open: (s) => s },
    now: () => now,
    passwordCost: CHEAP, // passwords.test.ts covers the default cost
  });
  const app = new Hono<AuthEnv>();
  const auth = new RequestAuth(config.auth.required ? 'required' : 'open', [sessionResolver(parts.authenticator)]);
  app.use('/api/*', authenticate(auth));
  app.route('/api', authRoutes(parts.authenticator));
  app.onError(handleError(logger));
  const server = await listen(app as unknown as Hono, '127.0.0.1', 0);
  return { server, parts, url: `http://127.0.0.1:${server.port}` };
}

const auth = (required: boolean, admin?: { email: string; password: string }): Pick<Config, 'auth' | 'dashboardUrl'> => ({
  dashboardUrl: 'http://localhost:3000',
  auth: {
    required,
    adminEmail: admin?.email,
    adminPassword: admin?.password,
    sessionTtlMs: 3_600_000,
    oidc: undefined,
    keyCacheTtlMs: 30_000,
  },
});

async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as unknown };
}

const PASSWORD = 'a long admin password';
const CHEAP = { logN: 10, r: 8, p: 1 };
let first: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
}, 120_000);
afterAll(async () => {
  await first?.server.close();
  await storage?.close();
  tmp.remove();
});

describe('first admin from a one-time setup token', () => {
  it('prints a token at first start when sign-in is required and no user exists, and it works once', async () => {
    first = await serve(auth(true));
    const token = /setup token (\S+)/.exec(printed.join('\n'))?.[1];
    expect(token).toBeDefined();
    expect(AuthConfig.parse((await call(first.url, 'GET', '/auth/config')).body)).toEqual({
      mode: 'required',
      password: true,
      sso: false,
      setupRequired: true,
    });

    const wrong = await call(first.url, 'POST', '/auth/setup', { token: 'guess', email: 'root@example.com', password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(ErrorBody.parse(wrong.body).error.field).toBe('token');

    const ok = await call(first.url, 'POST', '/auth/setup', { token, email: 'Root@Example.com', password: PASSWORD });
    expect(ok.status).toBe(201);
    const grant = SessionGrant.parse(ok.body);
    expect(grant.user).toMatchObject({ email: 'root@example.com', instanceAdmin: true });

    const again = await call(first.url, 'POST', '/auth/setup', { token, email: 'mallory@example.com', password: PASSWORD });
    expect(again.status).toBe(409);
    expect(AuthConfig.parse((await call(first.url, 'GET', '/auth/config')).body).setupRequired).toBe(false);

    const me = Me.parse((await call(first.url, 'GET', '/auth/me', undefined, { authorization: `Session ${grant.token}` })).body);
    expect(me).toEqual({ mode: 'required', user: grant.user, projects: [{ id: 'default', role: 'admin' }] });
  });

  it('prints no token once a user exists, nor in the open local mode', async () => {
    printed.length = 0;
    const second = await serve(auth(true));
    await second.server.close();
    expect(printed.join('\n')).not.toContain('setup token');
  });
});

describe('password sign-in', () => {
  it('answers a session token that identifies the user, and 401 for a wrong password or unknown email', async () => {
    const ok = await call(first.url, 'POST', '/auth/sign-in', { email: 'root@example.com', password: PASSWORD });
    expect(ok.status).toBe(200);
    const { token } = SessionGrant.parse(ok.body);
    expect(Me.parse((await call(first.url, 'GET', '/auth/me', undefined, { authorization: `Session ${token}` })).body).user?.email).toBe(
      'root@example.com',
    );
    for (const body of [
      { email: 'root@example.com', password: 'not the password' },
      { email: 'nobody@example.com', password: PASSWORD },
    ]) {
      const r = await call(first.url, 'POST', '/auth/sign-in', body);
      expect(r.status).toBe(401);
      expect(ErrorBody.parse(r.body).error).toEqual({ code: 'unauthorized', message: 'wrong email or password' });
    }
  });

  it('refuses an account with 429 and Retry-After after 5 failures, before checking the password, until the lock ends', async () => {
    const email = 'target@example.com';
    await first.parts.users.create({ email, passwordHash: '', instanceAdmin: false });
    const from = (i: number) => ({ [CLIENT_ADDRESS_HEADER]: `198.51.100.${i}` }); // each attempt from another address
    for (let i = 0; i < 5; i++)
      expect((await call(first.url, 'POST', '/auth/sign-in', { email, password: `guess ${i}` }, from(i))).status).toBe(401);
    const locked = await call(first.url, 'POST', '/auth/sign-in', { email, password: 'guess 5' }, from(5));
    expect(locked.status).toBe(429);
    expect(locked.retryAfter).toBe('1');
    expect(ErrorBody.parse(locked.body).error.code).toBe('too_many_attempts');
    now += 1_000;
    expect((await call(first.url, 'POST', '/auth/sign-in', { email, password: 'guess 6' }, from(6))).status).toBe(401);
    const longer = await call(first.url, 'POST', '/auth/sign-in', { email, password: 'guess 7' }, from(7));
    expect(longer.status).toBe(429);
    expect(longer.retryAfter).toBe('2');
    // Other accounts are not affected.
    expect((await call(first.url, 'POST', '/auth/sign-in', { email: 'root@example.com', password: PASSWORD }, from(8))).status).toBe(200);
  });

  it('refuses a client address with 429 after 20 failures, whichever accounts it tries', async () => {
    const address = { [CLIENT_ADDRESS_HEADER]: '203.0.113.9' };
    for (let i = 0; i < 20; i++)
      expect(
        (await call(first.url, 'POST', '/auth/sign-in', { email: `spray${i}@example.com`, password: 'Winter2026!' }, address)).status,
      ).toBe(401);
    const r = await call(first.url, 'POST', '/auth/sign-in', { email: 'root@example.com', password: PASSWORD }, address);
    expect(r.status).toBe(429);
    expect(Number(r.retryAfter)).toBeGreaterThan(0);
    expect((await call(first.url, 'POST', '/auth/sign-in', { email: 'root@example.com', password: PASSWORD })).status).toBe(200);
  }, 60_000);
});

describe('sessions', () => {
  it('end at sign-out: the token is refused at once', async () => {
    const { token } = SessionGrant.parse(
      (await call(first.url, 'POST', '/auth/sign-in', { email: 'root@example.com', password: PASSWORD })).body,
    );
    const authz = { authorization: `Session ${token}` };
    expect((await call(first.url, 'POST', '/auth/sign-out', undefined, authz)).body).toEqual({ signedOut: true });
    expect(Me.parse((await call(first.url, 'GET', '/auth/me', undefined, authz)).body).user).toBeNull();
  });

  it('end at their expiry', async () => {
    const { token, expiresAt } = SessionGrant.parse(
      (await call(first.url, 'POST', '/auth/sign-in', { email: 'root@example.com', password: PASSWORD })).body,
    );
    expect(expiresAt).toBe(now + 3_600_000);
    const authz = { authorization: `Session ${token}` };
    now += 3_600_000 - 1;
    expect(Me.parse((await call(first.url, 'GET', '/auth/me', undefined, authz)).body).user).not.toBeNull();
    now += 1;
    expect(Me.parse((await call(first.url, 'GET', '/auth/me', undefined, authz)).body).user).toBeNull();
  });
});
