/**
 * The typed client of the collector's alerts API (server-side only, like lib/api.ts). Responses are
 * parsed with the collector's own alert schemas; errors become the same CollectorApiError /
 * CollectorUnreachableError as every other call, so pages and actions handle them alike.
 */
import { z } from 'zod';
import { AlertDeliveryList, AlertHistory, AlertRule, AlertRuleList, AlertTestResult, type AlertRuleInput } from '@sightline/contract';
import { CollectorApiError, requestCollector } from './api';

function call<S extends z.ZodType>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  schema: S,
  body?: unknown,
): Promise<z.output<S>> {
  return requestCollector({ method, path, schema, body });
}

const rule = (id: string) => `/api/alerts/rules/${encodeURIComponent(id)}`;
const query = (params: { ruleId?: string; limit?: number }) => {
  const qs = new URLSearchParams();
  if (params.ruleId) qs.set('ruleId', params.ruleId);
  if (params.limit) qs.set('limit', String(params.limit));
  const s = qs.toString();
  return s ? `?${s}` : '';
};

export const alertsApi = {
  rules: () => call('GET', '/api/alerts/rules', AlertRuleList),
  /** `null` when the rule does not exist (deleted meanwhile). */
  rule: async (id: string) => {
    try {
      return await call('GET', rule(id), AlertRule);
    } catch (err) {
      if (err instanceof CollectorApiError && err.status === 404) return null;
      throw err;
    }
  },
  create: (input: AlertRuleInput) => call('POST', '/api/alerts/rules', AlertRule, input),
  update: (id: string, input: AlertRuleInput) => call('PUT', rule(id), AlertRule, input),
  mute: (id: string, muted: boolean) => call('POST', `${rule(id)}/mute`, AlertRule, { muted }),
  remove: async (id: string) => {
    await call('DELETE', rule(id), z.object({ deleted: z.literal(true) }));
  },
  test: (id: string) => call('POST', `${rule(id)}/test`, AlertTestResult),
  history: (params: { ruleId?: string; limit?: number } = {}) => call('GET', `/api/alerts/history${query(params)}`, AlertHistory),
  deliveries: (params: { ruleId?: string; limit?: number } = {}) =>
    call('GET', `/api/alerts/deliveries${query(params)}`, AlertDeliveryList),
};
