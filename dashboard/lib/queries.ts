/**
 * Request-scoped, de-duplicated collector queries for pages whose widgets share data
 * (the overview's tiles and charts read the same metrics). React's cache() lives for one render.
 */
import { cache } from 'react';
import type { FilterValues, GroupBy } from '@sightline/contract';
import { api, settle, type Result } from './api';
import { scoresApi } from './scores-api';

export interface ScopeKey {
  from: number;
  to: number;
  service?: string | undefined;
  agent?: string | undefined;
  environment?: string | undefined;
}

const metrics = cache(
  (from: number, to: number, service: string, agent: string, environment: string, groupBy: GroupBy, rootOnly: boolean, bucket: number) =>
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
  return metrics(
    scope.from,
    scope.to,
    scope.service ?? '',
    scope.agent ?? '',
    scope.environment ?? '',
    groupBy,
    opts.rootOnly ?? false,
    opts.bucket ?? 0,
  );
}

/**
 * The filter bar's choices change slowly, and every page shows them: keep them for 30 s per
 * minute-rounded window, so navigating and live refresh do not ask the collector each time.
 * Only successful answers are kept.
 */
const FILTERS_TTL_MS = 30_000;
const FILTERS_MAX_ENTRIES = 200;
const filterCache = new Map<string, { at: number; value: Promise<Result<FilterValues>> }>();

export function getFilters(scope: ScopeKey, now = Date.now()): Promise<Result<FilterValues>> {
  const from = Math.floor(scope.from / 60_000) * 60_000;
  const to = Math.ceil(scope.to / 60_000) * 60_000;
  const key = `${from}-${to}`;
  const hit = filterCache.get(key);
  if (hit && now - hit.at < FILTERS_TTL_MS) return hit.value;
  if (filterCache.size >= FILTERS_MAX_ENTRIES) filterCache.clear();
  const value = settle(api.filters({ from, to }));
  filterCache.set(key, { at: now, value });
  void value.then((r) => {
    if (!r.ok) filterCache.delete(key);
  });
  return value;
}

const costSummary = cache((from: number, to: number, service: string, agent: string, environment: string) =>
  settle(api.costSummary({ from, to, service: service || undefined, agent: agent || undefined, environment: environment || undefined })),
);

/** Spend, unpriced calls and cost per (successful) session of a scope. */
export function getCostSummary(scope: ScopeKey) {
  return costSummary(scope.from, scope.to, scope.service ?? '', scope.agent ?? '', scope.environment ?? '');
}

const scoreSummary = cache((from: number, to: number, bucketSeconds: number) =>
  settle(scoresApi.summary({ from, to, bucketSeconds: bucketSeconds || undefined })),
);

/** Per score name over a range: mean per bucket, overall mean and count, top labels (the overview, the list filters' names). */
export function getScoreSummary(from: number, to: number, bucketSeconds = 0) {
  return scoreSummary(from, to, bucketSeconds);
}
