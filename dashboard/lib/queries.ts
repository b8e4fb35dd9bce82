/**
 * Request-scoped, de-duplicated collector queries for pages whose widgets share data
 * (the overview's tiles and charts read the same metrics). React's cache() lives for one render.
 */
import { cache } from 'react';
import { api, settle } from './api';
import type { GroupBy } from '@sightline/collector/api-schemas';

export interface ScopeKey {
  from: number;
  to: number;
  service?: string | undefined;
  agent?: string | undefined;
  environment?: string | undefined;
}

const metrics = cache((from: number, to: number, service: string, agent: string, environment: string, groupBy: GroupBy, rootOnly: boolean, bucket: number) =>
  settle(
    api.metrics({
      from,
      to,
      service: service || undefined,
      agent: agent || undefined,
      environment: environment || undefined,
      groupBy,
      rootOnly: rootOnly ? 'true' : undefined,
      bucket: bucket || undefined,
    }),
  ),
);

/** Metrics of a scope. `rootOnly` counts whole agent runs (one root span per trace). */
export function getMetrics(scope: ScopeKey, groupBy: GroupBy, opts: { rootOnly?: boolean; bucket?: number } = {}) {
  return metrics(scope.from, scope.to, scope.service ?? '', scope.agent ?? '', scope.environment ?? '', groupBy, opts.rootOnly ?? false, opts.bucket ?? 0);
}

const filters = cache((from: number, to: number) => settle(api.filters({ from, to })));
export function getFilters(scope: ScopeKey) {
  return filters(scope.from, scope.to);
}
