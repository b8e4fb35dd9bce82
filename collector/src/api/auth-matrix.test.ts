/**
 * Every /api route, taken from the app's own OpenAPI document (a new route cannot escape), on a
 * collector that requires credentials (SIGHTLINE_AUTH=required; bound to loopback for the test) ×
 * {no credentials, another project's key, a key of the wrong scope, the right key}: 401, 403, 403,
 * 2xx. Each right-key answer, and probes that ask one project's key for the other project's ids,
 * must hold zero rows of the other project. The OTLP receivers (HTTP, Langfuse path, gRPC) get the
 * same four credentials in `ingest-matrix.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyCreated } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../index.js';
import { startReceiver, type Receiver } from '../test-support/http-receiver.js';
import { tempDataDir } from '../test-support/temp-storage.js';
import {
  bearer,
  credentialsRequired,
  seedProject,
  SHARED_SESSION_ID,
  SHARED_TRACE_ID,
  type ProjectFixture,
} from '../test-support/two-projects.js';

const tmp = tempDataDir('sightline-auth-matrix-');
/** A user who can sign in (no role anywhere): the sign-in route's example. */
const SIGN_IN = { email: 'matrix-user@example.com', password: 'the matrix user password' };
const BOOTSTRAP = `sl_bootstrap_${'m'.repeat(40)}`;
const HOUR_MS = 3_600_000;
let collector: RunningCollector;
let receiver: Receiver;
let A: ProjectFixture;
let B: ProjectFixture;

beforeAll(async () => {
  receiver = await startReceiver();
  collector = await startCollector(
    {
      port: 0,
      dataDir: tmp.dir,
      logLevel: 'silent',
      flushIntervalMs: 50,
      alertsTickMs: 0,
      auth: credentialsRequired(BOOTSTRAP),
      webhookAllowedHosts: '127.0.0.1',
    },
    undefined,
    { passwordCost: { logN: 10, r: 8, p: 1 } },
  ); // passwords.test.ts covers the default cost
  await collector.accounts.users.create({
    email: SIGN_IN.email,
    passwordHash: await collector.accounts.passwords.hash(SIGN_IN.password),
    instanceAdmin: false,
  });
  A = await seedProject(collector, BOOTSTRAP, 'team-a', 'aardvark', 'a1', receiver.url);
  B = await seedProject(collector, BOOTSTRAP, 'team-b', 'bison', 'b2', receiver.url);
  await collector.pipeline.flush();
  await collector.drift.materialize();
  for (const p of [A, B]) await collector.drift.checkDueFor(p.id);
  await collector.alerts.evaluator.evaluateOnce(Date.now(), { force: true }); // states and transitions per project
}, 180_000);
afterAll(async () => {
  await collector?.stop();
  await receiver?.close();
  tmp.remove();
});

interface Operation {
  method: string;
  template: string;
  need: string;
}

async function operations(): Promise<Operation[]> {
  const doc = (await (await fetch(`${collector.url}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { 'x-sightline-need'?: string }>>;
  };
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), template, need: op['x-sightline-need'] ?? '(none)' })),
  );
}

const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
  const res = await fetch(`${collector.url}/api${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
};

const rule = (p: ProjectFixture, name: string) => ({
  name: `${p.marker} ${name}`,
  condition: { kind: 'error_rate', thresholdPercent: 50 },
  scope: { agent: p.agent },
  channels: [{ type: 'webhook', url: `${receiver.url}/${p.marker}` }],
});

const price = (p: ProjectFixture) => ({ modelPattern: `${p.marker}-model`, inputPerMTok: 3, outputPerMTok: 15 });

let seq = 0;
/** A concrete request of `op` aimed at project `p` (creating what a destructive route needs to destroy). */
/** `status`: a public route's one answer whatever the credential (sign-in routes that cannot succeed here). */
type Example = { path: string; body?: unknown; status?: number };

/** A member of `p` made with its admin key, for the routes that change or remove one. */
async function newMember(p: ProjectFixture): Promise<string> {
  const res = await call('POST', `/projects/${p.id}/members`, bearer(p.keys.admin), {
    email: `${p.marker}-${++seq}@example.com`,
    role: 'viewer',
  });
  return (JSON.parse(res.text) as { userId: string }).userId;
}

async function requestFor(op: Operation, p: ProjectFixture): Promise<Example> {
  const now = Date.now();
  const range = `from=${now - 4 * HOUR_MS}&to=${now}`;
  const table: Record<string, () => Promise<Example> | Example> = {
    'GET /health': () => ({ path: '/health' }),
    'GET /ingest/quarantine': () => ({ path: '/ingest/quarantine' }),
    'POST /ingest/quarantine/replay': () => ({ path: '/ingest/quarantine/replay' }),
    'GET /traces': () => ({ path: `/traces?${range}&limit=200` }),
    'GET /traces/{traceId}': () => ({ path: `/traces/${SHARED_TRACE_ID}` }),
    'GET /export/spans': () => ({ path: `/export/spans?${range}&format=csv` }),
    'GET /export/session-spans': () => ({ path: `/export/session-spans?${range}` }),
    'GET /sessions': () => ({ path: `/sessions?${range}&limit=200` }),
    'GET /sessions/{sessionId}': () => ({ path: `/sessions/${SHARED_SESSION_ID}` }),
    'GET /compare': () => ({ path: `/compare?kind=session&a=${p.marker}-session-0&b=${SHARED_SESSION_ID}` }),
    'GET /metrics': () => ({ path: `/metrics?${range}&groupBy=agent` }),
    'GET /filters': () => ({ path: `/filters?${range}` }),
    'GET /drift/agents': () => ({ path: '/drift/agents' }),
    'GET /drift/report': () => ({ path: `/drift/report?agent=${p.agent}&from=${now - 2 * HOUR_MS}&to=${now - HOUR_MS}` }),
    'GET /drift/compare': () => ({
      path: `/drift/compare?agent=${p.agent}&fromA=${now - 4 * HOUR_MS}&toA=${now - 2 * HOUR_MS}&fromB=${now - 2 * HOUR_MS}&toB=${now}`,
    }),
    'GET /drift/history': () => ({ path: `/drift/history?agent=${p.agent}&from=${now - 48 * HOUR_MS}` }),
    'POST /drift/check': () => ({ path: '/drift/check' }),
    'GET /alerts/rules': () => ({ path: '/alerts/rules' }),
    'POST /alerts/rules': () => ({ path: '/alerts/rules', body: rule(p, `created ${++seq}`) }),
    'GET /alerts/rules/{id}': () => ({ path: `/alerts/rules/${p.ruleId}` }),
    'PUT /alerts/rules/{id}': () => ({
      path: `/alerts/rules/${p.ruleId}`,
      body: { ...rule(p, 'latency rule'), windowMinutes: 240, minSamples: 1 },
    }),
    'POST /alerts/rules/{id}/mute': () => ({ path: `/alerts/rules/${p.ruleId}/mute`, body: { muted: false } }),
    'DELETE /alerts/rules/{id}': async () => {
      const res = await call('POST', '/alerts/rules', bearer(p.keys.admin), rule(p, `doomed ${++seq}`));
      return { path: `/alerts/rules/${(JSON.parse(res.text) as { id: string }).id}` };
    },
    'POST /alerts/rules/{id}/test': () => ({ path: `/alerts/rules/${p.ruleId}/test` }),
    'GET /alerts/history': () => ({ path: '/alerts/history' }),
    'GET /alerts/deliveries': () => ({ path: '/alerts/deliveries' }),
    'GET /cost/summary': () => ({ path: `/cost/summary?${range}` }),
    'GET /cost/prices': () => ({ path: '/cost/prices' }),
    'POST /scores': () => ({ path: '/scores', body: { traceId: SHARED_TRACE_ID, name: `${p.marker}-made`, value: 1 } }),
    'GET /scores': () => ({ path: `/scores?traceId=${SHARED_TRACE_ID}` }),
    'GET /scores/summary': () => ({ path: `/scores/summary?${range}` }),
    'POST /cost/prices': () => ({ path: '/cost/prices', body: price(p) }),
    'PUT /cost/prices/{id}': () => ({ path: `/cost/prices/${p.priceId}`, body: price(p) }),
    'DELETE /cost/prices/{id}': async () => {
      const res = await call('POST', '/cost/prices', bearer(p.keys.admin), price(p));
      return { path: `/cost/prices/${(JSON.parse(res.text) as { id: string }).id}` };
    },
    'POST /cost/recompute': () => ({ path: '/cost/recompute', body: { from: now - 4 * HOUR_MS, to: now } }),
    'GET /projects': () => ({ path: '/projects' }),
    'POST /projects': () => ({ path: '/projects', body: { id: `made-${++seq}`, name: 'made' } }),
    'GET /projects/{id}/keys': () => ({ path: `/projects/${p.id}/keys` }),
    'POST /projects/{id}/keys': () => ({ path: `/projects/${p.id}/keys`, body: { name: `${p.marker} made`, scopes: ['read'] } }),
    'GET /auth/config': () => ({ path: '/auth/config' }),
    'GET /auth/me': () => ({ path: '/auth/me' }),
    'POST /auth/sign-in': () => ({ path: '/auth/sign-in', body: SIGN_IN }),
    'POST /auth/sign-out': () => ({ path: '/auth/sign-out' }),
    'POST /auth/setup': () => ({ path: '/auth/setup', body: { token: 'x', ...SIGN_IN }, status: 409 }), // a user exists
    'POST /auth/oidc/start': () => ({ path: '/auth/oidc/start', status: 404 }), // no SSO configured here
    'POST /auth/oidc/callback': () => ({ path: '/auth/oidc/callback', body: { query: '?code=x&state=y', flow: 'x' }, status: 404 }),
    'GET /projects/{id}/members': () => ({ path: `/projects/${p.id}/members` }),
    'POST /projects/{id}/members': () => ({
      path: `/projects/${p.id}/members`,
      body: { email: `${p.marker}-${++seq}@example.com`, role: 'viewer' },
    }),
    'PUT /projects/{id}/members/{userId}': async () => ({
      path: `/projects/${p.id}/members/${await newMember(p)}`,
      body: { role: 'member' },
    }),
    'DELETE /projects/{id}/members/{userId}': async () => ({ path: `/projects/${p.id}/members/${await newMember(p)}` }),
    'GET /audit': () => ({ path: '/audit' }),
    'DELETE /projects/{id}/keys/{keyId}': async () => {
      const res = await call('POST', `/projects/${p.id}/keys`, bearer(BOOTSTRAP), { name: `${p.marker} doomed`, scopes: ['read'] });
      return { path: `/projects/${p.id}/keys/${ApiKeyCreated.parse(JSON.parse(res.text)).id}` };
    },
  };
  const make = table[`${op.method} ${op.template}`];
  if (!make) throw new Error(`no example request for ${op.method} ${op.template}: add one to the matrix`);
  return make();
}

type Expectation = 401 | 403 | 'ok' | 'n/a';
interface Credential {
  name: string;
  headers: (p: ProjectFixture, other: ProjectFixture) => Record<string, string> | undefined;
  expect: Expectation;
}

/** The four credentials for a route that needs `need`, with what each must get (undefined headers: not applicable). */
function credentialsFor(need: string): Credential[] {
  const right: Record<string, (p: ProjectFixture) => Record<string, string>> = {
    public: () => ({}),
    authenticated: (p) => bearer(p.keys.read),
    ingest: (p) => bearer(p.keys.ingest),
    read: (p) => bearer(p.keys.read),
    write: (p) => bearer(p.keys.admin),
    admin: (p) => bearer(p.keys.admin),
    'project:admin': (p) => bearer(p.keys.admin),
    instance: () => bearer(BOOTSTRAP),
  };
  const wrongScope: Record<string, ((p: ProjectFixture) => Record<string, string>) | undefined> = {
    public: undefined,
    authenticated: undefined, // any valid key may list the projects it sees
    ingest: (p) => bearer(p.keys.read),
    read: (p) => bearer(p.keys.ingest),
    write: (p) => bearer(p.keys.read),
    admin: (p) => bearer(p.keys.read),
    'project:admin': (p) => bearer(p.keys.read),
    instance: (p) => bearer(p.keys.admin),
  };
  const isPublic = need === 'public';
  return [
    { name: 'no credentials', headers: () => ({}), expect: isPublic ? 'ok' : 401 },
    {
      name: "another project's key",
      headers: (p, other) => ({ ...bearer(other.keys.admin), 'x-sightline-project': p.id }),
      expect: isPublic ? 'ok' : 403,
    },
    { name: 'wrong-scope key', headers: (p) => wrongScope[need]?.(p), expect: wrongScope[need] ? 403 : 'n/a' },
    { name: 'right key', headers: (p) => right[need]!(p), expect: 'ok' },
  ];
}

/** Routes whose answer (right key, the seeded data) must hold rows of the caller's own project. */
const OWN_DATA = new Set([
  'GET /traces',
  'GET /traces/{traceId}',
  'GET /export/spans',
  'GET /export/session-spans',
  'GET /sessions',
  'GET /sessions/{sessionId}',
  'GET /compare',
  'GET /metrics',
  'GET /filters',
  'GET /drift/agents',
  'GET /alerts/rules',
  'GET /alerts/rules/{id}',
  'GET /alerts/history',
  'GET /alerts/deliveries',
  'GET /cost/prices',
  'GET /scores',
  'GET /scores/summary',
  'GET /projects',
  'GET /projects/{id}/keys',
  'GET /audit',
]);

/** Occurrences of any of `markers` in `text`. */
const leaks = (text: string, markers: string[]) => markers.reduce((n, m) => n + (text.split(m).length - 1), 0);

describe('every /api route × every credential', () => {
  it('answers 401 / 403 / 403 / 2xx, and no answer holds another project’s rows', { timeout: 600_000 }, async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThanOrEqual(34);
    expect(ops.filter((o) => o.need === '(none)')).toEqual([]); // every route declares what it needs
    const failures: string[] = [];
    let checked = 0;
    let notApplicable = 0;
    let crossProjectRows = 0;
    let answersScanned = 0;
    for (const op of ops) {
      for (const cred of credentialsFor(op.need)) {
        for (const [p, other] of [
          [A, B],
          [B, A],
        ] as const) {
          const headers = cred.headers(p, other);
          if (headers === undefined) {
            notApplicable++;
            continue;
          }
          const req = await requestFor(op, p);
          const res = await call(op.method, req.path, headers, req.body);
          checked++;
          const ok = res.status >= 200 && res.status < 300;
          if (req.status !== undefined && op.need !== 'public')
            throw new Error(`${op.method} ${op.template}: a fixed status is for public routes`);
          const expected = req.status !== undefined ? res.status === req.status : cred.expect === 'ok' ? ok : res.status === cred.expect;
          if (!expected) failures.push(`${op.method} ${op.template} [${cred.name}, ${p.id}]: ${res.status} ${res.text.slice(0, 160)}`);
          // The right key's answer of a data route shows the project's own rows: zero rows of the
          // other project then means something, not an empty answer.
          if (ok && cred.name === 'right key' && OWN_DATA.has(`${op.method} ${op.template}`) && leaks(res.text, p.markers) === 0) {
            failures.push(`${op.method} ${op.template} [${cred.name}, ${p.id}] shows none of its own data: ${res.text.slice(0, 200)}`);
          }
          // An instance administrator sees every project by design; public answers hold no project data.
          if (ok && op.need !== 'instance' && op.need !== 'public') {
            answersScanned++;
            const found = leaks(res.text, other.markers);
            crossProjectRows += found;
            if (found > 0)
              failures.push(`${op.method} ${op.template} [${cred.name}, ${p.id}] shows ${other.id}'s data: ${res.text.slice(0, 300)}`);
          }
        }
      }
    }
    console.info(
      `[auth-matrix] ${ops.length} routes × 4 credentials × 2 projects: ${checked} requests checked, ${notApplicable} not applicable, ` +
        `${answersScanned} answers scanned, cross-project rows found: ${crossProjectRows}`,
    );
    expect(failures).toEqual([]);
    expect(crossProjectRows).toBe(0);
  });

  it("finds nothing of the other project when a project's key asks for its ids", async () => {
    type J = Record<string, unknown[] & Record<string, unknown>> & Record<string, { sessions: number }>;
    const from = Date.now() - 4 * HOUR_MS;
    const probes: Array<{ method: string; path: string; body?: unknown; status: number; rows?: (j: J) => number }> = [
      { method: 'GET', path: `/traces/${B.traceIds[0]}`, status: 404 },
      { method: 'GET', path: `/sessions/bison-session-0`, status: 404 },
      { method: 'GET', path: `/compare?kind=session&a=aardvark-session-0&b=bison-session-0`, status: 404 },
      { method: 'GET', path: `/compare?kind=trace&a=${A.traceIds[0]}&b=${B.traceIds[0]}`, status: 404 },
      { method: 'GET', path: `/traces?session=bison-session-0&from=${from}`, status: 200, rows: (j) => j.traces!.length },
      { method: 'GET', path: `/traces?agent=bison-agent&from=${from}`, status: 200, rows: (j) => j.traces!.length },
      { method: 'GET', path: `/sessions?agent=bison-agent&from=${from}`, status: 200, rows: (j) => j.sessions!.length },
      // Content search reads the spans table: the other project's marker is in every one of its spans.
      { method: 'GET', path: `/traces?q=bison&from=${from}`, status: 200, rows: (j) => j.traces!.length },
      { method: 'GET', path: `/sessions?q=bison&from=${from}`, status: 200, rows: (j) => j.sessions!.length },
      {
        method: 'GET',
        path: `/traces?q=${encodeURIComponent('attr.gen_ai.agent.name=bison-agent')}&from=${from}`,
        status: 200,
        rows: (j) => j.traces!.length,
      },
      { method: 'GET', path: `/metrics?agent=bison-agent&from=${from}`, status: 200, rows: (j) => j.totals!.length },
      { method: 'GET', path: `/drift/report?agent=bison-agent`, status: 200, rows: (j) => j.current!.sessions + j.baseline!.sessions },
      { method: 'GET', path: `/drift/history?agent=bison-agent`, status: 200, rows: (j) => j.checks!.length },
      { method: 'GET', path: `/alerts/rules/${B.ruleId}`, status: 404 },
      { method: 'GET', path: `/alerts/history?ruleId=${B.ruleId}`, status: 200, rows: (j) => j.transitions!.length },
      { method: 'GET', path: `/alerts/deliveries?ruleId=${B.ruleId}`, status: 200, rows: (j) => j.deliveries!.length },
      { method: 'PUT', path: `/alerts/rules/${B.ruleId}`, body: rule(A, 'hijack'), status: 404 },
      { method: 'POST', path: `/alerts/rules/${B.ruleId}/mute`, body: { muted: true }, status: 404 },
      { method: 'POST', path: `/alerts/rules/${B.ruleId}/test`, status: 404 },
      { method: 'DELETE', path: `/alerts/rules/${B.ruleId}`, status: 404 },
      { method: 'PUT', path: `/cost/prices/${B.priceId}`, body: price(A), status: 404 },
      { method: 'DELETE', path: `/cost/prices/${B.priceId}`, status: 404 },
      { method: 'GET', path: `/projects/${B.id}/keys`, status: 403 },
      { method: 'GET', path: `/traces/${A.traceIds[0]}?project=${B.id}`, status: 403 },
    ];
    let rows = 0;
    for (const probe of probes) {
      const res = await call(probe.method, probe.path, bearer(A.keys.admin), probe.body);
      expect(res.status, `${probe.method} ${probe.path}`).toBe(probe.status);
      // Counted from the answer's structure: its text echoes the names that were asked for.
      if (probe.rows) rows += probe.rows(JSON.parse(res.text) as J);
    }
    expect(rows).toBe(0);
    // The span export names no trace of B's agent for A's key: an empty file (JSON lines), not B's spans.
    const exported = await call('GET', `/export/spans?agent=bison-agent&from=${from}`, bearer(A.keys.admin));
    expect(exported.status).toBe(200);
    expect(exported.text).toBe('');
    // The same searches with B's own key do find B's runs: the zero above is the project filter.
    const own = await call('GET', `/traces?q=bison&from=${from}`, bearer(B.keys.read));
    expect((JSON.parse(own.text) as { traces: unknown[] }).traces.length).toBeGreaterThan(0);
    // B's rule survived A's attempts, unchanged and unmuted.
    const still = await call('GET', `/alerts/rules/${B.ruleId}`, bearer(B.keys.read));
    expect(still.status).toBe(200);
    expect(JSON.parse(still.text)).toMatchObject({ name: 'bison latency rule', muted: false });
  });
});
