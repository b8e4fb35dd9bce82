/**
 * The typed client of the collector's sign-in, members and audit routes (server-side only, like
 * lib/api.ts): responses parsed with the contract's schemas, failures the same CollectorApiError.
 */
import {
  AuditList,
  AuthConfig,
  Me,
  Member,
  MemberList,
  MemberRemoved,
  OidcStart,
  SessionGrant,
  SignedOut,
  type MemberInput,
  type ProjectRole,
} from '@sightline/contract';
import { requestCollector } from './api';

const members = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/members`;

export const authApi = {
  config: () => requestCollector({ path: '/api/auth/config', schema: AuthConfig, timeoutMs: 3_000, signIn: true }),
  me: () => requestCollector({ path: '/api/auth/me', schema: Me, timeoutMs: 5_000, signIn: true }),
  signIn: (email: string, password: string) =>
    requestCollector({ method: 'POST', path: '/api/auth/sign-in', schema: SessionGrant, body: { email, password }, signIn: true }),
  signOut: () => requestCollector({ method: 'POST', path: '/api/auth/sign-out', schema: SignedOut, signIn: true }),
  setup: (token: string, email: string, password: string) =>
    requestCollector({ method: 'POST', path: '/api/auth/setup', schema: SessionGrant, body: { token, email, password }, signIn: true }),
  ssoStart: () => requestCollector({ method: 'POST', path: '/api/auth/oidc/start', schema: OidcStart, signIn: true }),
  ssoFinish: (query: string, flow: string) =>
    requestCollector({ method: 'POST', path: '/api/auth/oidc/callback', schema: SessionGrant, body: { query, flow }, signIn: true }),
};

export const membersApi = {
  list: (projectId: string) => requestCollector({ path: members(projectId), schema: MemberList }),
  add: (projectId: string, input: MemberInput) =>
    requestCollector({ method: 'POST', path: members(projectId), schema: Member, body: input }),
  setRole: (projectId: string, userId: string, role: ProjectRole) =>
    requestCollector({ method: 'PUT', path: `${members(projectId)}/${encodeURIComponent(userId)}`, schema: Member, body: { role } }),
  remove: (projectId: string, userId: string) =>
    requestCollector({ method: 'DELETE', path: `${members(projectId)}/${encodeURIComponent(userId)}`, schema: MemberRemoved }),
};

export const auditApi = {
  list: (params: { project: string; limit?: number; cursor?: string }) =>
    requestCollector({
      path: '/api/audit',
      schema: AuditList,
      params: { project: params.project, limit: params.limit, cursor: params.cursor },
    }),
};
