/**
 * The sign-in, members and audit API contract: how the dashboard signs a user in (password, a
 * one-time setup token, OpenID Connect), who belongs to a project with which role, and the audit log.
 * The dashboard's server keeps the session token in an HTTP-only cookie and sends it to the
 * collector as `Authorization: Session <token>` (SESSION_SCHEME) on every call.
 */
import { z } from 'zod';
import { text } from './common.js';
import { ProjectIdParam } from './projects.js';

/** The `Authorization` scheme of a signed-in user's session token. */
export const SESSION_SCHEME = 'Session';

export const ProjectRole = z.enum(['admin', 'member', 'viewer']);
export type ProjectRole = z.infer<typeof ProjectRole>;

/** Lower-cased and trimmed, so one mailbox is one account. */
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }));

/** Long enough to resist guessing once hashed; bounded so hashing cannot be made expensive. */
export const PASSWORD_MIN_LENGTH = 12;
export const Password = text(1024).pipe(z.string().min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`));

/** A project id (projects.ts). */
export const ProjectId = ProjectIdParam.shape.id;

/** `open`: loopback with no sign-in (the local start). `required`: every call needs a credential. */
export const AuthMode = z.enum(['open', 'required']);
export type AuthMode = z.infer<typeof AuthMode>;

export const AuthConfig = z.object({
  mode: AuthMode,
  /** Email and password sign-in is offered. */
  password: z.boolean(),
  /** "Sign in with SSO" (OpenID Connect) is configured. */
  sso: z.boolean(),
  /** No user exists yet: the first admin signs up with the setup token the collector printed. */
  setupRequired: z.boolean(),
});
export type AuthConfig = z.infer<typeof AuthConfig>;

export const UserSummary = z.object({
  id: z.string(),
  email: z.string(),
  /** May create projects and manage the members of every project. */
  instanceAdmin: z.boolean(),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const ProjectAccess = z.object({ id: z.string(), role: ProjectRole });
export type ProjectAccess = z.infer<typeof ProjectAccess>;

/** Who the caller is: in the open local mode no user and admin of the default project. */
export const Me = z.object({
  mode: AuthMode,
  user: UserSummary.nullable(),
  projects: z.array(ProjectAccess),
});
export type Me = z.infer<typeof Me>;

export const SignInBody = z.object({ email: Email, password: text(1024) }).strict();
export type SignInBody = z.infer<typeof SignInBody>;

/** A new session. The token is shown once, here; the collector keeps only its hash. */
export const SessionGrant = z.object({
  token: z.string(),
  /** Epoch ms. */
  expiresAt: z.number().int(),
  user: UserSummary,
});
export type SessionGrant = z.infer<typeof SessionGrant>;

export const SignedOut = z.object({ signedOut: z.literal(true) });

export const SetupBody = z.object({ token: text(200, { min: 1 }), email: Email, password: Password }).strict();
export type SetupBody = z.infer<typeof SetupBody>;

/** Where to send the browser, and the sealed flow state (PKCE verifier, state, nonce) the dashboard keeps in a cookie until the callback. */
export const OidcStart = z.object({ authorizationUrl: z.url(), flow: z.string() });
export type OidcStart = z.infer<typeof OidcStart>;

/** The query string the provider redirected the browser back with (`?code=…&state=…`), and the flow of OidcStart. */
export const OidcCallbackBody = z.object({ query: text(8192), flow: text(8192, { min: 1 }) }).strict();
export type OidcCallbackBody = z.infer<typeof OidcCallbackBody>;

export const Member = z.object({
  userId: z.string(),
  email: z.string(),
  role: ProjectRole,
  /** Epoch ms the user got a role in the project. */
  addedAt: z.number().int(),
  /** Signs in with a password (else only through SSO). */
  hasPassword: z.boolean(),
  disabled: z.boolean(),
});
export type Member = z.infer<typeof Member>;

export const MemberList = z.object({ members: z.array(Member) });
export type MemberList = z.infer<typeof MemberList>;

/** `/projects/{id}/members/{userId}`: the project's id is `id`, as in `/projects/{id}/keys`. */
export const MemberParams = z.object({ id: ProjectId, userId: text(100, { min: 1 }) });

/** Adds a user (created when the email is new: with this password, or for SSO only without one). */
export const MemberInput = z.object({ email: Email, role: ProjectRole, password: Password.optional() }).strict();
export type MemberInput = z.infer<typeof MemberInput>;

export const MemberRoleBody = z.object({ role: ProjectRole }).strict();
export type MemberRoleBody = z.infer<typeof MemberRoleBody>;

export const MemberRemoved = z.object({ removed: z.literal(true) });

/** Everything the audit log records. */
export const AuditAction = z.enum([
  'project.create',
  'key.create',
  'key.revoke',
  'rule.create',
  'rule.update',
  'rule.delete',
  'rule.mute',
  'member.add',
  'member.remove',
  'member.role',
  'user.create',
  'sign_in.failure',
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditActor = z.object({
  kind: z.enum(['local', 'key', 'user', 'system']),
  /** The user id, the key id, or empty. */
  id: z.string(),
  /** What a reader recognises: the email, the key's prefix, `local` or `system`. */
  label: z.string(),
});
export type AuditActor = z.infer<typeof AuditActor>;

/** Details are names and values, never secrets: a key's prefix, a rule's name, a role. */
export const AuditDetails = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type AuditDetails = z.infer<typeof AuditDetails>;

export const AuditEntry = z.object({
  id: z.string(),
  /** Epoch ms (UTC). */
  at: z.number().int(),
  projectId: z.string(),
  actor: AuditActor,
  action: AuditAction,
  /** What the action was about: a key id, a rule id, a user's email, a project id. */
  target: z.string(),
  details: AuditDetails,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({
  project: ProjectId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `nextCursor` of the previous page. */
  cursor: text(200).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditList = z.object({ entries: z.array(AuditEntry), nextCursor: z.string().nullable() });
export type AuditList = z.infer<typeof AuditList>;
