/** Users and memberships on the real embedded ClickHouse: one email is one account, roles read fresh, removals stick. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../storage/client.js';
import { count, openMigrated, tempDataDir } from '../../test-support/temp-storage.js';
import { UserStore, userIdFor } from './user-store.js';

const tmp = tempDataDir('sightline-users-');
let storage: Storage;
let users: UserStore;

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  users = new UserStore(storage.client);
}, 120_000);
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

describe('user store', () => {
  it('creates one account per email, whatever its case, and returns the existing one after', async () => {
    expect(await users.any()).toBe(false);
    const first = await users.create({ email: 'Ada@Example.com', passwordHash: 'h1', instanceAdmin: false });
    const again = await users.create({ email: ' ada@example.com ', passwordHash: 'h2', instanceAdmin: true });
    expect(first.created).toBe(true);
    expect(again).toEqual({ user: first.user, created: false });
    expect(first.user).toMatchObject({ id: userIdFor('ada@example.com'), email: 'ada@example.com', passwordHash: 'h1' });
    expect(await users.any()).toBe(true);
  });

  it('keeps one row per email even when two collectors create it at once (the key is derived from the email)', async () => {
    const a = new UserStore(storage.client);
    const b = new UserStore(storage.client);
    await Promise.all([
      a.create({ email: 'race@example.com', passwordHash: 'x', instanceAdmin: false }),
      b.create({ email: 'race@example.com', passwordHash: 'y', instanceAdmin: false }),
    ]);
    expect(await count(storage, "SELECT count() FROM users FINAL WHERE email = 'race@example.com'")).toBe(1);
  });

  it('reads the latest version of a user (disabled) at once, without waiting for a merge', async () => {
    const { user } = await users.create({ email: 'grace@example.com', passwordHash: '', instanceAdmin: false });
    await users.update({ ...user, disabled: true });
    expect((await users.byEmail('grace@example.com'))?.disabled).toBe(true);
  });

  it('gives roles per project, changes and removes them', async () => {
    const ada = (await users.byEmail('ada@example.com'))!;
    const grace = (await users.byEmail('grace@example.com'))!;
    await users.setRole('alpha', ada.id, 'admin', 1_000);
    await users.setRole('alpha', grace.id, 'viewer', 2_000);
    await users.setRole('beta', ada.id, 'member', 3_000);
    expect(await users.rolesOf(ada.id)).toEqual({ alpha: 'admin', beta: 'member' });

    await users.setRole('alpha', grace.id, 'member', 4_000);
    const members = await users.members('alpha');
    expect(members.map((m) => [m.user.email, m.membership.role, m.membership.addedAt])).toEqual([
      ['ada@example.com', 'admin', 1_000],
      ['grace@example.com', 'member', 2_000], // a role change keeps the date the user joined
    ]);

    await users.removeMember('alpha', grace.id);
    expect(await users.rolesOf(grace.id)).toEqual({});
    expect((await users.members('alpha')).map((m) => m.user.email)).toEqual(['ada@example.com']);
    expect(await users.members('beta')).toHaveLength(1);
  });
});
