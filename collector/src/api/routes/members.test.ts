/**
 * A collector that requires sign-in, end to end over HTTP on the real embedded ClickHouse: the
 * first admin from the environment adds members with roles; each role reaches what it may and is
 * refused (401/403) what it may not; the audit log records who changed what; a removed member
 * loses access at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRule, AuditList, ErrorBody, Me, Member, MemberList, SessionGrant } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../../index.js';
import { tempDataDir } from '../../test-support/temp-storage.js';

const tmp = tempDataDir('sightline-members-');
let collector: RunningCollector;
const ADMIN = { email: 'admin@example.com', password: 'the first admin password' };
const CHEAP = { logN: 10, r: 8, p: 1 }; // passwords.test.ts covers the default cost

beforeAll(async () => {
  collector = await startCollector(
    {
      port: 0,
      dataDir: tmp.dir,
      logLevel: 'error',
      wal: false,
      alertsTickMs: 0,
      auth: {
        required: true,
        adminEmail: ADMIN.email,
        adminPassword: ADMIN.password,
        sessionTtlMs: 3_600_000,
        oidc: undefined,
        keyCacheTtlMs: 30_000,
      },
    },
    undefined,
    { passwordCost: CHEAP },
  );
}, 120_000);
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

async function call(method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Session ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${collector.url}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function signIn(email: string, password: string): Promise<string> {
  const r = await call('POST', '/auth/sign-in', undefined, { email, password });
  expect(r.status).toBe(200);
  return SessionGrant.parse(r.body).token;
}

const RULE = { name: 'quiet agent', condition: { kind: 'no_data' } };
let admin: string;
let viewer: string;
let member: string;
let viewerId: string;

describe('a collector that requires sign-in', () => {
  it('refuses every data route without a credential (401), but answers health and the sign-in options', async () => {
    for (const [method, path] of [
      ['GET', '/traces'],
      ['GET', '/sessions'],
      ['GET', '/metrics'],
      ['GET', '/alerts/rules'],
      ['POST', '/alerts/rules'],
      ['GET', '/drift/agents'],
      ['GET', '/audit'],
      ['GET', '/projects/default/members'],
    ] as const) {
      const r = await call(method, path, undefined, method === 'POST' ? RULE : undefined);
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(ErrorBody.parse(r.body).error.code).toBe('unauthorized');
    }
    expect((await call('GET', '/health')).status).toBe(200);
    expect((await call('GET', '/auth/config')).status).toBe(200);
    expect((await call('GET', '/traces', 'sls_' + 'x'.repeat(43))).status).toBe(401);
  });

  it('lets the first admin from the environment add a viewer and a member (accounts created with their passwords)', async () => {
    admin = await signIn(ADMIN.email, ADMIN.password);
    expect(Me.parse((await call('GET', '/auth/me', admin)).body)).toMatchObject({
      user: { email: ADMIN.email, instanceAdmin: true },
      projects: [{ id: 'default', role: 'admin' }],
    });
    const v = await call('POST', '/projects/default/members', admin, {
      email: 'Vera@example.com',
      role: 'viewer',
      password: 'vera password 123',
    });
    expect(v.status).toBe(201);
    viewerId = Member.parse(v.body).userId;
    expect(Member.parse(v.body)).toMatchObject({ email: 'vera@example.com', role: 'viewer', hasPassword: true, disabled: false });
    expect(
      (await call('POST', '/projects/default/members', admin, { email: 'milo@example.com', role: 'member', password: 'milo password 123' }))
        .status,
    ).toBe(201);
    expect((await call('POST', '/projects/default/members', admin, { email: 'sso-only@example.com', role: 'viewer' })).status).toBe(201);
    const dup = await call('POST', '/projects/default/members', admin, { email: 'vera@example.com', role: 'admin' });
    expect(dup.status).toBe(409);

    const list = MemberList.parse((await call('GET', '/projects/default/members', admin)).body);
    expect(list.members.map((m) => [m.email, m.role, m.hasPassword])).toEqual([
      ['admin@example.com', 'admin', true],
      ['milo@example.com', 'member', true],
      ['sso-only@example.com', 'viewer', false],
      ['vera@example.com', 'viewer', true],
    ]);
    viewer = await signIn('vera@example.com', 'vera password 123');
    member = await signIn('milo@example.com', 'milo password 123');
  });

  it('lets a viewer read but not change anything (403), a member change rules, and only admins manage members', async () => {
    expect((await call('GET', '/traces', viewer)).status).toBe(200);
    expect((await call('GET', '/alerts/rules', viewer)).status).toBe(200);
    const refused = await call('POST', '/alerts/rules', viewer, RULE);
    expect(refused.status).toBe(403);
    expect(ErrorBody.parse(refused.body).error.code).toBe('forbidden');

    const created = await call('POST', '/alerts/rules', member, RULE);
    expect(created.status).toBe(201);
    const ruleId = AlertRule.parse(created.body).id;
    expect((await call('DELETE', `/alerts/rules/${ruleId}`, viewer)).status).toBe(403);
    expect((await call('POST', `/alerts/rules/${ruleId}/mute`, member, { muted: true })).status).toBe(200);
    expect((await call('DELETE', `/alerts/rules/${ruleId}`, member)).status).toBe(200);

    for (const token of [viewer, member]) {
      expect((await call('GET', '/projects/default/members', token)).status).toBe(403);
      expect((await call('POST', '/projects/default/members', token, { email: 'x@example.com', role: 'admin' })).status).toBe(403);
      expect((await call('GET', '/audit?project=default', token)).status).toBe(403);
    }
    // The instance admin creates a project and manages its members without a role in it; a missing project is a 404.
    expect((await call('GET', '/projects/other/members', admin)).status).toBe(404);
    expect((await call('POST', '/projects', admin, { id: 'other', name: 'Other team' })).status).toBe(201);
    expect((await call('POST', '/projects', viewer, { id: 'nope', name: 'Not allowed' })).status).toBe(403);
    expect(MemberList.parse((await call('GET', '/projects/other/members', admin)).body).members).toEqual([]);
  });

  it('keeps a project from losing its last admin (409)', async () => {
    const adminId = Me.parse((await call('GET', '/auth/me', admin)).body).user!.id;
    const demote = await call('PUT', `/projects/default/members/${adminId}`, admin, { role: 'member' });
    expect(demote.status).toBe(409);
    expect((await call('DELETE', `/projects/default/members/${adminId}`, admin)).status).toBe(409);
  });

  it('applies a role change and a removal at the next call of the member', async () => {
    const up = await call('PUT', `/projects/default/members/${viewerId}`, admin, { role: 'member' });
    expect(Member.parse(up.body).role).toBe('member');
    expect((await call('POST', '/alerts/rules', viewer, RULE)).status).toBe(201);
    expect((await call('DELETE', `/projects/default/members/${viewerId}`, admin)).status).toBe(200);
    expect((await call('GET', '/traces', viewer)).status).toBe(403);
    expect(Me.parse((await call('GET', '/auth/me', viewer)).body).projects).toEqual([]);
  });

  it('records who did what in the audit log, newest first, for the project admin', async () => {
    const r = await call('GET', '/audit?project=default&limit=50', admin);
    expect(r.status).toBe(200);
    const entries = AuditList.parse(r.body).entries;
    const lines = entries.map((e) => `${e.actor.label} ${e.action} ${e.target}`).reverse();
    expect(lines).toEqual([
      'system user.create admin@example.com',
      'admin@example.com user.create vera@example.com',
      'admin@example.com member.add vera@example.com',
      'admin@example.com user.create milo@example.com',
      'admin@example.com member.add milo@example.com',
      'admin@example.com user.create sso-only@example.com',
      'admin@example.com member.add sso-only@example.com',
      expect.stringMatching(/^milo@example.com rule.create /),
      expect.stringMatching(/^milo@example.com rule.mute /),
      expect.stringMatching(/^milo@example.com rule.delete /),
      'admin@example.com member.role vera@example.com',
      expect.stringMatching(/^vera@example.com rule.create /),
      'admin@example.com member.remove vera@example.com',
    ]);
    expect(entries.find((e) => e.action === 'member.role')?.details).toEqual({ from: 'viewer', to: 'member' });
    expect(JSON.stringify(entries)).not.toMatch(/password 123|\$scrypt/);
  });
});
