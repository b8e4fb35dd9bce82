import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { serve, type ServerType } from '@hono/node-server';
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as HttpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { SightlineError } from '../errors.js';
import type { IngestResult } from '../ingest/ingest-sink.js';
import type { SpanRow } from '../storage/span-row.js';
import { AGENT_RESOURCE, agentTrace, otlpSerializers, recordSpans, serialize } from './otel-fixtures.case.js';
import { EMPTY_LINK_ID_BODY } from './poison.case.js';
import { ExportTraceServiceResponseType, RpcStatusType } from './proto.js';
import { createOtlpRoutes, type OtlpSink } from './routes.js';

/** Test double of the IngestSink seam: records rows, or fails the way the write queue can. */
class RecordingSink implements OtlpSink {
  rows: SpanRow[] = [];
  rejected = 0;
  calls = 0;
  failWith: SightlineError | undefined;
  async accept(rows: SpanRow[]): Promise<IngestResult> {
    this.calls++;
    if (this.failWith) throw this.failWith;
    this.rows.push(...rows);
    return { accepted: rows.length, duplicates: 0 };
  }
  recordRejected(n: number): void {
    this.rejected += n;
  }
}

const MAX = 1024 * 1024;
let sink: RecordingSink;
let protobufBody: Uint8Array;
let jsonBody: Uint8Array;
let spans: ReadableSpan[];

beforeAll(async () => {
  const s = await otlpSerializers();
  spans = await recordSpans(AGENT_RESOURCE, agentTrace);
  protobufBody = serialize(s.protobuf, spans);
  jsonBody = serialize(s.json, spans);
});

beforeEach(() => {
  sink = new RecordingSink();
});

function app(extra: Partial<Parameters<typeof createOtlpRoutes>[0]> = {}) {
  return createOtlpRoutes({ maxBodyBytes: MAX, sink, ...extra });
}

function post(body: Uint8Array | string, headers: Record<string, string>) {
  return new Request('http://collector/v1/traces', { method: 'POST', body, headers });
}

interface ErrorJson {
  code: number;
  message: string;
  error: { code: string; message: string };
}

const PB = { 'content-type': 'application/x-protobuf' };
const JSON_CT = { 'content-type': 'application/json' };

async function pbStatus(res: Response): Promise<{ code?: number; message?: string }> {
  return RpcStatusType.toObject(RpcStatusType.decode(new Uint8Array(await res.arrayBuffer())));
}

describe('POST /v1/traces', () => {
  test('protobuf export: 200, empty ExportTraceServiceResponse, normalized rows reach the sink', async () => {
    const res = await app().request(post(protobufBody, PB));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect(new Uint8Array(await res.arrayBuffer()).length).toBe(0);
    expect(sink.rows).toHaveLength(3);
    const chat = sink.rows.find((r) => r.name === 'chat gpt-4o')!;
    expect([chat.convention, chat.operation, chat.input_tokens]).toEqual(['genai', 'chat', 120]);
  });

  test("the same receiver answers on Langfuse's OTel path, so a Langfuse SDK only changes its base URL", async () => {
    const req = new Request('http://collector/api/public/otel/v1/traces', { method: 'POST', body: protobufBody, headers: PB });
    const res = await app().request(req);
    expect(res.status).toBe(200);
    expect(sink.rows).toHaveLength(3);
  });

  test('JSON export with a charset parameter: 200 and a JSON body', async () => {
    const res = await app().request(post(jsonBody, { 'content-type': 'application/json; charset=utf-8' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({});
    expect(sink.rows).toHaveLength(3);
  });

  test('gzip-compressed body is accepted', async () => {
    const res = await app().request(post(gzipSync(protobufBody), { ...PB, 'content-encoding': 'gzip' }));
    expect(res.status).toBe(200);
    expect(sink.rows).toHaveLength(3);
  });

  test('an empty request is a success and does not call the sink', async () => {
    const res = await app().request(post('{}', JSON_CT));
    expect(res.status).toBe(200);
    expect(sink.calls).toBe(0);
  });

  test('partial success: rejected spans are counted, reported, and the rest stored', async () => {
    const body = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  name: 'ok',
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000000000000100',
                },
                { traceId: 'abcd', spanId: 'eee19b7ec3c1b174', name: 'short' },
              ],
            },
          ],
        },
      ],
    });
    const res = await app().request(post(body, JSON_CT));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: { rejectedSpans: '1', errorMessage: "1 span rejected: invalid trace_id length 2 (span 'short')" },
    });
    expect(sink.rows.map((r) => r.name)).toEqual(['ok']);
    expect(sink.rejected).toBe(1);
  });

  test('issue 11: the curl body without times is answered with a partial success, not acknowledged', async () => {
    const body =
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"no-times"}]}]}]}';
    const res = await app().request(post(body, JSON_CT));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: { rejectedSpans: '1', errorMessage: "1 span rejected: start_time missing (span 'no-times')" },
    });
    expect(sink.calls).toBe(0);
  });

  test('issue 11: a protobuf Link with empty ids is 200 and stored, not a 500', async () => {
    const res = await app().request(post(EMPTY_LINK_ID_BODY, PB));
    expect(res.status).toBe(200);
    expect(sink.rows.map((r) => [r.name, r.link_trace_ids, r.link_span_ids])).toEqual([['l', [''], ['']]]);
  });

  test('unsupported Content-Type is 415 with a JSON Status', async () => {
    const res = await app().request(post('hello', { 'content-type': 'text/plain' }));
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(((await res.json()) as ErrorJson).error.code).toBe('unsupported_media_type');
    expect(sink.calls).toBe(0);
  });

  test('unsupported Content-Encoding is 415 and lists the accepted codings', async () => {
    const res = await app().request(post(protobufBody, { ...PB, 'content-encoding': 'br' }));
    expect(res.status).toBe(415);
    expect(res.headers.get('accept-encoding')).toBe('gzip, deflate, identity');
    expect((await pbStatus(res)).message).toMatch(/Content-Encoding/);
  });

  test('garbage protobuf is 400 with a protobuf google.rpc.Status', async () => {
    const res = await app().request(post(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]), PB));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await pbStatus(res)).message).toMatch(/invalid OTLP protobuf body/);
  });

  test('invalid JSON is 400 with a JSON Status', async () => {
    const res = await app().request(post('{nope', JSON_CT));
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.code).toBe(3);
    expect(body.error.code).toBe('undecodable_body');
  });

  test('a body over maxBodyBytes is 413', async () => {
    const res = await createOtlpRoutes({ maxBodyBytes: 100, sink }).request(post(protobufBody, PB));
    expect(res.status).toBe(413);
    expect(sink.calls).toBe(0);
  });

  test.each([
    ['overloaded', 429, 3],
    ['unavailable', 503, 5],
  ] as const)('sink %s → %i with Retry-After', async (code, status, retry) => {
    sink.failWith = new SightlineError(code, 'write queue full', { retryAfterSeconds: retry });
    const res = await app().request(post(protobufBody, PB));
    expect(res.status).toBe(status);
    expect(res.headers.get('retry-after')).toBe(String(retry));
  });

  test('authorize runs first and its SightlineError is the response', async () => {
    const seen: string[] = [];
    const res = await app({
      authorize: (req) => {
        seen.push(req.headers.get('authorization') ?? '');
        throw new SightlineError('bad_request', 'missing API key', { field: 'authorization' });
      },
    }).request(post('not even protobuf', PB));
    expect(res.status).toBe(400);
    expect((await pbStatus(res)).message).toBe('missing API key');
    expect(seen).toEqual(['']);
    expect(sink.calls).toBe(0);
  });

  test('an unexpected sink failure is a 500 that hides the cause', async () => {
    sink.accept = async () => {
      throw new Error('disk on fire at /secret/path');
    };
    const res = await app().request(post(jsonBody, JSON_CT));
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('/secret/path');
  });
});

describe('CORS for browser exporters', () => {
  test('preflight allows POST and the headers browser exporters send', async () => {
    const res = await app().request('http://collector/v1/traces', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = res.headers.get('access-control-allow-headers')!.split(',');
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'content-encoding', 'authorization']));
  });

  test('configured origins: a listed origin is echoed, others get no allow-origin', async () => {
    const routes = app({ corsOrigins: 'https://a.example, https://b.example' });
    const ok = await routes.request(post(jsonBody, { ...JSON_CT, origin: 'https://b.example' }));
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://b.example');
    expect(ok.headers.get('access-control-expose-headers')).toContain('retry-after');
    const other = await routes.request(post(jsonBody, { ...JSON_CT, origin: 'https://evil.example' }));
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('real exporters against a real HTTP server', () => {
  let server: ServerType;
  let url: string;

  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve(
        {
          fetch: createOtlpRoutes({ maxBodyBytes: MAX, sink: { accept: (rows) => sink.accept(rows) } }).fetch,
          port: 0,
          hostname: '127.0.0.1',
        },
        () => resolve(s),
      );
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function exportWith(exporter: SpanExporter): Promise<{ code: number; error?: Error }> {
    return new Promise((resolve) => exporter.export(spans, resolve));
  }

  test.each([
    ['http/protobuf', () => new HttpProtoExporter({ url })],
    ['http/protobuf + gzip', () => new HttpProtoExporter({ url, compression: 'gzip' as never })],
    ['http/json', () => new HttpJsonExporter({ url })],
  ])('%s exporter: export succeeds and every span arrives', async (_name, make) => {
    const exporter = make();
    const result = await exportWith(exporter);
    await exporter.shutdown();
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0); // ExportResultCode.SUCCESS
    expect(sink.rows.map((r) => r.name).sort()).toEqual(['chat gpt-4o', 'execute_tool get_weather', 'invoke_agent planner']);
  });

  test('the protobuf response decodes as ExportTraceServiceResponse over the wire', async () => {
    const res = await fetch(url, { method: 'POST', body: protobufBody, headers: PB });
    expect(res.status).toBe(200);
    const msg = ExportTraceServiceResponseType.decode(new Uint8Array(await res.arrayBuffer()));
    expect(ExportTraceServiceResponseType.toObject(msg)).toEqual({});
  });
});
