/** Builds the sign-in side of a collector from its config: stores, first admin, SSO, the authenticator. */
import type { ClickHouseClient } from '@clickhouse/client';
import { DEFAULT_SESSION_TTL_MS, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import { AuditLog } from './audit.js';
import { Authenticator } from './authenticator.js';
import { prepareFirstAdmin } from './first-admin.js';
import { OidcClient, type Sealer } from './oidc.js';
import { SessionStore } from './sessions.js';
import { PasswordHasher, type ScryptCost } from './users/passwords.js';
import { UserStore } from './users/user-store.js';

export interface Accounts {
  authenticator: Authenticator;
  users: UserStore;
  audit: AuditLog;
  passwords: PasswordHasher;
}

export async function startAccounts(o: {
  config: Pick<Config, 'auth' | 'dashboardUrl'>;
  client: ClickHouseClient;
  logger: Logger;
  /** Seals the SSO flow state; must refuse values it did not seal. */
  sealer: Sealer;
  now?: () => number;
  /** The scrypt cost of new hashes; the default unless a test asks for a cheaper one. */
  passwordCost?: ScryptCost;
}): Promise<Accounts> {
  const { auth } = o.config;
  const users = new UserStore(o.client);
  const audit = new AuditLog(o.client, o.logger, o.now);
  const sessions = new SessionStore(o.client, auth.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS, o.now);
  const passwords = new PasswordHasher(o.passwordCost);
  const setup = await prepareFirstAdmin({
    users,
    audit,
    passwords,
    logger: o.logger,
    adminEmail: auth.adminEmail,
    adminPassword: auth.adminPassword,
    authRequired: auth.required,
    dashboardUrl: o.config.dashboardUrl,
  });
  const sso = auth.oidc
    ? {
        client: new OidcClient(auth.oidc, o.sealer, o.logger, o.now),
        allowedDomains: auth.oidc.allowedDomains,
        provisionRole: auth.oidc.provisionRole,
        provisionProject: auth.oidc.provisionProject,
      }
    : undefined;
  const authenticator = new Authenticator({
    mode: auth.required ? 'required' : 'open',
    users,
    sessions,
    audit,
    passwords,
    logger: o.logger,
    setup,
    sso,
    ...(o.now ? { now: o.now } : {}),
  });
  return { authenticator, users, audit, passwords };
}
