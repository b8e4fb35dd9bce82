/** Sessions on the real embedded ClickHouse: only the token's hash is stored, expiry and revocation end them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../storage/client.js';
import { count, openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { hashToken, SessionStore } from './sessions.js';

const tmp = tempDataDir('sightline-sessions-');
let storage: Storage;
// Near the real time: the table's TTL drops rows that expired over a day before the server's clock.
let now = Date.now();
let sessions: SessionStore;

beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
  sessions = new SessionStore(storage.client, 60 * 60_000, () => now);
}, 120_000);
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

describe('sessions', () => {
  it('resolve a fresh token to its user, and store only the hash of the token', async () => {
    const { token, expiresAt } = await sessions.create('u_1', 'password');
    expect(token).toMatch(/^sls_[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(now + 60 * 60_000);
    expect(await sessions.resolve(token)).toEqual({ userId: 'u_1', expiresAt });
    expect(await count(storage, 'SELECT count() FROM sessions WHERE token_hash = {h:String}', { h: hashToken(token) })).toBe(1);
    expect(await count(storage, 'SELECT count() FROM sessions WHERE position(token_hash, {t:String}) > 0', { t: token.slice(4) })).toBe(0);
  });

  it('refuse unknown, malformed and expired tokens', async () => {
    const { token } = await sessions.create('u_2', 'oidc');
    expect(await sessions.resolve(`sls_${'A'.repeat(43)}`)).toBeUndefined();
    expect(await sessions.resolve("sls_' OR 1=1 --")).toBeUndefined();
    now += 60 * 60_000;
    expect(await sessions.resolve(token)).toBeUndefined();
  });

  it('end at sign-out, and stay ended even if a later version says otherwise', async () => {
    const { token } = await sessions.create('u_3', 'password');
    await sessions.revoke(token);
    expect(await sessions.resolve(token)).toBeUndefined();
    // A write racing the sign-out (another collector, a skewed clock) can neither bring the session
    // back nor lengthen it, before or after the table's rows are merged.
    await storage.client.insert({
      table: 'sessions',
      format: 'JSONEachRow',
      values: [{ token_hash: hashToken(token), user_id: 'u_3', method: 'password', created_at: now, expires_at: now + 1e9, revoked: 0 }],
    });
    expect(await sessions.resolve(token)).toBeUndefined();
    await storage.client.command({ query: 'OPTIMIZE TABLE sessions FINAL' });
    expect(await sessions.resolve(token)).toBeUndefined();
    expect(await count(storage, 'SELECT count() FROM sessions WHERE token_hash = {h:String}', { h: hashToken(token) })).toBe(1);
  });
});
