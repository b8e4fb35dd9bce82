/**
 * The first admin of an instance that requires sign-in, from one of two sources:
 * - SIGHTLINE_ADMIN_EMAIL and SIGHTLINE_ADMIN_PASSWORD: the account is created at start if it does
 *   not exist (an existing one is left as it is: the variables do not reset a changed password);
 * - otherwise, while no user exists, a one-time setup token printed in the collector's log at start:
 *   whoever can read the log signs up as the first admin with it (POST /api/auth/setup), once.
 * The first admin administers the instance and the default project.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { AuditLog } from './audit.js';
import { DEFAULT_PROJECT_ID } from './principal.js';
import type { PasswordHasher } from './users/passwords.js';
import type { User, UserStore } from './users/user-store.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

export class SetupToken {
  private readonly hash: Buffer;
  private used = false;

  constructor(token: string) {
    this.hash = digest(token);
  }

  /** Whether `candidate` is the token and it has not been used; compared in constant time. */
  matches(candidate: string): boolean {
    return !this.used && timingSafeEqual(this.hash, digest(candidate));
  }

  consume(): void {
    this.used = true;
  }

  get active(): boolean {
    return !this.used;
  }
}

/** Creates the account as instance admin and admin of the default project. */
export async function createAdmin(users: UserStore, audit: AuditLog, email: string, passwordHash: string): Promise<User> {
  const { user, created } = await users.create({ email, passwordHash, instanceAdmin: true });
  const admin = user.instanceAdmin ? user : await users.update({ ...user, instanceAdmin: true });
  await users.setRole(DEFAULT_PROJECT_ID, admin.id, 'admin');
  if (created)
    await audit.record('system', {
      projectId: DEFAULT_PROJECT_ID,
      action: 'user.create',
      target: admin.email,
      details: { role: 'admin', instanceAdmin: true },
    });
  return admin;
}

export interface FirstAdminOptions {
  users: UserStore;
  audit: AuditLog;
  passwords: PasswordHasher;
  logger: Logger;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  /** Sign-in is required (not the open local mode): only then is a setup token worth printing. */
  authRequired: boolean;
  /** Where the dashboard is, for the message. */
  dashboardUrl: string;
}

/** Run at start. Returns the setup token when one was printed. */
export async function prepareFirstAdmin(o: FirstAdminOptions): Promise<SetupToken | undefined> {
  if (o.adminEmail && o.adminPassword) {
    if (!(await o.users.byEmail(o.adminEmail))) {
      await createAdmin(o.users, o.audit, o.adminEmail, await o.passwords.hash(o.adminPassword));
      o.logger.info('first admin created from SIGHTLINE_ADMIN_EMAIL', { email: o.adminEmail });
    }
    return undefined;
  }
  if (!o.authRequired || (await o.users.any())) return undefined;
  const token = randomBytes(18).toString('base64url');
  // The one secret the collector prints, on purpose: it is how the operator proves they run it.
  o.logger.warn(
    `no user exists yet: open ${o.dashboardUrl.replace(/\/+$/, '')}/setup and enter the one-time setup token ${token} ` +
      '(or set SIGHTLINE_ADMIN_EMAIL and SIGHTLINE_ADMIN_PASSWORD and restart)',
  );
  return new SetupToken(token);
}
