/**
 * The typed client of the collector's drift API (server-side only, like lib/api.ts). Responses are
 * parsed with the collector's own drift schemas; errors are the same CollectorApiError /
 * CollectorUnreachableError as every other call.
 */
import type { z } from 'zod';
import { ErrorBody } from '@sightline/collector/api-schemas';
import { DriftAgents, DriftCheckResult, DriftHistory, DriftReport } from '@sightline/collector/drift-schemas';
import { CollectorApiError, CollectorUnreachableError, collectorBaseUrl } from './api';

const TIMEOUT_MS = 30_000;
type Params = Record<string, string | number | undefined>;

async function call<S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, params: Params = {}): Promise<z.output<S>> {
  const base = collectorBaseUrl();
  const url = new URL(base + path);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  let res: Response;
  try {
    res = await fetch(url, { method, cache: 'no-store', signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' } });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    throw new CollectorUnreachableError(base, cause?.code ?? (err instanceof Error ? err.message : String(err)));
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const parsed = ErrorBody.safeParse(json);
    if (parsed.success) throw new CollectorApiError(res.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.field);
    if (res.status >= 502 && res.status <= 504) throw new CollectorUnreachableError(base, `HTTP ${res.status}`);
    throw new CollectorApiError(res.status, 'http_error', `The collector answered HTTP ${res.status} for ${path}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new CollectorApiError(res.status, 'contract_mismatch', `The collector's answer to ${path} does not match the drift contract`);
  return parsed.data;
}

export const driftApi = {
  agents: () => call('GET', '/api/drift/agents', DriftAgents),
  /** The current window is the last `windowHours` (default: the collector's, 2 h). */
  report: (p: { agent: string; signal?: string; windowHours?: number; baselineRelease?: string }) => {
    const to = p.windowHours ? Date.now() : undefined;
    return call('GET', '/api/drift/report', DriftReport, {
      agent: p.agent,
      signal: p.signal,
      to,
      from: to !== undefined && p.windowHours ? to - p.windowHours * 3_600_000 : undefined,
      baselineRelease: p.baselineRelease,
    });
  },
  compare: (p: { agent: string; releaseA: string; releaseB: string; signal?: string }) => call('GET', '/api/drift/compare', DriftReport, p),
  history: (p: { agent: string; from?: number; to?: number }) => call('GET', '/api/drift/history', DriftHistory, p),
  check: (p: { recheckHours?: number } = {}) => call('POST', '/api/drift/check', DriftCheckResult, p),
};
