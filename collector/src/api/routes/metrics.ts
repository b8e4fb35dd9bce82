import { createRoute } from '@hono/zod-openapi';
import { FilterValues, MetricsQuery, MetricsResponse, ScopeQuery } from '@sightline/contract';
import { projectOf } from '../../auth/context.js';
import { filterValues, queryMetrics } from '../../storage/queries/metrics.js';
import { guard, guardedResponses, json, router, type ApiDeps } from './common.js';

export function metricRoutes({ client }: ApiDeps) {
  return router()
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/metrics',
        summary: 'Time series and totals from the minute rollups: count, error rate, latency percentiles, tokens',
        request: { query: MetricsQuery },
        responses: { 200: json(MetricsResponse, 'Series per group and totals'), ...guardedResponses },
      }),
      async (c) => c.json(await queryMetrics(client, projectOf(c), c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/filters',
        summary: 'Distinct services, agents, environments, operations, tools and models seen in the range',
        request: { query: ScopeQuery.pick({ from: true, to: true }) },
        responses: { 200: json(FilterValues, 'Values for filter menus'), ...guardedResponses },
      }),
      async (c) => c.json(await filterValues(client, projectOf(c), c.req.valid('query')), 200),
    );
}
