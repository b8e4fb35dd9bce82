/**
 * The OTLP receivers on a collector that requires credentials: OTLP/HTTP traces and logs, the
 * Langfuse path (Basic pair), and OTLP/gRPC traces and logs × {no credentials, another project's
 * key, a key of the wrong scope, the right key}: 401/403/403/200 (UNAUTHENTICATED,
 * PERMISSION_DENIED, PERMISSION_DENIED, OK), and what each stored, in which project. Then the
 * per-project quota: 429 + Retry-After over HTTP, RESOURCE_EXHAUSTED + RetryInfo over gRPC, and
 * nothing of a refused request stored.
 */
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyCreated } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../index.js';
import { exportTo } from '../test-support/grpc-export.js';
import { count, tempDataDir } from '../test-support/temp-storage.js';
import { bearer, credentialsRequired } from '../test-support/two-projects.js';
import { LOGS_EXPORT_PATH, TRACE_EXPORT_PATH } from './grpc.js';
import { ExportLogsServiceRequestType, ExportTraceServiceRequestType, RpcStatusType } from './proto.js';

const tmp = tempDataDir('sightline-ingest-auth-');
const BOOTSTRAP = `sl_bootstrap_${'i'.repeat(40)}`;
let collector: RunningCollector;
const keys: Record<string, { admin: string; read: string; ingest: string }> = {};

const post = async (path: string, key: string, body: unknown) => {
  const res = await fetch(`${collector.url}${path}`, {
    method: 'POST',
    headers: { ...bearer(key), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.text() };
};

beforeAll(async () => {
  collector = await startCollector({
    port: 0,
    dataDir: tmp.dir,
    logLevel: 'silent',
    flushIntervalMs: 50,
    alertsTickMs: 0,
    auth: credentialsRequired(BOOTSTRAP),
  });
  for (const [id, quota] of [
    ['team-a', null],
    ['team-b', null],
    ['tiny', 10],
  ] as const) {
    expect((await post('/api/projects', BOOTSTRAP, { id, name: id, quotaSpansPerMinute: quota })).status).toBe(201);
    const key = async (scope: string) =>
      ApiKeyCreated.parse(JSON.parse((await post(`/api/projects/${id}/keys`, BOOTSTRAP, { name: scope, scopes: [scope] })).body)).key;
    keys[id] = { admin: await key('admin'), read: await key('read'), ingest: await key('ingest') };
  }
});
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

const NOW_NS = BigInt(Date.now()) * 1_000_000n;
let seq = 0;
/** `n` spans, each named `name` (the test finds them by it), in one request. */
function spans(name: string, n = 1) {
  const trace = (++seq).toString(16).padStart(32, 'e');
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'ingest-auth' } }] },
        scopeSpans: [
          {
            spans: Array.from({ length: n }, (_, i) => ({
              traceId: trace,
              spanId: (seq * 100 + i + 1).toString(16).padStart(16, '0'),
              name,
              kind: 1,
              startTimeUnixNano: NOW_NS.toString(),
              endTimeUnixNano: (NOW_NS + 1_000_000n).toString(),
            })),
          },
        ],
      },
    ],
  };
}
const logs = (body: string) => ({
  resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: NOW_NS.toString(), body: { stringValue: body } }] }] }],
});
const pbSpans = (name: string, n = 1) =>
  ExportTraceServiceRequestType.encode(ExportTraceServiceRequestType.fromObject(toPb(spans(name, n)))).finish();
const pbLogs = (body: string) => ExportLogsServiceRequestType.encode(ExportLogsServiceRequestType.fromObject(logs(body))).finish();
/** OTLP/JSON ids are hex; protobuf's are bytes. */
function toPb(req: ReturnType<typeof spans>) {
  return {
    resourceSpans: req.resourceSpans.map((rs) => ({
      ...rs,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        spans: ss.spans.map((s) => ({ ...s, traceId: Buffer.from(s.traceId, 'hex'), spanId: Buffer.from(s.spanId, 'hex') })),
      })),
    })),
  };
}

const basic = (key: string) => {
  const prefix = /^(sl_[a-z0-9]+)_/.exec(key)![1]!;
  return { authorization: `Basic ${Buffer.from(`${prefix}:${key}`).toString('base64')}` };
};
const spansIn = (project: string, name: string) =>
  count(collector.storage, 'SELECT count() FROM spans WHERE project_id = {p:String} AND name = {n:String}', { p: project, n: name });
const logsIn = (project: string, body: string) =>
  count(collector.storage, 'SELECT count() FROM logs WHERE project_id = {p:String} AND body = {b:String}', { p: project, b: body });

type Cred = {
  name: string;
  expect: { http: number; grpc: status };
  headers: (auth: (key: string) => Record<string, string>) => Record<string, string>;
};
const CREDENTIALS: Cred[] = [
  { name: 'none', expect: { http: 401, grpc: status.UNAUTHENTICATED }, headers: () => ({}) },
  {
    name: 'other-project',
    expect: { http: 403, grpc: status.PERMISSION_DENIED },
    headers: (auth) => ({ ...auth(keys['team-b']!.ingest), 'x-sightline-project': 'team-a' }),
  },
  { name: 'wrong-scope', expect: { http: 403, grpc: status.PERMISSION_DENIED }, headers: (auth) => auth(keys['team-a']!.read) },
  { name: 'right', expect: { http: 200, grpc: status.OK }, headers: (auth) => auth(keys['team-a']!.ingest) },
];

describe('OTLP receivers × credentials', () => {
  it('answers 401/403/403/200 on every path and stores only what the right key sent, in its project', async () => {
    const figures: string[] = [];
    for (const cred of CREDENTIALS) {
      const paths: Array<[string, string, Record<string, string>, unknown, 'spans' | 'logs']> = [
        ['/v1/traces', `http-${cred.name}`, cred.headers(bearer), spans(`http-${cred.name}`), 'spans'],
        ['/v1/logs', `http-log-${cred.name}`, cred.headers(bearer), logs(`http-log-${cred.name}`), 'logs'],
        ['/api/public/otel/v1/traces', `langfuse-${cred.name}`, cred.headers(basic), spans(`langfuse-${cred.name}`), 'spans'],
      ];
      for (const [path, marker, headers, body, kind] of paths) {
        const res = await fetch(`${collector.url}${path}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status, `${path} with ${cred.name}`).toBe(cred.expect.http);
        figures.push(`${path} ${cred.name} ${res.status}`);
        await collector.pipeline.flush();
        const stored = kind === 'spans' ? await spansIn('team-a', marker) : await logsIn('team-a', marker);
        expect(stored, `${marker} stored in team-a`).toBe(cred.name === 'right' ? 1 : 0);
      }
      const metadata = cred.headers(bearer);
      for (const [path, marker, body, kind] of [
        [TRACE_EXPORT_PATH, `grpc-${cred.name}`, pbSpans(`grpc-${cred.name}`), 'spans'],
        [LOGS_EXPORT_PATH, `grpc-log-${cred.name}`, pbLogs(`grpc-log-${cred.name}`), 'logs'],
      ] as const) {
        const answer = await exportTo(collector.grpcPort!, path, body, metadata);
        expect('error' in answer ? answer.error.code : status.OK, `${path} with ${cred.name}`).toBe(cred.expect.grpc);
        figures.push(`${path} ${cred.name} ${'error' in answer ? status[answer.error.code] : 'OK'}`);
        await collector.pipeline.flush();
        const stored = kind === 'spans' ? await spansIn('team-a', marker) : await logsIn('team-a', marker);
        expect(stored, `${marker} stored in team-a`).toBe(cred.name === 'right' ? 1 : 0);
      }
    }
    console.info(`[ingest-matrix] ${figures.length} OTLP requests (5 paths × 4 credentials) as expected`);
  });

  it("sends another project's key to that key's own project, never to the one asked for without its rights", async () => {
    expect((await post('/v1/traces', keys['team-b']!.ingest, spans('b-key-no-header'))).status).toBe(200);
    await collector.pipeline.flush();
    expect(await spansIn('team-b', 'b-key-no-header')).toBe(1);
    expect(await spansIn('team-a', 'b-key-no-header')).toBe(0);
  });

  it('refuses a Langfuse pair whose public key is not the prefix of its secret', async () => {
    const key = keys['team-a']!.ingest;
    const res = await fetch(`${collector.url}/api/public/otel/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`pk-lf-other:${key}`).toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify(spans('langfuse-mismatch')),
    });
    expect(res.status).toBe(401);
  });
});

describe('per-project ingest quota', () => {
  it('answers 429 with Retry-After once a project is over its spans per minute, storing nothing of the refused request', async () => {
    const key = keys['tiny']!.ingest;
    expect((await post('/v1/traces', key, spans('quota-first', 8))).status).toBe(200);
    const refused = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { ...bearer(key), 'content-type': 'application/json' },
      body: JSON.stringify(spans('quota-second', 8)),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Another project is not slowed by this one's quota.
    expect((await post('/v1/traces', keys['team-a']!.ingest, spans('quota-other', 8))).status).toBe(200);
    await collector.pipeline.flush();
    expect(await spansIn('tiny', 'quota-first')).toBe(8);
    expect(await spansIn('tiny', 'quota-second')).toBe(0);
    expect(await spansIn('team-a', 'quota-other')).toBe(8);
  });

  it('answers RESOURCE_EXHAUSTED with RetryInfo over gRPC', async () => {
    const answer = await exportTo(collector.grpcPort!, TRACE_EXPORT_PATH, pbSpans('quota-grpc', 8), bearer(keys['tiny']!.ingest));
    expect('error' in answer && answer.error.code).toBe(status.RESOURCE_EXHAUSTED);
    const details = 'error' in answer ? answer.error.metadata.get('grpc-status-details-bin')[0] : undefined;
    const decoded = RpcStatusType.decode(details as Buffer) as unknown as { details: Array<{ typeUrl: string }> };
    expect(decoded.details.map((d) => d.typeUrl)).toEqual(['type.googleapis.com/google.rpc.RetryInfo']);
    await collector.pipeline.flush();
    expect(await spansIn('tiny', 'quota-grpc')).toBe(0);
  });
});
