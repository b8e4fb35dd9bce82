import { describe, expect, test } from 'vitest';
import { allows, DEFAULT_PROJECT_ID, type Principal } from './principal.js';

describe('allows', () => {
  test('the open local mode has every right on the default project and none elsewhere', () => {
    const local: Principal = { kind: 'local' };
    for (const need of ['ingest', 'read', 'write', 'admin'] as const) {
      expect(allows(local, DEFAULT_PROJECT_ID, need)).toBe(true);
      expect(allows(local, 'other', need)).toBe(false);
    }
  });

  test('a key acts only in its project and only within its scopes', () => {
    const ingestKey: Principal = { kind: 'key', keyId: 'k1', projectId: 'p1', scopes: ['ingest'] };
    expect(allows(ingestKey, 'p1', 'ingest')).toBe(true);
    expect(allows(ingestKey, 'p1', 'read')).toBe(false);
    expect(allows(ingestKey, 'p2', 'ingest')).toBe(false);
    const readKey: Principal = { kind: 'key', keyId: 'k2', projectId: 'p1', scopes: ['read'] };
    expect(allows(readKey, 'p1', 'read')).toBe(true);
    expect(allows(readKey, 'p1', 'write')).toBe(false);
  });

  test('a user acts by role, and not at all in projects without one', () => {
    const user: Principal = { kind: 'user', userId: 'u', email: 'a@b.c', roles: { p1: 'viewer', p2: 'member' }, instanceAdmin: false };
    expect(allows(user, 'p1', 'read')).toBe(true);
    expect(allows(user, 'p1', 'write')).toBe(false);
    expect(allows(user, 'p2', 'write')).toBe(true);
    expect(allows(user, 'p2', 'admin')).toBe(false);
    expect(allows(user, 'p3', 'read')).toBe(false);
  });
});
