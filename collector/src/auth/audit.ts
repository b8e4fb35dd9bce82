/**
 * The audit log: who created or revoked keys, changed alert rules, added, removed or re-roled
 * members, created projects. One row per action in `audit_log` (migration 13), listed newest first
 * per project. Details hold names and values a reader needs (a key's prefix, a rule's name, a
 * role), never secrets: fields whose names look like one are dropped before they are stored.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { AuditAction, AuditActor, AuditDetails, AuditEntry, AuditList } from '@sightline/contract';
import { SightlineError } from '../errors.js';
import type { Logger } from '../logger.js';
import { insertRows, select } from './db.js';
import type { Principal } from './principal.js';

export interface AuditRecord {
  projectId: string;
  action: AuditAction;
  /** What the action was about: a key id, a rule id, a user's email, a project id. */
  target: string;
  details?: AuditDetails;
}

/** The actor as the log names it. */
export function actorOf(principal: Principal | 'system'): AuditActor {
  if (principal === 'system') return { kind: 'system', id: '', label: 'system' };
  switch (principal.kind) {
    case 'local':
      return { kind: 'local', id: '', label: 'local' };
    case 'key':
      return { kind: 'key', id: principal.keyId, label: `key ${principal.keyId}` };
    case 'user':
      return { kind: 'user', id: principal.userId, label: principal.email };
  }
}

const SECRET_LIKE = /secret|password|token|credential|webhook|url/i;

function withoutSecrets(details: AuditDetails | undefined): AuditDetails {
  return Object.fromEntries(Object.entries(details ?? {}).filter(([k]) => !SECRET_LIKE.test(k)));
}

interface AuditRow {
  id: string;
  at_ms: string;
  project_id: string;
  actor_kind: AuditActor['kind'];
  actor_id: string;
  actor_label: string;
  action: AuditAction;
  target: string;
  details: string;
}

export class AuditLog {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records an action that has happened. A failure to store it is logged, not thrown: the change it
   * describes is already made, and answering it with a 500 would invite the caller to make it twice.
   */
  async record(principal: Principal | 'system', r: AuditRecord): Promise<void> {
    const actor = actorOf(principal);
    try {
      await insertRows(this.client, 'audit_log', [
        {
          id: randomUUID(),
          at: this.now(),
          project_id: r.projectId,
          actor_kind: actor.kind,
          actor_id: actor.id,
          actor_label: actor.label,
          action: r.action,
          target: r.target,
          details: JSON.stringify(withoutSecrets(r.details)),
        },
      ]);
    } catch (error) {
      this.logger.error('audit entry not stored', { action: r.action, projectId: r.projectId, error });
    }
  }

  /** A project's entries, newest first, `limit` at a time. */
  async list(projectId: string, opts: { limit: number; cursor?: string | undefined }): Promise<AuditList> {
    const after = opts.cursor === undefined ? undefined : decodeCursor(opts.cursor);
    if (opts.cursor !== undefined && !after)
      throw new SightlineError('invalid_parameter', 'cursor: not a cursor of this list', { field: 'cursor' });
    const rows = await select<AuditRow>(
      this.client,
      `SELECT id, toUnixTimestamp64Milli(at) AS at_ms, project_id, actor_kind, actor_id, actor_label, action, target, details
       FROM audit_log FINAL
       WHERE project_id = {projectId:String}
         AND ${after ? "(at, id) < (fromUnixTimestamp64Milli({atMs:Int64}, 'UTC'), {id:String})" : '1'}
       ORDER BY at DESC, id DESC
       LIMIT {limit:UInt32}`,
      { projectId, limit: opts.limit + 1, ...(after ? { atMs: after.at, id: after.id } : {}) },
    );
    const page = rows.slice(0, opts.limit).map(toEntry);
    const last = page.at(-1);
    return { entries: page, nextCursor: rows.length > opts.limit && last ? encodeCursor(last.at, last.id) : null };
  }
}

function toEntry(r: AuditRow): AuditEntry {
  let details: AuditDetails = {};
  try {
    details = JSON.parse(r.details) as AuditDetails;
  } catch {
    /* an unreadable details field is shown empty */
  }
  return {
    id: r.id,
    at: Number(r.at_ms),
    projectId: r.project_id,
    actor: { kind: r.actor_kind, id: r.actor_id, label: r.actor_label },
    action: r.action,
    target: r.target,
    details,
  };
}

function encodeCursor(at: number, id: string): string {
  return Buffer.from(`${at}:${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { at: number; id: string } | undefined {
  const m = /^(\d{1,15}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { at: Number(m[1]), id: m[2]! } : undefined;
}

/**
 * The one call every mutating route makes after it succeeds (keys, rules, members, projects).
 * `audit` may be absent (tests that build routes without one).
 */
export function recordAudit(audit: AuditLog | undefined, principal: Principal | 'system', r: AuditRecord): Promise<void> {
  return audit ? audit.record(principal, r) : Promise.resolve();
}
