/**
 * Cost: custom prices of the project (list, create, replace, delete), a recompute of past costs
 * over a time range, and the spend summary the overview shows.
 */
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  CostSummary,
  CustomPrice,
  CustomPriceInput,
  CustomPriceList,
  ErrorBody,
  PriceIdParam,
  RecomputeInput,
  RecomputeResult,
  ScopeQuery,
} from '@sightline/contract';
import { projectOf } from '../../auth/context.js';
import type { Pricing } from '../../pricing/index.js';
import { recomputeCosts } from '../../pricing/recompute.js';
import { resolveRange } from '../../storage/queries/common.js';
import { costSummary } from '../../storage/queries/session-cost.js';
import { guard, guardedResponses, json, router, type ApiDeps } from './common.js';
import { jsonBodyChecks } from './json-body.js';

/** A price is a few hundred bytes. */
const MAX_BODY_BYTES = 16 * 1024;

const body = <T>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
const notFound = { 404: json(ErrorBody, 'No such price') };
const bodyErrors = {
  413: json(ErrorBody, `The body is over ${MAX_BODY_BYTES} bytes (code payload_too_large)`),
  415: json(ErrorBody, 'The content type is not application/json (code unsupported_media_type)'),
};

export function costRoutes({ client, pricing }: ApiDeps & { pricing: Pricing }) {
  const app = router();
  const jsonBody = jsonBodyChecks(app, '/cost/*', MAX_BODY_BYTES);
  app.post('/cost/prices', jsonBody);
  app.put('/cost/prices/:id', jsonBody);
  app.post('/cost/recompute', jsonBody);
  return app
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/cost/summary',
        summary: 'Spend, unpriced model calls and cost per (successful) session over the sessions active in the range',
        request: { query: ScopeQuery },
        responses: { 200: json(CostSummary, 'Spend of the range'), ...guardedResponses },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const { from, to } = resolveRange(q.from, q.to);
        return c.json(
          await costSummary(client, projectOf(c), { service: q.service, agent: q.agent, environment: q.environment }, from, to),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        ...guard('read'),
        method: 'get',
        path: '/cost/prices',
        summary: "The project's custom prices (they beat the price database)",
        responses: { 200: json(CustomPriceList, 'The prices'), ...guardedResponses },
      }),
      async (c) => c.json({ prices: await pricing.prices.list(projectOf(c)) }, 200),
    )
    .openapi(
      createRoute({
        ...guard('write'),
        method: 'post',
        path: '/cost/prices',
        summary: 'Add a custom price: a model pattern, USD per million tokens by kind, valid from a date',
        request: body(CustomPriceInput),
        responses: { 201: json(CustomPrice, 'The new price'), ...bodyErrors, ...guardedResponses },
      }),
      async (c) => c.json(await pricing.prices.create(projectOf(c), c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({
        ...guard('write'),
        method: 'put',
        path: '/cost/prices/{id}',
        summary: 'Replace a custom price (past calls keep their cost until a recompute)',
        request: { params: PriceIdParam, ...body(CustomPriceInput) },
        responses: { 200: json(CustomPrice, 'The updated price'), ...notFound, ...bodyErrors, ...guardedResponses },
      }),
      async (c) => c.json(await pricing.prices.update(projectOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        ...guard('write'),
        method: 'delete',
        path: '/cost/prices/{id}',
        summary: 'Delete a custom price',
        request: { params: PriceIdParam },
        responses: { 200: json(z.object({ deleted: z.literal(true) }), 'Deleted'), ...notFound, ...guardedResponses },
      }),
      async (c) => {
        await pricing.prices.delete(projectOf(c), c.req.valid('param').id);
        return c.json({ deleted: true as const }, 200);
      },
    )
    .openapi(
      createRoute({
        ...guard('write'),
        method: 'post',
        path: '/cost/recompute',
        summary: 'Price again the model calls that started in [from, to) with the current custom prices and price database',
        request: body(RecomputeInput),
        responses: { 200: json(RecomputeResult, 'What changed'), ...bodyErrors, ...guardedResponses },
      }),
      async (c) => {
        const { from, to } = c.req.valid('json');
        return c.json(await recomputeCosts(client, pricing.pricer, projectOf(c), { from: Number(from), to: Number(to) }), 200);
      },
    );
}
