/**
 * Single sign-on end to end over real HTTP: a real OpenID provider (`oidc-provider`) on a loopback
 * port, the collector's `openid-client` flow (authorization code, PKCE, state, nonce), the
 * provider's sign-in pages walked through with real redirects. Existing users sign in; new users
 * of an allowed domain get an account with the configured role; others, unverified emails, and
 * flows that were not started here are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, Me, OidcStart, SessionGrant } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../index.js';
import { silentLogger } from '../logger.js';
import { signInAtProvider } from '../test-support/browserless-sso.js';
import { startOidcProvider, type TestOidcProvider } from '../test-support/oidc-provider.js';
import { tempDataDir } from '../test-support/temp-storage.js';
import { OidcClient } from './oidc.js';

const tmp = tempDataDir('sightline-oidc-');
const REDIRECT = 'http://127.0.0.1:3999/auth/oidc/callback';
let idp: TestOidcProvider;
let collector: RunningCollector;

beforeAll(async () => {
  idp = await startOidcProvider([REDIRECT]);
  collector = await startCollector(
    {
      port: 0,
      dataDir: tmp.dir,
      logLevel: 'silent',
      wal: false,
      alertsTickMs: 0,
      auth: {
        required: true,
        adminEmail: 'root@example.com',
        adminPassword: 'the root password',
        sessionTtlMs: 3_600_000,
        keyCacheTtlMs: 30_000,
        oidc: {
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          redirectUrl: REDIRECT,
          allowedDomains: ['team.example'],
          provisionRole: 'viewer',
          provisionProject: 'default',
        },
      },
    },
    undefined,
    { passwordCost: { logN: 10, r: 8, p: 1 } },
  );
  await collector.accounts.users.create({ email: 'known@example.com', passwordHash: '', instanceAdmin: false });
  await collector.accounts.users.setRole('default', (await collector.accounts.users.byEmail('known@example.com'))!.id, 'member');
}, 120_000);
afterAll(async () => {
  await collector?.stop();
  await idp?.stop();
  tmp.remove();
});

async function post(path: string, body?: unknown, token?: string) {
  const res = await fetch(`${collector.url}/api${path}`, {
    method: body === undefined && !path.endsWith('start') ? 'GET' : 'POST',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Session ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

/** Starts at the collector, signs in at the provider as `login`, finishes at the collector. */
async function sso(login: string, tamper?: (callback: URL, flow: string) => { query: string; flow: string }) {
  const start = OidcStart.parse((await post('/auth/oidc/start', undefined)).body);
  const authorization = new URL(start.authorizationUrl);
  expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorization.searchParams.get('nonce')).toBeTruthy();
  expect(authorization.searchParams.get('state')).toBeTruthy();
  const callback = await signInAtProvider(start.authorizationUrl, login, REDIRECT);
  const sent = tamper ? tamper(callback, start.flow) : { query: callback.search, flow: start.flow };
  return post('/auth/oidc/callback', sent);
}

describe('single sign-on with OpenID Connect', () => {
  it('says SSO is offered', async () => {
    expect((await post('/auth/config')).body).toMatchObject({ sso: true, mode: 'required' });
  });

  it('signs in an existing user with their roles', async () => {
    const r = await sso('known@example.com');
    expect(r.status).toBe(200);
    const grant = SessionGrant.parse(r.body);
    expect(grant.user.email).toBe('known@example.com');
    expect(Me.parse((await post('/auth/me', undefined, grant.token)).body).projects).toEqual([{ id: 'default', role: 'member' }]);
  });

  it('gives a new user of an allowed domain an account with the configured role, recorded in the audit log', async () => {
    const r = await sso('newcomer@team.example');
    expect(r.status).toBe(200);
    const grant = SessionGrant.parse(r.body);
    expect(Me.parse((await post('/auth/me', undefined, grant.token)).body).projects).toEqual([{ id: 'default', role: 'viewer' }]);
    const audit = await collector.accounts.audit.list('default', { limit: 10 });
    expect(audit.entries[0]).toMatchObject({
      action: 'member.add',
      target: 'newcomer@team.example',
      details: { role: 'viewer', via: 'sso' },
    });
  });

  it('refuses a user of another domain, and an email the provider has not verified (403)', async () => {
    for (const login of ['stranger@elsewhere.example', 'unverified@team.example']) {
      const r = await sso(login);
      expect(r.status, login).toBe(403);
      expect(ErrorBody.parse(r.body).error.code).toBe('forbidden');
    }
    expect(await collector.accounts.users.byEmail('stranger@elsewhere.example')).toBeUndefined();
  });

  it('refuses a callback whose state or flow was not started by this browser (401)', async () => {
    const otherFlow = OidcStart.parse((await post('/auth/oidc/start', undefined)).body).flow;
    const swapped = await sso('known@example.com', (cb) => ({ query: cb.search, flow: otherFlow }));
    expect(swapped.status).toBe(401);
    const forged = await sso('known@example.com', (cb) => ({
      query: cb.search,
      flow: '{"verifier":"x","state":"y","nonce":"z","expiresAt":9e15}',
    }));
    expect(forged.status).toBe(401);
    expect(ErrorBody.parse(forged.body).error.field).toBe('flow');
  });

  it('refuses a flow older than 10 minutes, before calling the provider', async () => {
    let now = Date.now();
    const sealer = { seal: (s: string) => `sealed:${s}`, open: (s: string) => s.replace(/^sealed:/, '') };
    const settings = { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, redirectUrl: REDIRECT };
    const client = new OidcClient(settings, sealer, silentLogger, () => now);
    const { flow } = await client.start();
    now += 10 * 60_000;
    await expect(client.finish('?code=x&state=y', flow)).rejects.toMatchObject({ code: 'unauthorized', field: 'flow' });
  });
});
