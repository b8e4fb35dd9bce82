/**
 * Project API keys (migration 12): created (the key returned once, its SHA-256 stored), listed by
 * prefix with creation and last-use times, revoked, and checked on every authenticated request.
 *
 * Checking reads a key's row once and keeps it in memory for `ttlMs` (unknown prefixes too, so a
 * flood of made-up keys costs no queries). A key revoked through this collector is refused at once.
 * Several collectors on one database: another collector keeps accepting a key revoked elsewhere
 * until its cached row is older than `ttlMs` (30 s by default, SIGHTLINE_KEY_CACHE_TTL_MS): that
 * is the lag of a revocation across collectors. A new key is usable everywhere at once (nobody
 * can have looked up its random prefix before).
 *
 * Last use is kept in memory and written at most once a minute per key (`usageFlushMs`), to its
 * own table, so that a busy key costs no write per request.
 */
import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { ApiKey, ApiKeyCreated, ApiKeyInput, KeyScope } from '@sightline/contract';
import { nextRowVersion } from '../alerts/row-version.js';
import { SightlineError } from '../errors.js';
import { select } from '../storage/queries/common.js';
import { keyPrefix, matchesDigest, newKey } from './api-keys.js';
import type { Principal } from './principal.js';

interface KeyRow {
  id: string;
  project_id: string;
  name: string;
  prefix: string;
  secret_sha256: string;
  scopes: KeyScope[];
  created_ms: string;
  revoked_ms: string | null;
}

interface StoredKey {
  id: string;
  projectId: string;
  name: string;
  prefix: string;
  sha256: string;
  scopes: KeyScope[];
  createdAt: number;
  revokedAt: number | null;
}

export interface KeyStoreOptions {
  now?: () => number;
  /** How long a key's row is trusted before it is read again (the revocation lag across collectors). */
  ttlMs?: number;
  /** How often last-use times are written; also the resolution of `lastUsedAt`. */
  usageFlushMs?: number;
}

const COLUMNS = `id, project_id, name, prefix, secret_sha256, scopes, toUnixTimestamp64Milli(created_at) AS created_ms,
  if(revoked_at IS NULL, NULL, toString(toUnixTimestamp64Milli(revoked_at))) AS revoked_ms`;

export class KeyStore {
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly usageFlushMs: number;
  private readonly cache = new Map<string, { at: number; key: StoredKey | undefined }>();
  private readonly lookups = new Map<string, Promise<StoredKey | undefined>>();
  /** Revoked by this collector: refused even if a lookup started before the revocation lands later. */
  private readonly revoked = new Set<string>();
  /** Key id → last use not yet written; and when each key's use was last written. */
  private readonly pendingUse = new Map<string, number>();
  private readonly writtenUse = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: ClickHouseClient,
    opts: KeyStoreOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.usageFlushMs = opts.usageFlushMs ?? 60_000;
  }

  /** Starts writing last-use times in the background (the collector does; tests call flushUsage). */
  start(): void {
    this.timer = setInterval(() => void this.flushUsage().catch(() => undefined), this.usageFlushMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flushUsage().catch(() => undefined);
  }

  async create(projectId: string, input: ApiKeyInput): Promise<ApiKeyCreated> {
    const fresh = newKey();
    const stored: StoredKey = {
      id: randomBytes(12).toString('hex'),
      projectId,
      name: input.name,
      prefix: fresh.prefix,
      sha256: fresh.sha256,
      scopes: [...new Set(input.scopes)],
      createdAt: this.now(),
      revokedAt: null,
    };
    await this.write(stored);
    this.cache.delete(stored.prefix);
    return { ...toPublic(stored, null), key: fresh.key };
  }

  async list(projectId: string): Promise<ApiKey[]> {
    const rows = await select<KeyRow>(
      this.client,
      `SELECT ${COLUMNS} FROM api_keys FINAL WHERE project_id = {projectId:String} ORDER BY created_ms, id`,
      { projectId },
    );
    const keys = rows.map(fromRow);
    const used = await this.lastUses(keys.map((k) => k.id));
    return keys.map((k) => toPublic(k, used.get(k.id) ?? null));
  }

  /** Revokes a key of the project at once (here; elsewhere within ttlMs). Another project's key is "not found". */
  async revoke(projectId: string, keyId: string): Promise<ApiKey> {
    const [row] = await select<KeyRow>(
      this.client,
      `SELECT ${COLUMNS} FROM api_keys FINAL WHERE project_id = {projectId:String} AND id = {id:String}`,
      { projectId, id: keyId },
    );
    if (!row) throw new SightlineError('not_found', `no key ${keyId} in project ${projectId}`, { field: 'keyId' });
    const key = fromRow(row);
    this.revoked.add(key.id);
    const done = key.revokedAt === null ? { ...key, revokedAt: this.now() } : key;
    if (key.revokedAt === null) await this.write(done);
    this.cache.set(key.prefix, { at: this.now(), key: done });
    return toPublic(done, (await this.lastUses([key.id])).get(key.id) ?? null);
  }

  /**
   * The principal a presented key stands for, or undefined when it is unknown, revoked or wrong.
   * Records the use (written later, see the file comment).
   */
  async authenticate(presented: string): Promise<Principal | undefined> {
    const prefix = keyPrefix(presented);
    if (prefix === undefined) return undefined;
    const key = await this.byPrefix(prefix);
    if (!key || key.revokedAt !== null || this.revoked.has(key.id) || !matchesDigest(presented, key.sha256)) return undefined;
    this.markUsed(key.id);
    return { kind: 'key', keyId: key.id, projectId: key.projectId, scopes: key.scopes };
  }

  /** Writes the last-use times not written yet. */
  async flushUsage(): Promise<void> {
    if (this.pendingUse.size === 0) return;
    const batch = [...this.pendingUse.entries()];
    this.pendingUse.clear();
    try {
      await this.client.insert({
        table: 'api_key_usage',
        format: 'JSONEachRow',
        values: batch.map(([key_id, used_at]) => ({ key_id, used_at })),
      });
      for (const [id, at] of batch) this.writtenUse.set(id, at);
    } catch (e) {
      for (const [id, at] of batch) if (!this.pendingUse.has(id)) this.pendingUse.set(id, at);
      throw e;
    }
  }

  private markUsed(keyId: string): void {
    const now = this.now();
    const written = this.writtenUse.get(keyId);
    if (written !== undefined && now - written < this.usageFlushMs && now >= written) return;
    this.pendingUse.set(keyId, now);
  }

  private async lastUses(ids: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (ids.length > 0) {
      const rows = await select<{ key_id: string; t: string }>(
        this.client,
        `SELECT key_id, toUnixTimestamp64Milli(max(used_at)) AS t FROM api_key_usage WHERE key_id IN {ids:Array(String)} GROUP BY key_id`,
        { ids },
      );
      for (const r of rows) out.set(r.key_id, Number(r.t));
    }
    for (const id of ids) {
      const pending = this.pendingUse.get(id);
      if (pending !== undefined && pending > (out.get(id) ?? 0)) out.set(id, pending);
    }
    return out;
  }

  private async byPrefix(prefix: string): Promise<StoredKey | undefined> {
    const now = this.now();
    const hit = this.cache.get(prefix);
    if (hit && now - hit.at < this.ttlMs && now >= hit.at) return hit.key;
    let lookup = this.lookups.get(prefix);
    if (!lookup) {
      lookup = select<KeyRow>(this.client, `SELECT ${COLUMNS} FROM api_keys FINAL WHERE prefix = {prefix:String} LIMIT 1`, { prefix })
        .then(([row]) => {
          const key = row ? fromRow(row) : undefined;
          this.cache.set(prefix, { at: now, key });
          return key;
        })
        .finally(() => this.lookups.delete(prefix));
      this.lookups.set(prefix, lookup);
    }
    return lookup;
  }

  private async write(k: StoredKey): Promise<void> {
    await this.client.insert({
      table: 'api_keys',
      format: 'JSONEachRow',
      values: [
        {
          id: k.id,
          project_id: k.projectId,
          name: k.name,
          prefix: k.prefix,
          secret_sha256: k.sha256,
          scopes: k.scopes,
          created_at: k.createdAt,
          revoked_at: k.revokedAt,
          version: nextRowVersion(),
        },
      ],
    });
  }
}

function fromRow(r: KeyRow): StoredKey {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    prefix: r.prefix,
    sha256: r.secret_sha256,
    scopes: r.scopes,
    createdAt: Number(r.created_ms),
    revokedAt: r.revoked_ms === null ? null : Number(r.revoked_ms),
  };
}

/** What a client sees of a key: never its digest. */
function toPublic(k: StoredKey, lastUsedAt: number | null): ApiKey {
  return {
    id: k.id,
    projectId: k.projectId,
    name: k.name,
    prefix: `sl_${k.prefix}`,
    scopes: k.scopes,
    createdAt: k.createdAt,
    lastUsedAt,
    revokedAt: k.revokedAt,
  };
}
