/**
 * Sign-in sessions: a random token (256 bits) handed to the dashboard once; the collector stores
 * only its SHA-256 (a token is not guessable, so a fast hash suffices: the point is that a copy of
 * the table signs nobody in). A session ends at its expiry or when revoked (sign-out). The table
 * (migration 13) keeps max(revoked) and min(expires_at) per token as rows merge, so a revocation
 * is an insert of one row and nothing written after it can undo it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { insertRows, select } from './db.js';

const TOKEN_PREFIX = 'sls_';
const TOKEN_FORMAT = /^sls_[A-Za-z0-9_-]{43}$/;

export type SignInMethod = 'password' | 'oidc' | 'setup';

export interface ActiveSession {
  userId: string;
  expiresAt: number;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class SessionStore {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async create(userId: string, method: SignInMethod): Promise<{ token: string; expiresAt: number }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const createdAt = this.now();
    const expiresAt = createdAt + this.ttlMs;
    await this.write(hashToken(token), { userId, method, createdAt, expiresAt, revoked: false });
    return { token, expiresAt };
  }

  /** The session of a token, when it is well-formed, known, not revoked and not expired. */
  async resolve(token: string): Promise<ActiveSession | undefined> {
    if (!TOKEN_FORMAT.test(token)) return undefined;
    const rows = await select<{ user_id: string; expires_ms: string; revoked: number | string }>(
      this.client,
      `SELECT any(user_id) AS user_id, toUnixTimestamp64Milli(min(expires_at)) AS expires_ms, max(revoked) AS revoked
       FROM sessions WHERE token_hash = {hash:String} GROUP BY token_hash`,
      { hash: hashToken(token) },
    );
    const r = rows[0];
    if (!r || Number(r.revoked) !== 0 || Number(r.expires_ms) <= this.now()) return undefined;
    return { userId: r.user_id, expiresAt: Number(r.expires_ms) };
  }

  /** Ends the session at once (sign-out). Unknown tokens are ignored. */
  async revoke(token: string): Promise<void> {
    if (!TOKEN_FORMAT.test(token)) return;
    const session = await this.resolve(token);
    if (!session) return;
    // One row with the flag: the table's merges keep the max, so the session stays revoked.
    await this.write(hashToken(token), {
      userId: session.userId,
      method: '',
      createdAt: this.now(),
      expiresAt: session.expiresAt,
      revoked: true,
    });
  }

  private write(
    hash: string,
    s: { userId: string; method: SignInMethod | ''; createdAt: number; expiresAt: number; revoked: boolean },
  ): Promise<void> {
    return insertRows(this.client, 'sessions', [
      {
        token_hash: hash,
        user_id: s.userId,
        method: s.method,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
        revoked: s.revoked ? 1 : 0,
      },
    ]);
  }
}
