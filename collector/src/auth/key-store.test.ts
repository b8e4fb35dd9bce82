/**
 * API keys on real storage: the secret is returned once and stored only as a digest; a revoked key
 * is refused at once by the collector that revoked it and by another collector on the same
 * database once its cached row is older than the TTL; last use is written at most once a minute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '../storage/client.js';
import { count, openMigrated, tempDataDir } from '../test-support/temp-storage.js';
import { keyDigest } from './api-keys.js';
import { KeyStore } from './key-store.js';

const tmp = tempDataDir('sightline-keys-');
let storage: Storage;
beforeAll(async () => {
  storage = await openMigrated(tmp.dir);
});
afterAll(async () => {
  await storage?.close();
  tmp.remove();
});

describe('KeyStore', () => {
  it('returns the key once; stores and lists only its digest-free description', async () => {
    const keys = new KeyStore(storage.client);
    const created = await keys.create('default', { name: 'ci', scopes: ['ingest', 'ingest'] });
    expect(created.key).toMatch(/^sl_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
    expect(created.scopes).toEqual(['ingest']);
    const listed = JSON.stringify(await keys.list('default'));
    expect(listed).toContain(created.prefix);
    expect(listed).not.toContain(created.key.slice(created.prefix.length + 1));
    expect(listed).not.toContain(keyDigest(created.key));
    const stored = await storage.client.query({ query: 'SELECT * FROM api_keys', format: 'JSONEachRow' });
    const text = JSON.stringify(await stored.json());
    expect(text).not.toContain(created.key.slice(created.prefix.length + 1));
    expect(text).toContain(keyDigest(created.key));
    expect(await keys.list('other')).toEqual([]);
  });

  it('authenticates the whole key only, as its project and scopes', async () => {
    const keys = new KeyStore(storage.client);
    const { key, id } = await keys.create('team-x', { name: 'reader', scopes: ['read'] });
    expect(await keys.authenticate(key)).toEqual({ kind: 'key', keyId: id, projectId: 'team-x', scopes: ['read'] });
    expect(await keys.authenticate(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(await keys.authenticate('sl_unknownprefix_' + 'x'.repeat(43))).toBeUndefined();
    expect(await keys.authenticate('not a key')).toBeUndefined();
  });

  it('refuses a revoked key at once here, and on another collector once its cache is older than the TTL', async () => {
    let now = 1_000_000;
    const here = new KeyStore(storage.client, { now: () => now, ttlMs: 30_000 });
    const there = new KeyStore(storage.client, { now: () => now, ttlMs: 30_000 });
    const { key, id } = await here.create('team-x', { name: 'doomed', scopes: ['ingest'] });
    expect(await there.authenticate(key)).toBeDefined(); // cached there
    await expect(here.revoke('other-project', id)).rejects.toMatchObject({ code: 'not_found' });
    const revoked = await here.revoke('team-x', id);
    expect(revoked.revokedAt).toBe(now);
    expect(await here.authenticate(key)).toBeUndefined();
    now += 29_000;
    expect(await there.authenticate(key)).toBeDefined(); // the documented lag
    now += 1_000;
    expect(await there.authenticate(key)).toBeUndefined();
    expect(await new KeyStore(storage.client).authenticate(key)).toBeUndefined(); // a collector started later
  });

  it('writes last use at most once a minute per key', async () => {
    let now = 5_000_000;
    const keys = new KeyStore(storage.client, { now: () => now, usageFlushMs: 60_000 });
    const { key, id } = await keys.create('team-y', { name: 'busy', scopes: ['ingest'] });
    const rows = () => count(storage, 'SELECT count() FROM api_key_usage WHERE key_id = {id:String}', { id });
    for (let i = 0; i < 5; i++) {
      await keys.authenticate(key);
      now += 1_000;
    }
    await keys.flushUsage();
    expect(await rows()).toBe(1);
    for (let i = 0; i < 50; i++) {
      await keys.authenticate(key);
      now += 1_000;
    }
    await keys.flushUsage();
    expect(await rows()).toBe(1); // used all along, but less than a minute after the first write
    now += 10_000;
    await keys.authenticate(key);
    await keys.flushUsage();
    expect(await rows()).toBe(2);
    expect((await keys.list('team-y'))[0]?.lastUsedAt).toBe(now);
  });
});
