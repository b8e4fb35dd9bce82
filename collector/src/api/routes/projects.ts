/**
 * Projects and their API keys. Listing shows the projects the caller may see; creating a project
 * takes an instance administrator; a project's keys take its admin (or an instance administrator).
 * A key's secret is in the answer that creates it and nowhere else; no answer carries a digest.
 */
import { createRoute } from '@hono/zod-openapi';
import {
  ApiKey,
  ApiKeyCreated,
  ApiKeyInput,
  ApiKeyList,
  ErrorBody,
  Project,
  ProjectIdParam,
  ProjectInput,
  ProjectKeyParams,
  ProjectList,
} from '@sightline/contract';
import type { Context } from 'hono';
import type { AuthEnv } from '../../auth/context.js';
import type { KeyStore } from '../../auth/key-store.js';
import { allows, allowsInstance, type Principal } from '../../auth/principal.js';
import type { ProjectStore } from '../../auth/project-store.js';
import { SightlineError } from '../../errors.js';
import { guard, guardedResponses, guardProjectParam, json, router } from './common.js';

/** Something that happened to a project's keys, for an audit log (kept by whoever subscribes). */
export interface KeyAuditEvent {
  action: 'project.create' | 'key.create' | 'key.revoke';
  projectId: string;
  keyId?: string;
  actor: Principal;
  at: number;
}

export interface ProjectRouteDeps {
  projects: ProjectStore;
  keys: KeyStore;
  /** Called after each change; errors in it do not undo the change. */
  audit?: ((event: KeyAuditEvent) => void) | undefined;
}

const body = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const noProject = { 404: json(ErrorBody, 'No such project, or no such key in it') };

export function projectRoutes({ projects, keys, audit }: ProjectRouteDeps) {
  const record = (c: Context<AuthEnv>, event: Omit<KeyAuditEvent, 'actor' | 'at'>) => {
    try {
      audit?.({ ...event, actor: c.get('principal'), at: Date.now() });
    } catch {
      // The change is made; a failing subscriber must not turn it into an error answer.
    }
  };
  const existing = async (id: string) => {
    if (!(await projects.get(id))) throw new SightlineError('not_found', `no project ${id}`, { field: 'id' });
  };
  return router()
    .openapi(
      createRoute({
        ...guard('authenticated'),
        method: 'get',
        path: '/projects',
        summary: 'The projects the caller may see (every project, for an instance administrator)',
        responses: { 200: json(ProjectList, 'Projects'), ...guardedResponses },
      }),
      async (c) => {
        const principal = c.get('principal');
        const all = await projects.list();
        const visible = allowsInstance(principal)
          ? all
          : all.filter((p) => allows(principal, p.id, 'read') || allows(principal, p.id, 'ingest'));
        return c.json({ projects: visible }, 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('instance'),
        method: 'post',
        path: '/projects',
        summary: 'Create a project (instance administrators)',
        request: body(ProjectInput),
        responses: { 201: json(Project, 'The new project'), ...guardedResponses },
      }),
      async (c) => {
        const project = await projects.create(c.req.valid('json'));
        record(c, { action: 'project.create', projectId: project.id });
        return c.json(project, 201);
      },
    )
    .openapi(
      createRoute({
        ...guardProjectParam('admin'),
        method: 'get',
        path: '/projects/{id}/keys',
        summary: "The project's API keys, by prefix, with creation, last use and revocation times (never a secret)",
        request: { params: ProjectIdParam },
        responses: { 200: json(ApiKeyList, 'Keys'), ...noProject, ...guardedResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await existing(id);
        return c.json({ keys: await keys.list(id) }, 200);
      },
    )
    .openapi(
      createRoute({
        ...guardProjectParam('admin'),
        method: 'post',
        path: '/projects/{id}/keys',
        summary: 'Create an API key; the answer holds the whole key, shown this once',
        request: { params: ProjectIdParam, ...body(ApiKeyInput) },
        responses: { 201: json(ApiKeyCreated, 'The new key, with its secret'), ...noProject, ...guardedResponses },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await existing(id);
        const created = await keys.create(id, c.req.valid('json'));
        record(c, { action: 'key.create', projectId: id, keyId: created.id });
        return c.json(created, 201);
      },
    )
    .openapi(
      createRoute({
        ...guardProjectParam('admin'),
        method: 'delete',
        path: '/projects/{id}/keys/{keyId}',
        summary: 'Revoke an API key: refused from now on',
        request: { params: ProjectKeyParams },
        responses: { 200: json(ApiKey, 'The revoked key'), ...noProject, ...guardedResponses },
      }),
      async (c) => {
        const { id, keyId } = c.req.valid('param');
        const revoked = await keys.revoke(id, keyId);
        record(c, { action: 'key.revoke', projectId: id, keyId });
        return c.json(revoked, 200);
      },
    );
}
