/** Header numbers of one trace, from its spans. */
import type { Span } from '@sightline/contract';
import { nanosDiffMs } from './format';

export interface TraceHeader {
  rootName: string;
  startNs: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
  agents: string[];
  sessionId: string;
  tokens: number;
}

export function summarizeTrace(spans: readonly Span[]): TraceHeader | null {
  if (spans.length === 0) return null;
  let start = spans[0]!.startTime;
  let end = spans[0]!.endTime;
  let root: Span | undefined;
  const ids = new Set(spans.map((s) => s.spanId));
  const services = new Set<string>();
  const agents = new Set<string>();
  let errorCount = 0;
  let tokens = 0;
  let sessionId = '';
  for (const s of spans) {
    if (BigInt(s.startTime) < BigInt(start)) start = s.startTime;
    if (BigInt(s.endTime) > BigInt(end)) end = s.endTime;
    const isRoot = !s.parentSpanId || !ids.has(s.parentSpanId);
    if (isRoot && (!root || BigInt(s.startTime) < BigInt(root.startTime))) root = s;
    if (s.serviceName) services.add(s.serviceName);
    if (s.agentName) agents.add(s.agentName);
    if (s.statusCode === 'ERROR') errorCount++;
    tokens += s.inputTokens + s.outputTokens;
    if (!sessionId && s.sessionId) sessionId = s.sessionId;
  }
  return {
    rootName: root?.name ?? spans[0]!.name,
    startNs: start,
    durationMs: Math.max(0, nanosDiffMs(end, start)),
    spanCount: spans.length,
    errorCount,
    services: [...services].sort(),
    agents: [...agents].sort(),
    sessionId,
    tokens,
  };
}
