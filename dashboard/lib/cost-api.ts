/**
 * The typed client of the collector's custom-price and recompute API (server-side only, like
 * lib/api.ts): responses parsed with the contract's schemas, failures as CollectorApiError /
 * CollectorUnreachableError.
 */
import { z } from 'zod';
import { CustomPrice, CustomPriceList, RecomputeResult, type CustomPriceInput, type RecomputeInput } from '@sightline/contract';
import { requestCollector } from './api';

export const costApi = {
  prices: () => requestCollector({ path: '/api/cost/prices', schema: CustomPriceList }),
  createPrice: (body: CustomPriceInput) => requestCollector({ method: 'POST', path: '/api/cost/prices', schema: CustomPrice, body }),
  deletePrice: (id: string) =>
    requestCollector({
      method: 'DELETE',
      path: `/api/cost/prices/${encodeURIComponent(id)}`,
      schema: z.object({ deleted: z.literal(true) }),
    }),
  /** A recompute rewrites a day at a time: allow it minutes. */
  recompute: (body: RecomputeInput) =>
    requestCollector({ method: 'POST', path: '/api/cost/recompute', schema: RecomputeResult, body, timeoutMs: 300_000 }),
};
