/**
 * The members of a project and their roles (admin, member, viewer): listed, added, re-roled and
 * removed by the project's admins, its admin keys, or an instance admin (guardProjectParam). Adding an email that has no account yet
 * creates one: with the password given, or without one for single sign-on. A project always keeps
 * one admin: removing or demoting the last one is refused (409).
 */
import { createRoute } from '@hono/zod-openapi';
import {
  ErrorBody,
  Member,
  MemberInput,
  MemberList,
  MemberParams,
  MemberRemoved,
  MemberRoleBody,
  ProjectIdParam,
  type ProjectRole,
} from '@sightline/contract';
import type { AuditLog } from '../../auth/audit.js';
import { projectOf } from '../../auth/context.js';
import type { ProjectStore } from '../../auth/project-store.js';
import type { PasswordHasher } from '../../auth/users/passwords.js';
import type { Membership, User, UserStore } from '../../auth/users/user-store.js';
import { SightlineError } from '../../errors.js';
import { guardedResponses, guardProjectParam, json, router } from './common.js';

export interface MemberRouteDeps {
  users: UserStore;
  audit: AuditLog;
  passwords: PasswordHasher;
  /** The projects (created by routes/projects.ts); absent in tests of members alone: every id is taken as existing. */
  projects?: ProjectStore | undefined;
}

const toMember = (user: User, m: Membership): Member => ({
  userId: user.id,
  email: user.email,
  role: m.role,
  addedAt: m.addedAt,
  hasPassword: user.passwordHash !== '',
  disabled: user.disabled,
});

const body = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const refusals = { 404: json(ErrorBody, 'No such project or member'), ...guardedResponses };
const lastAdmin = { 409: json(ErrorBody, 'The project would be left without an admin, or the user is a member already (code conflict)') };

export function memberRoutes(deps: MemberRouteDeps) {
  const { users, audit } = deps;

  /** The route guard has checked the caller administers the project (or the instance); it must exist. */
  async function checkProject(projectId: string): Promise<void> {
    if (deps.projects && !(await deps.projects.get(projectId)))
      throw new SightlineError('not_found', `no project ${projectId}`, { field: 'id' });
  }

  async function memberOf(projectId: string, userId: string): Promise<{ user: User; membership: Membership }> {
    const [user, membership] = await Promise.all([users.byId(userId), users.membership(projectId, userId)]);
    if (!user || !membership) throw new SightlineError('not_found', `no member ${userId} in ${projectId}`, { field: 'userId' });
    return { user, membership };
  }

  /** Refuses to leave the project without an admin. */
  async function keepAnAdmin(projectId: string, userId: string, newRole: ProjectRole | null): Promise<void> {
    if (newRole === 'admin') return;
    const admins = (await users.members(projectId)).filter((m) => m.membership.role === 'admin' && !m.user.disabled);
    if (admins.length === 1 && admins[0]!.user.id === userId)
      throw new SightlineError('conflict', 'this is the last admin of the project: make someone else admin first', { field: 'role' });
  }

  return router()
    .openapi(
      createRoute({
        ...guardProjectParam('admin'),
        method: 'get',
        path: '/projects/{id}/members',
        summary: "A project's members and their roles",
        request: { params: ProjectIdParam },
        responses: { 200: json(MemberList, 'The members'), ...refusals },
      }),
      async (c) => {
        const projectId = projectOf(c);
        await checkProject(projectId);
        const members = await users.members(projectId);
        return c.json({ members: members.map((m) => toMember(m.user, m.membership)) }, 200);
      },
    )
    .openapi(
      createRoute({
        ...guardProjectParam('admin'),
        method: 'post',
        path: '/projects/{id}/members',
        summary: 'Add a user to the project with a role (an unknown email gets an account)',
        request: { params: ProjectIdParam, ...body(MemberInput) },
        responses: { 201: json(Member, 'The new member'), ...refusals, ...lastAdmin },
      }),
      async (c) => {
        const principal = c.get('principal');
        const projectId = projectOf(c);
        const input = c.req.valid('json');
        await checkProject(projectId);
        let user = await users.byEmail(input.email);
        if (user && (await users.membership(projectId, user.id)))
          throw new SightlineError('conflict', `${input.email} is a member already: change their role instead`, { field: 'email' });
        if (!user) {
          const passwordHash = input.password === undefined ? '' : await deps.passwords.hash(input.password);
          user = (await users.create({ email: input.email, passwordHash, instanceAdmin: false })).user;
          await audit.record(principal, {
            projectId,
            action: 'user.create',
            target: user.email,
            details: { password: passwordHash !== '' },
          });
        }
        const membership = await users.setRole(projectId, user.id, input.role);
        await audit.record(principal, { projectId, action: 'member.add', target: user.email, details: { role: input.role } });
        return c.json(toMember(user, membership), 201);
      },
    )
    .openapi(
      createRoute({
        ...guardProjectParam('admin'),
        method: 'put',
        path: '/projects/{id}/members/{userId}',
        summary: "Change a member's role",
        request: { params: MemberParams, ...body(MemberRoleBody) },
        responses: { 200: json(Member, 'The member'), ...refusals, ...lastAdmin },
      }),
      async (c) => {
        const principal = c.get('principal');
        const projectId = projectOf(c);
        const { userId } = c.req.valid('param');
        const { role } = c.req.valid('json');
        await checkProject(projectId);
        const { user, membership } = await memberOf(projectId, userId);
        if (membership.role === role) return c.json(toMember(user, membership), 200);
        await keepAnAdmin(projectId, userId, role);
        const updated = await users.setRole(projectId, userId, role);
        await audit.record(principal, {
          projectId,
          action: 'member.role',
          target: user.email,
          details: { from: membership.role, to: role },
        });
        return c.json(toMember(user, updated), 200);
      },
    )
    .openapi(
      createRoute({
        ...guardProjectParam('admin'),
        method: 'delete',
        path: '/projects/{id}/members/{userId}',
        summary: 'Remove a member from the project (their account stays)',
        request: { params: MemberParams },
        responses: { 200: json(MemberRemoved, 'Removed'), ...refusals, ...lastAdmin },
      }),
      async (c) => {
        const principal = c.get('principal');
        const projectId = projectOf(c);
        const { userId } = c.req.valid('param');
        await checkProject(projectId);
        const { user, membership } = await memberOf(projectId, userId);
        await keepAnAdmin(projectId, userId, null);
        await users.removeMember(projectId, userId);
        await audit.record(principal, { projectId, action: 'member.remove', target: user.email, details: { role: membership.role } });
        return c.json({ removed: true as const }, 200);
      },
    );
}
