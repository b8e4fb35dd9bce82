/**
 * Every query parameter of the read API on a real collector with data: a value outside what the
 * storage holds, a huge or non-finite number, an overlong string is a 400 naming the field, never a
 * 500 or an unbounded answer; the whole storable range is served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, MetricsResponse, SessionDetail, TIME_MAX_MS, TIME_MIN_MS } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../../index.js';
import { MAX_SESSION_TRACES } from '../../storage/queries/sessions.js';
import { agentTrace, spanRow } from '../../test-support/span-rows.js';
import { tempDataDir } from '../../test-support/temp-storage.js';

const tmp = tempDataDir();
let collector: RunningCollector;
const now = Date.now();
const DAY = 86_400_000;
const LONG_SESSION = 'a-very-long-session';

beforeAll(async () => {
  collector = await startCollector({ port: 0, dataDir: tmp.dir, logLevel: 'error', flushIntervalMs: 50, wal: false, alertsTickMs: 0 });
  const rows = [];
  for (let i = 0; i < 20; i++)
    rows.push(...agentTrace({ traceIndex: i, startNs: BigInt(now - 30 * 60_000 + i * 1000) * 1_000_000n, sessionId: `s-${i % 4}` }));
  // One session of more traces than a session detail lists, one span each, a second apart.
  for (let i = 0; i <= MAX_SESSION_TRACES; i++) {
    const id = (0xf000000 + i).toString(16);
    const startNs = BigInt(now - 2 * 3_600_000 + i * 1000) * 1_000_000n;
    rows.push(
      spanRow({
        trace_id: id.padStart(32, '0'),
        span_id: id.padStart(16, '0'),
        session_id: LONG_SESSION,
        start_time: startNs.toString(),
        operation: 'invoke_agent',
      }),
    );
  }
  await collector.pipeline.accept(rows, 'default');
  await collector.pipeline.flush();
}, 120_000);
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

/** `path` may start with a method, e.g. `POST /drift/check`. */
const get = async (path: string) => {
  const [method, url] = path.startsWith('POST ') ? ['POST', path.slice(5)] : ['GET', path];
  const res = await fetch(`${collector.url}/api${url}`, { method });
  return { status: res.status, body: (await res.json()) as unknown };
};

async function expectRefused(cases: Array<readonly [string, string]>) {
  for (const [path, field] of cases) {
    const r = await get(path);
    expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(400);
    expect(ErrorBody.parse(r.body).error, path).toMatchObject({ code: 'invalid_parameter', field });
  }
}

const cursor = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('time parameters', () => {
  it('refuses a time outside what storage holds with a 400 naming the field, on every route', async () => {
    const cases: Array<readonly [string, string]> = [];
    for (const route of [
      '/traces?',
      '/sessions?',
      '/metrics?',
      '/filters?',
      '/drift/history?agent=support-agent&',
      '/drift/report?agent=support-agent&',
    ]) {
      for (const bad of ['9999999999999999', '0001-01-01T00:00:00Z', '2262-04-11T23:47:16.855Z', String(TIME_MAX_MS + 1), '-1']) {
        cases.push([`${route}from=${encodeURIComponent(bad)}`, 'from'], [`${route}to=${encodeURIComponent(bad)}`, 'to']);
      }
    }
    for (const field of ['fromA', 'toA', 'fromB', 'toB'])
      cases.push([`/drift/compare?agent=support-agent&${field}=0001-01-01T00:00:00Z`, field]);
    for (const field of ['baselineFrom', 'baselineTo']) cases.push([`/drift/report?agent=support-agent&${field}=9999999999999999`, field]);
    await expectRefused(cases);
  });

  it('serves the whole storable range on every route, metrics in about 60 buckets', async () => {
    const range = `from=${TIME_MIN_MS}&to=${TIME_MAX_MS}`;
    for (const path of ['/traces', '/sessions', '/filters', '/drift/history?agent=support-agent', '/drift/report?agent=support-agent']) {
      const r = await get(`${path}${path.includes('?') ? '&' : '?'}${range}`);
      expect(r.status, `${path}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
    }
    const compare = await get(
      `/drift/compare?agent=support-agent&fromA=${TIME_MIN_MS}&toA=${now - DAY}&fromB=${now - DAY}&toB=${TIME_MAX_MS}`,
    );
    expect(compare.status).toBe(200);
    const r = await get(`/metrics?${range}`);
    expect(r.status).toBe(200);
    const m = MetricsResponse.parse(r.body);
    expect(m.totals[0]?.count).toBeGreaterThan(0);
    expect(m.series[0]!.points.length).toBeLessThanOrEqual(61);
  });
});

describe('numeric and string parameters', () => {
  it('refuses huge, negative and non-finite numbers and overlong strings with a 400 naming the field', async () => {
    await expectRefused([
      ['/traces?minDurationMs=1e308', 'minDurationMs'],
      ['/traces?minDurationMs=-1', 'minDurationMs'],
      ['/traces?minDurationMs=Infinity', 'minDurationMs'],
      ['/traces?minDurationMs=NaN', 'minDurationMs'],
      ['/traces?limit=1e9', 'limit'],
      ['/sessions?limit=-5', 'limit'],
      ['/alerts/history?limit=1e308', 'limit'],
      ['/alerts/deliveries?limit=0', 'limit'],
      ['POST /drift/check?recheckHours=1e9', 'recheckHours'],
      ['/metrics?bucket=1e308', 'bucket'],
      // 60 days of one-minute buckets: 86,400 points per series.
      [`/metrics?bucket=60&from=${now - 60 * DAY}&to=${now}`, 'bucket'],
      [`/metrics?bucket=60&from=${now - 60 * DAY}`, 'bucket'],
      [`/traces?cursor=${cursor('start:99999999999999999999:x')}`, 'cursor'],
      [`/traces?cursor=${cursor('start:9223372036854775808:x')}`, 'cursor'],
      [`/sessions?cursor=${cursor('start:99999999999999999999:x')}`, 'cursor'],
      [`/traces?q=${'x'.repeat(201)}`, 'q'],
      [`/sessions?q=${'x'.repeat(201)}`, 'q'],
      [`/traces?q=${encodeURIComponent('input:"refund')}`, 'q'],
      [`/sessions?q=${encodeURIComponent('attr.tier=')}`, 'q'],
      [`/traces?service=${'x'.repeat(201)}`, 'service'],
      [`/drift/report?agent=${'x'.repeat(201)}`, 'agent'],
      [`/sessions/${'x'.repeat(501)}`, 'sessionId'],
    ]);
  });

  it('accepts the largest minimum duration and a bucket count at the bound', async () => {
    expect((await get('/traces?minDurationMs=4294967295000')).status).toBe(200);
    const r = await get(`/metrics?bucket=60&from=${now - 2000 * 60_000}&to=${now}`);
    expect(r.status).toBe(200);
    expect(MetricsResponse.parse(r.body).series[0]!.points.length).toBeLessThanOrEqual(2001);
  });
});

describe('session detail', () => {
  it(`lists the first ${MAX_SESSION_TRACES} traces of a longer session, earliest first, and counts them all`, async () => {
    const r = await get(`/sessions/${LONG_SESSION}`);
    expect(r.status).toBe(200);
    const detail = SessionDetail.parse(r.body);
    expect(detail.session.traceCount).toBe(MAX_SESSION_TRACES + 1);
    expect(detail.traces).toHaveLength(MAX_SESSION_TRACES);
    expect(detail.traces[0]!.traceId).toBe((0xf000000).toString(16).padStart(32, '0'));
    expect(detail.traces.at(-1)!.traceId).toBe((0xf000000 + MAX_SESSION_TRACES - 1).toString(16).padStart(32, '0'));
  });
});
