/**
 * The projects API contract: projects (each one's data is apart from every other's) and their API
 * keys. A key's secret appears once, in the answer that creates it; every other answer shows its
 * prefix only.
 */
import { z } from 'zod';
import { text } from './common.js';

/** A project id: a slug, since it travels in URLs, headers and log lines unescaped (ProjectIdParam.shape.id). */
const projectId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1–63 lowercase letters, digits, _ or -, starting with a letter or digit');

/** The project every install starts with; data written before projects existed lives in it. */
export const DEFAULT_PROJECT = 'default';

/** The request header naming the project a call acts in (for callers that may act in several). */
export const PROJECT_HEADER = 'x-sightline-project';

export const Project = z.object({
  id: projectId,
  name: z.string(),
  createdAt: z.number().int(),
  /** Spans per minute this project may send; null: the instance's default (SIGHTLINE_PROJECT_QUOTA_SPANS_PER_MINUTE). */
  quotaSpansPerMinute: z.number().int().positive().nullable(),
});
export type Project = z.infer<typeof Project>;

export const ProjectList = z.object({ projects: z.array(Project) });
export type ProjectList = z.infer<typeof ProjectList>;

export const ProjectInput = z
  .object({
    id: projectId,
    name: text(200, { trim: true, min: 1 }),
    quotaSpansPerMinute: z.number().int().positive().max(1_000_000_000).nullable().optional(),
  })
  .strict();
export type ProjectInput = z.infer<typeof ProjectInput>;

/** What a key may do: send spans and logs, read the project's data, or everything including its settings and keys. */
export const KeyScope = z.enum(['ingest', 'read', 'admin']);
export type KeyScope = z.infer<typeof KeyScope>;

export const ApiKey = z.object({
  id: z.string(),
  projectId: projectId,
  name: z.string(),
  /** The public part of the key (`sl_<prefix>_…`), enough to tell keys apart. */
  prefix: z.string(),
  scopes: z.array(KeyScope),
  createdAt: z.number().int(),
  /** When the key was last used, to the minute; null: never. */
  lastUsedAt: z.number().int().nullable(),
  revokedAt: z.number().int().nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyList = z.object({ keys: z.array(ApiKey) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;

export const ApiKeyInput = z
  .object({
    name: text(200, { trim: true, min: 1 }),
    scopes: z.array(KeyScope).min(1).max(3),
  })
  .strict();
export type ApiKeyInput = z.infer<typeof ApiKeyInput>;

/** The answer to creating a key: the only time its secret is shown. */
export const ApiKeyCreated = ApiKey.extend({
  /** The whole key, `sl_<prefix>_<secret>`: send it as `Authorization: Bearer <key>`. Not stored, not shown again. */
  key: z.string(),
});
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

export const ProjectIdParam = z.object({ id: projectId });
export const ProjectKeyParams = z.object({ id: projectId, keyId: z.string().regex(/^[a-z0-9]{1,64}$/) });
