/** The audit log on the real embedded ClickHouse: per project, newest first, paged, without secrets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '@sightline/contract';
import { silentLogger } from '../logger.js';
import type { Storage } from '../storage/client.js';
import { openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { AuditLog } from './audit.js';

const tmp = tempDataDir('sightline-audit-');
let storage: Storage;
let now = Date.UTC(2026, 0, 1, 12);
let audit: AuditLog;
const alice = {
  kind: 'user' as const,
  userId: 'u_a',
  email: 'alice@example.com',
  roles: { alpha: 'admin' as const },
  instanceAdmin: false,
};

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  audit = new AuditLog(storage.client, silentLogger, () => now);
  for (let i = 0; i < 5; i++) {
    now += 1000;
    await audit.record(alice, { projectId: 'alpha', action: 'rule.create', target: `rule-${i}`, details: { name: `rule ${i}` } });
  }
  await audit.record(
    { kind: 'key', keyId: 'k1', projectId: 'beta', scopes: ['admin'] },
    { projectId: 'beta', action: 'key.revoke', target: 'k2' },
  );
}, 120_000);
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

describe('audit log', () => {
  it("lists one project's entries newest first, with actor, action, target and UTC time", async () => {
    const { entries, nextCursor } = await audit.list('alpha', { limit: 10 });
    expect(entries.map((e) => e.target)).toEqual(['rule-4', 'rule-3', 'rule-2', 'rule-1', 'rule-0']);
    expect(entries[0]).toMatchObject({
      at: now,
      projectId: 'alpha',
      actor: { kind: 'user', id: 'u_a', label: 'alice@example.com' },
      action: 'rule.create',
      details: { name: 'rule 4' },
    });
    expect(nextCursor).toBeNull();
    expect((await audit.list('beta', { limit: 10 })).entries).toMatchObject([{ actor: { kind: 'key', id: 'k1' }, action: 'key.revoke' }]);
  });

  it('pages with a cursor, each entry once', async () => {
    const first = await audit.list('alpha', { limit: 2 });
    const second = await audit.list('alpha', { limit: 2, cursor: first.nextCursor! });
    const third = await audit.list('alpha', { limit: 2, cursor: second.nextCursor! });
    expect([...first.entries, ...second.entries, ...third.entries].map((e) => e.target)).toEqual([
      'rule-4',
      'rule-3',
      'rule-2',
      'rule-1',
      'rule-0',
    ]);
    expect(third.nextCursor).toBeNull();
    const bad = await audit.list('alpha', { limit: 2, cursor: 'nope' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'invalid_parameter', field: 'cursor' });
    expect(ErrorBody.shape.error.shape.code.parse('invalid_parameter')).toBe('invalid_parameter');
  });

  it('drops details whose names look like secrets', async () => {
    await audit.record('system', {
      projectId: 'gamma',
      action: 'key.create',
      target: 'k9',
      details: { prefix: 'sl_abcd', secret: 'x', webhookUrl: 'https://hooks.slack.com/x', password: 'p', token: 't' },
    });
    const [entry] = (await audit.list('gamma', { limit: 1 })).entries;
    expect(entry?.details).toEqual({ prefix: 'sl_abcd' });
    expect(entry?.actor).toEqual({ kind: 'system', id: '', label: 'system' });
  });
});
