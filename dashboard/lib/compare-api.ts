/** The typed client of GET /api/compare (server-side only, like lib/api.ts). */
import { CompareResult, type CompareKind } from '@sightline/contract';
import { CollectorApiError, requestCollector } from './api';

export const compareApi = {
  /** `{ missing }` when side a or b is not a session (trace) of the project. */
  pair: async (kind: CompareKind, a: string, b: string): Promise<CompareResult | { missing: 'a' | 'b' }> => {
    try {
      return await requestCollector({ path: '/api/compare', schema: CompareResult, params: { kind, a, b }, timeoutMs: 30_000 });
    } catch (err) {
      if (err instanceof CollectorApiError && err.status === 404) return { missing: err.field === 'b' ? 'b' : 'a' };
      throw err;
    }
  },
};
