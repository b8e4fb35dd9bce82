/**
 * What a /compare/groups URL asks for: group A and group B of one agent's sessions, each by
 * release and/or time range (`a.release`, `a.from`, `a.to`, `b.…`), as the drift engine compares
 * them (GET /api/drift/compare): its statistics are the ones a group compare shows.
 */
import type { DriftCompareParams } from './drift-api';
import type { RawSearchParams } from './search-params';
import { first } from './search-params';

export interface GroupSide {
  release?: string;
  from?: number;
  to?: number;
}

export interface GroupCompareQuery {
  agent: string;
  environment?: string;
  a: GroupSide;
  b: GroupSide;
}

export type GroupTarget = { query: GroupCompareQuery; params: DriftCompareParams } | { problem: string; agent?: string };

/** Epoch ms or an ISO date-time; undefined when absent or not a time. */
function time(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = /^\d{1,16}$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(n) ? n : undefined;
}

function side(raw: RawSearchParams, p: 'a' | 'b'): GroupSide {
  const s: GroupSide = {};
  const release = first(raw, `${p}.release`);
  const from = time(first(raw, `${p}.from`));
  const to = time(first(raw, `${p}.to`));
  if (release !== undefined) s.release = release;
  if (from !== undefined) s.from = from;
  if (to !== undefined) s.to = to;
  return s;
}

export function readGroupTarget(raw: RawSearchParams): GroupTarget {
  const agentA = first(raw, 'a.agent');
  const agentB = first(raw, 'b.agent');
  const agent = first(raw, 'agent') ?? agentA ?? agentB;
  if (agentA !== undefined && agentB !== undefined && agentA !== agentB)
    return { problem: 'Groups are compared within one agent (the drift statistics are per agent): give a.agent and b.agent the same.' };
  if (agent === undefined) return { problem: 'Pick an agent.' };
  const a = side(raw, 'a');
  const b = side(raw, 'b');
  const environment = first(raw, 'environment');
  const query: GroupCompareQuery = { agent, a, b, ...(environment ? { environment } : {}) };
  const base = { agent, ...(environment ? { environment } : {}) };
  if (a.release !== undefined || b.release !== undefined) {
    if (a.release === undefined || b.release === undefined) return { problem: 'Give a release for both A and B.', agent };
    return { query, params: { ...base, releaseA: a.release, releaseB: b.release, fromA: a.from, toB: b.to } };
  }
  if (a.from === undefined || a.to === undefined || b.from === undefined || b.to === undefined)
    return { problem: 'Give A and B a release each (a.release, b.release) or a time range each (a.from, a.to, b.from, b.to).', agent };
  if (a.from >= a.to || b.from >= b.to) return { problem: 'Each range must start before it ends.', agent };
  return { query, params: { ...base, fromA: a.from, toA: a.to, fromB: b.from, toB: b.to } };
}
