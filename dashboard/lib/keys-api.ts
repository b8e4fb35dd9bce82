/**
 * The typed client of the collector's API-key routes (server-side only, like lib/api.ts). Calls go
 * with the signed-in user's session: the collector checks that they administer the project.
 */
import { ApiKey, ApiKeyCreated, ApiKeyList, type ApiKeyInput } from '@sightline/contract';
import { requestCollector } from './api';

const keys = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}/keys`;

export const keysApi = {
  list: (projectId: string) => requestCollector({ path: keys(projectId), schema: ApiKeyList }),
  /** The answer holds the whole key: the only time anyone sees it. */
  create: (projectId: string, input: ApiKeyInput) =>
    requestCollector({ method: 'POST', path: keys(projectId), schema: ApiKeyCreated, body: input }),
  revoke: (projectId: string, keyId: string) =>
    requestCollector({ method: 'DELETE', path: `${keys(projectId)}/${encodeURIComponent(keyId)}`, schema: ApiKey }),
};
