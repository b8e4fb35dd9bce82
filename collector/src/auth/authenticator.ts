/**
 * Signing in and out: email and password (throttled per account and per client address), the
 * first admin's setup token, and OpenID Connect. Each success opens a session (sessions.ts); the
 * session token is what the dashboard sends back on every call, resolved here into the user's
 * Principal with their role per project, read fresh on every call so a removed member or a
 * disabled user loses access at once.
 */
import type { AuthMode, Me, ProjectRole, SessionGrant, UserSummary } from '@sightline/contract';
import { SightlineError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AuditLog } from './audit.js';
import { createAdmin, type SetupToken } from './first-admin.js';
import type { OidcClient } from './oidc.js';
import { DEFAULT_PROJECT_ID, type Principal } from './principal.js';
import type { SessionStore, SignInMethod } from './sessions.js';
import type { PasswordHasher } from './users/passwords.js';
import { ACCOUNT_POLICY, ADDRESS_POLICY, AttemptThrottle } from './users/throttle.js';
import type { User, UserStore } from './users/user-store.js';

export interface SsoSettings {
  client: OidcClient;
  /** Email domains whose users get an account at their first SSO sign-in; empty: only existing users may sign in. */
  allowedDomains: readonly string[];
  /** The role such a new user gets in `provisionProject`. */
  provisionRole: ProjectRole;
  provisionProject: string;
}

export interface AuthenticatorOptions {
  mode: AuthMode;
  users: UserStore;
  sessions: SessionStore;
  audit: AuditLog;
  passwords: PasswordHasher;
  logger: Logger;
  setup?: SetupToken | undefined;
  sso?: SsoSettings | undefined;
  now?: () => number;
}

const summary = (u: User): UserSummary => ({ id: u.id, email: u.email, instanceAdmin: u.instanceAdmin });

const BAD_CREDENTIALS = 'wrong email or password';

export class Authenticator {
  readonly accounts: AttemptThrottle;
  readonly addresses: AttemptThrottle;
  private setupInFlight = false;

  constructor(private readonly o: AuthenticatorOptions) {
    const now = o.now ?? Date.now;
    this.accounts = new AttemptThrottle(ACCOUNT_POLICY, now);
    this.addresses = new AttemptThrottle(ADDRESS_POLICY, now);
  }

  get mode(): AuthMode {
    return this.o.mode;
  }

  get ssoEnabled(): boolean {
    return this.o.sso !== undefined;
  }

  async setupRequired(): Promise<boolean> {
    return this.o.setup?.active === true && !(await this.o.users.any());
  }

  /**
   * `address`: the client's address as the collector can best tell it (see routes/auth.ts). While
   * the account or the address is locked, the password is not even checked.
   */
  async signIn(email: string, password: string, address: string): Promise<SessionGrant> {
    const wait = Math.max(this.accounts.waitMs(email), this.addresses.waitMs(address));
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new SightlineError('too_many_attempts', `too many failed sign-in attempts: try again in ${seconds} s`, {
        retryAfterSeconds: seconds,
      });
    }
    const user = await this.o.users.byEmail(email);
    // An unknown email costs the same hash as a known one, so the answer's timing does not tell them apart.
    const matches = await this.o.passwords.verify(user?.passwordHash ?? '', password);
    if (!user || !matches || user.disabled) {
      this.accounts.failed(email);
      this.addresses.failed(address);
      this.o.logger.info('sign-in refused', { address });
      throw new SightlineError('unauthorized', BAD_CREDENTIALS);
    }
    this.accounts.succeeded(email);
    return this.open(user, 'password');
  }

  async signOut(token: string): Promise<void> {
    await this.o.sessions.revoke(token);
  }

  /** The first admin's sign-up with the printed token; works once, and only while no user exists. */
  async setup(token: string, email: string, password: string, address: string): Promise<SessionGrant> {
    const wait = this.addresses.waitMs(address);
    if (wait > 0)
      throw new SightlineError('too_many_attempts', 'too many failed attempts; try again later', {
        retryAfterSeconds: Math.ceil(wait / 1000),
      });
    const setup = this.o.setup;
    if (!setup?.active || this.setupInFlight || (await this.o.users.any()))
      throw new SightlineError('conflict', 'this instance is set up already: sign in');
    if (!setup.matches(token)) {
      this.addresses.failed(address);
      throw new SightlineError('unauthorized', 'wrong setup token', { field: 'token' });
    }
    this.setupInFlight = true;
    try {
      setup.consume();
      const user = await createAdmin(this.o.users, this.o.audit, email, await this.o.passwords.hash(password));
      return await this.open(user, 'setup');
    } finally {
      this.setupInFlight = false;
    }
  }

  ssoStart(): Promise<{ authorizationUrl: string; flow: string }> {
    return this.sso().client.start();
  }

  /** Signs in the user the provider vouched for: an existing account, or a new one from an allowed domain. */
  async ssoFinish(query: string, flow: string): Promise<SessionGrant> {
    const sso = this.sso();
    const identity = await sso.client.finish(query, flow);
    if (!identity.emailVerified) throw new SightlineError('forbidden', 'the single sign-on provider has not verified this email address');
    let user = await this.o.users.byEmail(identity.email);
    if (!user) {
      const domain = identity.email.split('@')[1] ?? '';
      if (!sso.allowedDomains.includes(domain))
        throw new SightlineError('forbidden', `no Sightline account for ${identity.email}: ask an admin to add you`);
      user = (await this.o.users.create({ email: identity.email, passwordHash: '', instanceAdmin: false })).user;
      await this.o.users.setRole(sso.provisionProject, user.id, sso.provisionRole);
      await this.o.audit.record('system', {
        projectId: sso.provisionProject,
        action: 'member.add',
        target: user.email,
        details: { role: sso.provisionRole, via: 'sso' },
      });
    }
    if (user.disabled) throw new SightlineError('forbidden', 'this account is disabled');
    return this.open(user, 'oidc');
  }

  private sso(): SsoSettings {
    if (!this.o.sso) throw new SightlineError('not_found', 'single sign-on is not configured');
    return this.o.sso;
  }

  private async open(user: User, method: SignInMethod): Promise<SessionGrant> {
    const { token, expiresAt } = await this.o.sessions.create(user.id, method);
    return { token, expiresAt, user: summary(user) };
  }

  /** The principal of a session token; undefined when the session is unknown, expired, revoked or its user disabled. */
  async principalFor(token: string): Promise<Principal | undefined> {
    const session = await this.o.sessions.resolve(token);
    if (!session) return undefined;
    const user = await this.o.users.byId(session.userId);
    if (!user || user.disabled) return undefined;
    const roles = await this.o.users.rolesOf(user.id);
    return { kind: 'user', userId: user.id, email: user.email, roles, instanceAdmin: user.instanceAdmin };
  }

  /** Who the caller is, for the dashboard's shell. */
  async me(principal: Principal | undefined): Promise<Me> {
    if (!principal) return { mode: this.o.mode, user: null, projects: [] };
    switch (principal.kind) {
      case 'local':
        return { mode: this.o.mode, user: null, projects: [{ id: DEFAULT_PROJECT_ID, role: 'admin' }] };
      case 'key':
        return { mode: this.o.mode, user: null, projects: [] };
      case 'user': {
        const user = await this.o.users.byId(principal.userId);
        const projects = Object.entries(principal.roles)
          .map(([id, role]) => ({ id, role }))
          .sort((a, b) => a.id.localeCompare(b.id));
        return { mode: this.o.mode, user: user ? summary(user) : null, projects };
      }
    }
  }
}
