/**
 * GET /api/export/spans on a collector that requires credentials, with two projects whose spans
 * hold names, messages, inputs and attributes with quotes, commas, CR/LF and non-ASCII text: the
 * file's rows and columns are the stored spans (as the trace detail shows them, and as many as the
 * table holds), filters pick the traces the trace list shows, another project's rows never appear,
 * CSV reads back through an RFC 4180 reader, a bad parameter is a 400 naming it, paging (pages of
 * 2 spans, chunks of 1 trace) gives the same spans trace by trace, and the sessions' export holds
 * every span of the sessions the session list shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyCreated, EXPORTED_SPAN_COLUMNS, ExportedSpan, SessionList, TraceDetail, TraceList } from '@sightline/contract';
import { startCollector, type RunningCollector } from '../../index.js';
import { exportSpans } from '../../storage/queries/span-export.js';
import { parseCsv } from '../../test-support/csv.js';
import { count, tempDataDir } from '../../test-support/temp-storage.js';
import { bearer, credentialsRequired } from '../../test-support/two-projects.js';

const tmp = tempDataDir('sightline-export-');
const BOOTSTRAP = `sl_bootstrap_${'e'.repeat(40)}`;
const HOUR_MS = 3_600_000;
const TRICKY = 'He said "hi", then\nleft;\r\nnaïve — ✓, 42 "quotes" ""doubled""';
let collector: RunningCollector;
const now = Date.now();
const range = `from=${now - 4 * HOUR_MS}&to=${now + 60_000}`;

interface Project {
  id: string;
  marker: string;
  read: string;
}
let A: Project;
let B: Project;

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

/** `traces` agent runs (root, a chat call, a tool call) of a project; the first fails. */
function otlp(marker: string, lead: string, traces: number): string {
  const hex = (n: number, w: number) => (lead + n.toString(16)).padStart(w, '0').slice(-w);
  const spans = [];
  for (let i = 0; i < traces; i++) {
    const traceId = hex(i + 1, 32);
    const root = hex(i * 16 + 1, 16);
    const start = now - 2 * HOUR_MS + i * 60_000;
    const agent = str('gen_ai.agent.name', `${marker}-agent`);
    spans.push(
      {
        traceId,
        spanId: root,
        name: i === 1 ? `invoke_agent ${marker} "special", run` : `invoke_agent ${marker}-agent`,
        kind: 1,
        startTimeUnixNano: ns(start),
        endTimeUnixNano: ns(start + 3000),
        attributes: [str('gen_ai.operation.name', 'invoke_agent'), agent, str('session.id', `${marker}-session-${i}`)],
        status: i === 0 ? { code: 2, message: `${marker} failed: ${TRICKY}` } : {},
      },
      {
        traceId,
        spanId: hex(i * 16 + 2, 16),
        parentSpanId: root,
        name: `chat ${marker}-model`,
        kind: 3,
        startTimeUnixNano: ns(start + 100),
        endTimeUnixNano: ns(start + 1500),
        attributes: [
          str('gen_ai.operation.name', 'chat'),
          str('gen_ai.request.model', `${marker}-model`),
          str('sightline.input', `${marker} asks: ${TRICKY}`),
          str('note, with "comma"', TRICKY),
          { key: 'gen_ai.usage.input_tokens', value: { intValue: String(100 + i) } },
        ],
        events: [{ timeUnixNano: ns(start + 200), name: 'retry, "first"', attributes: [str('why', TRICKY)] }],
      },
      {
        traceId,
        spanId: hex(i * 16 + 3, 16),
        parentSpanId: root,
        name: `execute_tool ${marker}_lookup`,
        kind: 1,
        startTimeUnixNano: ns(start + 1600),
        endTimeUnixNano: ns(start + 2500),
        attributes: [str('gen_ai.operation.name', 'execute_tool'), str('gen_ai.tool.name', `${marker}_lookup`), agent],
        links: [{ traceId: hex(99, 32), spanId: hex(99, 16), attributes: [str('link', 'a,b')] }],
      },
    );
  }
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', `${marker}-svc`), str('deployment.environment.name', `${marker}-env`)] },
        scopeSpans: [{ scope: { name: `${marker}-scope` }, spans }],
      },
    ],
  });
}

async function post(path: string, key: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${collector.url}${path}`, {
    method: 'POST',
    headers: { ...bearer(key), 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function seed(id: string, marker: string, lead: string): Promise<Project> {
  await post('/api/projects', BOOTSTRAP, { id, name: `${marker} project` });
  const key = async (scope: string) =>
    ApiKeyCreated.parse(await post(`/api/projects/${id}/keys`, BOOTSTRAP, { name: scope, scopes: [scope] })).key;
  await post('/v1/traces', await key('ingest'), otlp(marker, lead, 5));
  return { id, marker, read: await key('read') };
}

beforeAll(async () => {
  collector = await startCollector(
    { port: 0, dataDir: tmp.dir, logLevel: 'silent', flushIntervalMs: 50, alertsTickMs: 0, auth: credentialsRequired(BOOTSTRAP) },
    undefined,
    { passwordCost: { logN: 10, r: 8, p: 1 } },
  );
  A = await seed('exp-a', 'aardvark', 'a');
  B = await seed('exp-b', 'bison', 'b');
  await collector.pipeline.flush();
}, 120_000);
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

const get = (path: string, headers: Record<string, string>) => fetch(`${collector.url}/api${path}`, { headers });

async function exportText(p: Project, query: string, path = '/export/spans'): Promise<{ res: Response; text: string }> {
  const res = await get(`${path}?${query}`, bearer(p.read));
  return { res, text: await res.text() };
}

const jsonl = (text: string) =>
  text === ''
    ? []
    : text
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => ExportedSpan.parse(JSON.parse(l)));
const bySpan = (a: { spanId: string }, b: { spanId: string }) => a.spanId.localeCompare(b.spanId);

/** The stored spans of the project's traces, as the trace detail answers them (logs aside). */
async function storedSpans(p: Project, query = range): Promise<ExportedSpan[]> {
  const list = TraceList.parse(await (await get(`/traces?${query}&limit=500`, bearer(p.read))).json());
  const spans: ExportedSpan[] = [];
  for (const t of list.traces) {
    const detail = TraceDetail.parse(await (await get(`/traces/${t.traceId}`, bearer(p.read))).json());
    for (const { logs: _logs, ...span } of detail.spans) spans.push(span);
  }
  return spans.sort(bySpan);
}

/** What the CSV cell of a value reads back as. */
const cellOf = (v: unknown) => (v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

describe('the span export', () => {
  it('writes, as JSON lines, every stored span of the project with every field as the trace detail shows it', async () => {
    const { res, text } = await exportText(A, `${range}&format=jsonl`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="sightline-spans-exp-a-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.jsonl"$/,
    );
    const rows = jsonl(text);
    expect(rows).toHaveLength(15);
    expect(rows.length).toBe(await count(collector.storage, "SELECT count() FROM spans FINAL WHERE project_id = 'exp-a'"));
    expect([...rows].sort(bySpan)).toEqual(await storedSpans(A));
    // The tricky values are there as sent.
    const chat = rows.find((r) => r.name === 'chat aardvark-model')!;
    expect(chat.attributes['note, with "comma"']).toBe(TRICKY);
    expect(chat.input).toBe(`aardvark asks: ${TRICKY}`);
    expect(chat.events[0]).toMatchObject({ name: 'retry, "first"', attributes: { why: TRICKY } });
  });

  it('writes the same spans as CSV: a header of every field, cells quoted so that an RFC 4180 reader gets the values back', async () => {
    const { res, text } = await exportText(A, `${range}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/filename="sightline-spans-exp-a-.*\.csv"$/);
    // Quotes doubled inside a quoted cell that keeps its CR/LF.
    expect(text).toContain('"aardvark failed: He said ""hi"", then\nleft;\r\nnaïve');
    const [header, ...cells] = parseCsv(text);
    expect(header).toEqual(EXPORTED_SPAN_COLUMNS);
    const json = jsonl((await exportText(A, `${range}&format=jsonl`)).text);
    expect(cells).toEqual(json.map((span) => EXPORTED_SPAN_COLUMNS.map((c) => cellOf(span[c]))));
  });

  it('keeps the traces the trace list shows for the same filters', async () => {
    const cases = [
      `${range}&status=error`,
      `${range}&status=ok&minDurationMs=2000`,
      `${range}&q=${encodeURIComponent('"special"')}`,
      `${range}&agent=aardvark-agent&tool=aardvark_lookup&model=aardvark-model&environment=aardvark-env&service=aardvark-svc&session=aardvark-session-2`,
      `${range}&session=aardvark-session-3`,
      `from=${now - 2 * HOUR_MS + 90_000}&to=${now - 2 * HOUR_MS + 200_000}`,
    ];
    for (const query of cases) {
      const list = TraceList.parse(await (await get(`/traces?${query}&limit=500`, bearer(A.read))).json());
      const rows = jsonl((await exportText(A, query)).text);
      expect(new Set(rows.map((r) => r.traceId)), query).toEqual(new Set(list.traces.map((t) => t.traceId)));
      expect(rows.length, query).toBe(list.traces.reduce((n, t) => n + t.spanCount, 0));
      expect(rows.length, query).toBeGreaterThan(0);
      expect(rows.length, query).toBeLessThan(15);
    }
  });

  it("never holds another project's rows, even when its filters name them", async () => {
    for (const [p, other] of [
      [A, B],
      [B, A],
    ] as const) {
      const own = jsonl((await exportText(p, range)).text);
      expect(own).toHaveLength(15);
      expect(own.every((r) => r.serviceName === `${p.marker}-svc`)).toBe(true);
      for (const query of [range, `${range}&format=csv`, `${range}&agent=${other.marker}-agent`, `${range}&service=${other.marker}-svc`]) {
        const { res, text } = await exportText(p, query);
        expect(res.status).toBe(200);
        expect(text, query).not.toContain(other.marker);
      }
      expect((await exportText(p, `${range}&agent=${other.marker}-agent`)).text).toBe('');
      const asOther = await get(`/export/spans?${range}`, { ...bearer(p.read), 'x-sightline-project': other.id });
      expect(asOther.status).toBe(403);
      expect(await asOther.text()).not.toContain(other.marker);
    }
    expect((await get(`/export/spans?${range}`, {})).status).toBe(401);
  });

  it('answers 400 naming the parameter that is wrong', async () => {
    const cases: Array<[string, string]> = [
      ['format=xml', 'format'],
      ['from=yesterday', 'from'],
      ['minDurationMs=-5', 'minDurationMs'],
      ['status=maybe', 'status'],
      [`q=${'x'.repeat(201)}`, 'q'],
    ];
    for (const [query, field] of cases) {
      const res = await get(`/export/spans?${query}`, bearer(A.read));
      expect(res.status, query).toBe(400);
      expect(await res.json(), query).toMatchObject({ error: { code: 'invalid_parameter', field } });
    }
  });

  it('reads the spans in pages and the traces in chunks: pages of 2 spans in chunks of 1 trace give the same spans, trace by trace in order of start', async () => {
    const read = async (pageRows: number, traceChunk: number) => {
      const out: ExportedSpan[] = [];
      const selection = { of: 'traces' as const, filters: { from: now - 4 * HOUR_MS, to: now + 60_000 } };
      for await (const batch of exportSpans(collector.storage.client, A.id, selection, { pageRows, traceChunk })) out.push(...batch);
      return out;
    };
    const whole = await read(1000, 1000);
    expect(whole).toHaveLength(15);
    expect(new Set(whole.map((s) => s.spanId)).size).toBe(15);
    // One chunk: spans by start, trace, span.
    const keys = whole.map((s) => [s.startTime.padStart(20, '0'), s.traceId, s.spanId].join('|'));
    expect(keys).toEqual([...keys].sort());
    // Pages of 2 spans in chunks of 1 trace: the same spans, trace after trace in order of start.
    const paged = await read(2, 1);
    expect([...paged].sort(bySpan)).toEqual([...whole].sort(bySpan));
    const traceOrder = [...new Set(paged.map((s) => s.traceId))];
    expect(paged.map((s) => s.traceId)).toEqual(traceOrder.flatMap((t) => paged.filter((s) => s.traceId === t).map(() => t)));
    const startOf = (t: string) =>
      paged.filter((s) => s.traceId === t).reduce((m, s) => (BigInt(s.startTime) < m ? BigInt(s.startTime) : m), 2n ** 63n);
    expect(traceOrder).toEqual(
      [...traceOrder].sort((a, b) => (startOf(a) < startOf(b) ? -1 : startOf(a) > startOf(b) ? 1 : a.localeCompare(b))),
    );
  });

  it("exports every span of the sessions the session list shows, with the list's filters", async () => {
    const cases = [range, `${range}&status=error`, `${range}&q=${encodeURIComponent('"special"')}`, `${range}&q=session-3`];
    for (const query of cases) {
      const list = SessionList.parse(await (await get(`/sessions?${query}&limit=500`, bearer(A.read))).json());
      const { res, text } = await exportText(A, query, '/export/session-spans');
      expect(res.status, query).toBe(200);
      expect(res.headers.get('content-disposition'), query).toMatch(/filename="sightline-session-spans-exp-a-.*\.jsonl"$/);
      const rows = jsonl(text);
      expect(new Set(rows.map((r) => r.sessionId)), query).toEqual(new Set(list.sessions.map((s) => s.sessionId)));
      expect(rows.length, query).toBe(list.sessions.reduce((n, s) => n + s.spanCount, 0));
      expect(rows.length, query).toBeGreaterThan(0);
    }
    expect((await exportText(A, `${range}&status=error`, '/export/session-spans')).text).not.toContain('bison');
    const bad = await get(`/export/session-spans?status=maybe`, bearer(A.read));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_parameter', field: 'status' } });
  });
});
