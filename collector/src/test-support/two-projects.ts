/**
 * Two projects with their own keys and distinct data, on a collector that requires credentials, as
 * the route × credential tests use them. Each project's data carries a marker (`aardvark`, `bison`: words no answer holds by itself)
 * in every name, and both hold a trace and a session with the same id (different content), so a
 * project filter missing anywhere shows up as the other project's marker in an answer.
 */
import { ApiKeyCreated, AlertRule, CustomPrice } from '@sightline/contract';
import { loadConfig, type Config, type RunningCollector } from '../index.js';

/** The credentials part of a collector's config as on a non-loopback address, with a bootstrap key. */
export function credentialsRequired(bootstrapApiKey: string): Config['auth'] {
  return { ...loadConfig({ SIGHTLINE_AUTH: 'required' }).auth, bootstrapApiKey };
}

export interface ProjectFixture {
  id: string;
  marker: string;
  keys: { admin: string; read: string; ingest: string };
  /** Ids of the project's own traces (the shared one excluded). */
  traceIds: string[];
  agent: string;
  ruleId: string;
  /** A custom price of the project (for its model). */
  priceId: string;
  /** Strings that appear only in this project's data: the other project must never see them. */
  markers: string[];
}

export const SHARED_TRACE_ID = 'c3'.repeat(16);
export const SHARED_SESSION_ID = 'shared-session';
const HOUR_MS = 3_600_000;

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const hex = (n: number, width: number, lead: string) => (lead + n.toString(16)).padStart(width, '0').slice(-width);

/** OTLP/JSON spans of `sessions` agent runs of a project, spread over the last 3 hours, plus the shared trace. */
export function projectTraces(marker: string, lead: string, sessions: number, nowMs: number): { body: string; traceIds: string[] } {
  const spans: object[] = [];
  const traceIds: string[] = [];
  const agent = `${marker}-agent`;
  const run = (traceId: string, sessionId: string, startMs: number, i: number) => {
    const rootId = hex(i * 16 + 1, 16, lead);
    const ns = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString();
    const base = { traceId, startTimeUnixNano: ns(startMs) };
    spans.push({
      ...base,
      spanId: rootId,
      name: `invoke_agent ${agent}`,
      kind: 1,
      endTimeUnixNano: ns(startMs + 3000),
      attributes: [str('gen_ai.operation.name', 'invoke_agent'), str('gen_ai.agent.name', agent), str('session.id', sessionId)],
    });
    spans.push({
      traceId,
      spanId: hex(i * 16 + 2, 16, lead),
      parentSpanId: rootId,
      name: `chat ${marker}-model`,
      kind: 3,
      startTimeUnixNano: ns(startMs + 100),
      endTimeUnixNano: ns(startMs + 1500),
      attributes: [str('gen_ai.operation.name', 'chat'), str('gen_ai.request.model', `${marker}-model`), str('session.id', sessionId)],
    });
    spans.push({
      traceId,
      spanId: hex(i * 16 + 3, 16, lead),
      parentSpanId: rootId,
      name: `execute_tool ${marker}_lookup`,
      kind: 1,
      startTimeUnixNano: ns(startMs + 1600),
      endTimeUnixNano: ns(startMs + 2500),
      attributes: [str('gen_ai.operation.name', 'execute_tool'), str('gen_ai.tool.name', `${marker}_lookup`), str('session.id', sessionId)],
    });
  };
  for (let i = 0; i < sessions; i++) {
    const traceId = hex(i + 1, 32, lead.repeat(8));
    traceIds.push(traceId);
    run(traceId, `${marker}-session-${i}`, nowMs - 3 * HOUR_MS + i * ((2 * HOUR_MS) / sessions), i);
  }
  run(SHARED_TRACE_ID, SHARED_SESSION_ID, nowMs - 2 * HOUR_MS, sessions);
  const body = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', `${marker}-svc`), str('deployment.environment.name', `${marker}-env`)] },
        scopeSpans: [{ scope: { name: `${marker}-scope` }, spans }],
      },
    ],
  });
  return { body, traceIds };
}

/** One OTLP/JSON log record on the shared trace, its body naming the project. */
export function projectLogs(marker: string, nowMs: number): string {
  const t = (BigInt(nowMs - 2 * HOUR_MS) * 1_000_000n).toString();
  return JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', `${marker}-svc`)] },
        scopeLogs: [{ logRecords: [{ timeUnixNano: t, traceId: SHARED_TRACE_ID, body: { stringValue: `${marker} log line` } }] }],
      },
    ],
  });
}

/** Creates a project with admin, read and ingest keys and seeds it; `bootstrap` is the instance key. */
export async function seedProject(
  collector: RunningCollector,
  bootstrap: string,
  id: string,
  marker: string,
  lead: string,
  webhookUrl: string,
): Promise<ProjectFixture> {
  const post = async (path: string, key: string, body: unknown, type = 'application/json') => {
    const res = await fetch(`${collector.url}${path}`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };
  await post('/api/projects', bootstrap, { id, name: `${marker} project` });
  const key = async (scopes: string[]) =>
    ApiKeyCreated.parse(await post(`/api/projects/${id}/keys`, bootstrap, { name: `${marker} ${scopes[0]}`, scopes })).key;
  const keys = { admin: await key(['admin']), read: await key(['read']), ingest: await key(['ingest']) };
  const now = Date.now();
  const { body, traceIds } = projectTraces(marker, lead, 6, now);
  await post('/v1/traces', keys.ingest, body);
  await post('/v1/logs', keys.ingest, projectLogs(marker, now));
  const rule = AlertRule.parse(
    await post('/api/alerts/rules', keys.admin, {
      name: `${marker} latency rule`,
      condition: { kind: 'latency', percentile: 'p50', thresholdMs: 1 },
      scope: { agent: `${marker}-agent` },
      windowMinutes: 240,
      minSamples: 1,
      channels: [{ type: 'webhook', url: `${webhookUrl}/${marker}` }],
    }),
  );
  // Scores on the trace and session ids both projects use, named and commented with the marker.
  await post('/api/scores', keys.ingest, {
    scores: [
      { traceId: SHARED_TRACE_ID, name: `${marker}-helpfulness`, value: 0.5, comment: `${marker} feedback` },
      { sessionId: SHARED_SESSION_ID, name: `${marker}-resolved`, label: 'yes' },
    ],
  });
  const price = CustomPrice.parse(
    await post('/api/cost/prices', keys.admin, { modelPattern: `${marker}-model`, inputPerMTok: 3, outputPerMTok: 15 }),
  );
  return {
    id,
    marker,
    priceId: price.id,
    keys,
    traceIds,
    agent: `${marker}-agent`,
    ruleId: rule.id,
    markers: [marker, ...traceIds, rule.id],
  };
}
