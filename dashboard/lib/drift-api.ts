/**
 * The typed client of the collector's drift API (server-side only, like lib/api.ts). Responses are
 * parsed with the collector's own drift schemas; errors are the same CollectorApiError /
 * CollectorUnreachableError as every other call.
 */
import type { z } from 'zod';
import { DriftAgents, DriftCheckResult, DriftHistory, DriftReportAnswer } from '@sightline/contract';
import { requestCollector } from './api';

// A report over a large window can take a few seconds on a busy collector.
const TIMEOUT_MS = 30_000;
type Params = Record<string, string | number | undefined>;

function call<S extends z.ZodType>(method: 'GET' | 'POST', path: string, schema: S, params: Params = {}): Promise<z.output<S>> {
  return requestCollector({ method, path, schema, params, timeoutMs: TIMEOUT_MS });
}

/** Two releases of an agent (within [fromA, toB) when given), or range A (fromA, toA) against range B (fromB, toB). */
// A type, not an interface: it must fit the query-parameter record `call` takes.
export type DriftCompareParams = {
  agent: string;
  releaseA?: string;
  releaseB?: string;
  fromA?: number;
  toA?: number;
  fromB?: number;
  toB?: number;
  environment?: string;
  signal?: string;
};

export const driftApi = {
  agents: () => call('GET', '/api/drift/agents', DriftAgents),
  /** The current window is the last `windowHours` (default: the collector's, 2 h). */
  report: (p: { agent: string; signal?: string; windowHours?: number; baselineRelease?: string }) => {
    const to = p.windowHours ? Date.now() : undefined;
    return call('GET', '/api/drift/report', DriftReportAnswer, {
      agent: p.agent,
      signal: p.signal,
      to,
      from: to !== undefined && p.windowHours ? to - p.windowHours * 3_600_000 : undefined,
      baselineRelease: p.baselineRelease,
    });
  },
  /** Release A against release B, or range A (fromA, toA) against range B (fromB, toB). */
  compare: (p: DriftCompareParams) => call('GET', '/api/drift/compare', DriftReportAnswer, p),
  history: (p: { agent: string; from?: number; to?: number }) => call('GET', '/api/drift/history', DriftHistory, p),
  check: (p: { recheckHours?: number } = {}) => call('POST', '/api/drift/check', DriftCheckResult, p),
};
