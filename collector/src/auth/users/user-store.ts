/**
 * Users and their roles per project, in ClickHouse (`users`, `memberships`; migration 13 says why
 * ReplacingMergeTree read with FINAL is safe). A user's id is derived from the normalized email,
 * so one email is one row however many collectors create it at once.
 */
import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { ProjectRole } from '../principal.js';
import { insertRows, nextVersion, select } from '../db.js';

export interface User {
  id: string;
  email: string;
  /** Empty: no password (signs in through SSO only). */
  passwordHash: string;
  instanceAdmin: boolean;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface Membership {
  projectId: string;
  userId: string;
  role: ProjectRole;
  addedAt: number;
}

/** The id of the account of a (normalized) email. */
export function userIdFor(email: string): string {
  return 'u_' + createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 24);
}

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  instance_admin: number | string;
  disabled: number | string;
  created_ms: string;
  updated_ms: string;
}

/** The user columns, from a table aliased `t` (or unaliased). */
const userColumns = (t = '') => {
  const p = t ? `${t}.` : '';
  return `${p}id AS id, ${p}email AS email, ${p}password_hash AS password_hash, ${p}instance_admin AS instance_admin,
    ${p}disabled AS disabled, toUnixTimestamp64Milli(${p}created_at) AS created_ms, toUnixTimestamp64Milli(${p}updated_at) AS updated_ms`;
};

function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    passwordHash: r.password_hash,
    instanceAdmin: Number(r.instance_admin) === 1,
    disabled: Number(r.disabled) === 1,
    createdAt: Number(r.created_ms),
    updatedAt: Number(r.updated_ms),
  };
}

const ROLES: readonly ProjectRole[] = ['admin', 'member', 'viewer'];
const isRole = (r: string): r is ProjectRole => (ROLES as readonly string[]).includes(r);

export class UserStore {
  constructor(private readonly client: ClickHouseClient) {}

  async byId(id: string): Promise<User | undefined> {
    const rows = await select<UserRow>(this.client, `SELECT ${userColumns()} FROM users FINAL WHERE id = {id:String}`, { id });
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  byEmail(email: string): Promise<User | undefined> {
    return this.byId(userIdFor(email));
  }

  async any(): Promise<boolean> {
    const rows = await select<{ n: string }>(this.client, 'SELECT count() AS n FROM users FINAL', {});
    return Number(rows[0]?.n ?? 0) > 0;
  }

  /** Creates the account, or returns the one that already has this email (unchanged). */
  async create(
    input: { email: string; passwordHash: string; instanceAdmin: boolean },
    now = Date.now(),
  ): Promise<{ user: User; created: boolean }> {
    const existing = await this.byEmail(input.email);
    if (existing) return { user: existing, created: false };
    const user: User = {
      id: userIdFor(input.email),
      email: input.email.trim().toLowerCase(),
      passwordHash: input.passwordHash,
      instanceAdmin: input.instanceAdmin,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.write(user);
    return { user, created: true };
  }

  async update(user: User, now = Date.now()): Promise<User> {
    const next = { ...user, updatedAt: now };
    await this.write(next);
    return next;
  }

  private write(u: User): Promise<void> {
    return insertRows(this.client, 'users', [
      {
        id: u.id,
        email: u.email,
        password_hash: u.passwordHash,
        instance_admin: u.instanceAdmin ? 1 : 0,
        disabled: u.disabled ? 1 : 0,
        created_at: u.createdAt,
        updated_at: u.updatedAt,
        version: nextVersion(),
      },
    ]);
  }

  /** The user's role in each project they belong to. */
  async rolesOf(userId: string): Promise<Record<string, ProjectRole>> {
    const rows = await select<{ project_id: string; role: string }>(
      this.client,
      'SELECT project_id, role FROM memberships FINAL WHERE user_id = {userId:String} AND removed = 0',
      { userId },
    );
    const roles: Record<string, ProjectRole> = {};
    for (const r of rows) if (isRole(r.role)) roles[r.project_id] = r.role;
    return roles;
  }

  async members(projectId: string): Promise<Array<{ user: User; membership: Membership }>> {
    const rows = await select<UserRow & { role: string; added_ms: string }>(
      this.client,
      `SELECT m.role AS role, toUnixTimestamp64Milli(m.created_at) AS added_ms, ${userColumns('u')}
       FROM (SELECT * FROM memberships FINAL WHERE project_id = {projectId:String} AND removed = 0) AS m
       INNER JOIN (SELECT * FROM users FINAL) AS u ON u.id = m.user_id
       ORDER BY u.email`,
      { projectId },
    );
    return rows.flatMap((r) =>
      isRole(r.role) ? [{ user: toUser(r), membership: { projectId, userId: r.id, role: r.role, addedAt: Number(r.added_ms) } }] : [],
    );
  }

  async membership(projectId: string, userId: string): Promise<Membership | undefined> {
    const rows = await select<{ role: string; added_ms: string }>(
      this.client,
      `SELECT role, toUnixTimestamp64Milli(created_at) AS added_ms FROM memberships FINAL
       WHERE project_id = {projectId:String} AND user_id = {userId:String} AND removed = 0`,
      { projectId, userId },
    );
    const r = rows[0];
    return r && isRole(r.role) ? { projectId, userId, role: r.role, addedAt: Number(r.added_ms) } : undefined;
  }

  /** Gives the user `role` in the project (a new membership keeps its first date). */
  async setRole(projectId: string, userId: string, role: ProjectRole, now = Date.now()): Promise<Membership> {
    const current = await this.membership(projectId, userId);
    const addedAt = current?.addedAt ?? now;
    await this.writeMembership(projectId, userId, role, false, addedAt, now);
    return { projectId, userId, role, addedAt };
  }

  async removeMember(projectId: string, userId: string, now = Date.now()): Promise<void> {
    const current = await this.membership(projectId, userId);
    if (!current) return;
    await this.writeMembership(projectId, userId, current.role, true, current.addedAt, now);
  }

  private writeMembership(projectId: string, userId: string, role: ProjectRole, removed: boolean, addedAt: number, now: number) {
    return insertRows(this.client, 'memberships', [
      {
        project_id: projectId,
        user_id: userId,
        role,
        removed: removed ? 1 : 0,
        created_at: addedAt,
        updated_at: now,
        version: nextVersion(),
      },
    ]);
  }
}
