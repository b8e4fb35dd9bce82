/**
 * OTLP logs: the official logs exporters (HTTP/JSON to /v1/logs, gRPC with gzip to LogsService) into
 * a real collector, read back through the trace API: GenAI content events fill their span's
 * input/output exactly as span events do, other records appear in the span's `logs`. Raw requests
 * for what an exporter does not send: malformed and oversize bodies, a partial success.
 */
import { status } from '@grpc/grpc-js';
import { context, trace, type Span as OtelSpan } from '@opentelemetry/api';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as HttpLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { TraceDetail } from '@sightline/contract';
import { exportTo } from '../test-support/grpc-export.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../index.js';
import { apiReader, eventually, otelProvider } from '../test-support/otel.js';
import { tempDataDir } from '../test-support/temp-storage.js';
import { LogWriter } from '../ingest/log-writer.js';
import { listen } from '../server.js';
import type { RawInsert } from '../storage/client.js';
import { LOGS_EXPORT_PATH, startGrpcReceiver } from './grpc.js';
import { createOtlpRoutes } from './routes.js';
import { ExportLogsServiceRequestType } from './proto.js';

const tmp = tempDataDir();
let collector: RunningCollector;
const api = apiReader(() => collector.url);
const MAX_BODY = 64 * 1024;

beforeAll(async () => {
  collector = await startCollector({
    port: 0,
    dataDir: tmp.dir,
    logLevel: 'error',
    flushIntervalMs: 50,
    alertsTickMs: 0,
    maxBodyBytes: MAX_BODY,
  });
});
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

/**
 * A chat span exported over OTLP/HTTP, and log records on it through `exporter`: the 1.28 GenAI
 * content events (event name in the `event.name` attribute, body a map) as the official OpenAI
 * instrumentation emits them, and one ordinary application log (LogRecord.event_name set).
 */
async function chatWithLogs(exporter: LogRecordExporter, service: string): Promise<string> {
  const tracer = otelProvider(collector.url, 'protobuf', service);
  const loggers = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = loggers.getLogger('logs-test');
  let traceId = '';
  tracer
    .getTracer('logs-test')
    .startActiveSpan(
      'chat gpt-4o',
      { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' } },
      (span: OtelSpan) => {
        traceId = span.spanContext().traceId;
        const ctx = trace.setSpan(context.active(), span);
        const event = (name: string, body: Record<string, unknown>) =>
          logger.emit({ context: ctx, severityNumber: 9, attributes: { 'event.name': name, 'gen_ai.system': 'openai' }, body });
        event('gen_ai.system.message', { content: 'You are terse.' });
        event('gen_ai.user.message', { content: 'Weather in Paris?' });
        event('gen_ai.choice', { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Sunny.' } });
        logger.emit({
          context: ctx,
          severityNumber: 13,
          severityText: 'WARN',
          eventName: 'app.cache_miss',
          body: 'cache miss for Paris',
          attributes: { city: 'Paris' },
        });
        span.end();
      },
    );
  await tracer.forceFlush();
  await loggers.forceFlush();
  await Promise.all([tracer.shutdown(), loggers.shutdown()]);
  return traceId;
}

async function spanWithLogs(traceId: string) {
  const detail = await eventually(async () => {
    const d = await api(`/traces/${traceId}`, TraceDetail);
    const s = d.spans[0];
    return s && s.input !== '' && s.output !== '' && s.logs.length > 0 ? d : undefined;
  });
  return detail.spans[0]!;
}

function expectContentAndLog(span: TraceDetail['spans'][number]) {
  // The same JSON the span-event path gives (normalize/genai-events.ts): role from the event name, the body's fields.
  expect(JSON.parse(span.input)).toEqual([
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Weather in Paris?' },
  ]);
  expect(JSON.parse(span.output)).toEqual([{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Sunny.' } }]);
  expect(span.finishReasons).toEqual(['stop']);
  expect(span.logs).toEqual([
    expect.objectContaining({
      eventName: 'app.cache_miss',
      severityNumber: 13,
      severityText: 'WARN',
      body: 'cache miss for Paris',
      attributes: { city: 'Paris' },
    }),
  ]);
}

const postLogs = (body: string | Uint8Array<ArrayBuffer>, contentType: string) =>
  fetch(`${collector.url}/v1/logs`, { method: 'POST', body, headers: { 'content-type': contentType } });

describe('OTLP logs', () => {
  it('HTTP/JSON exporter: GenAI events become the span input/output, other records its logs', async () => {
    const traceId = await chatWithLogs(new HttpLogExporter({ url: `${collector.url}/v1/logs` }), 'logs-http');
    expectContentAndLog(await spanWithLogs(traceId));
  });

  it('gRPC exporter with gzip: the same result through LogsService/Export', async () => {
    type Compression = NonNullable<NonNullable<ConstructorParameters<typeof GrpcLogExporter>[0]>['compression']>;
    const exporter = new GrpcLogExporter({ url: `http://127.0.0.1:${collector.grpcPort}`, compression: 'gzip' as Compression });
    const traceId = await chatWithLogs(exporter, 'logs-grpc');
    expectContentAndLog(await spanWithLogs(traceId));
  });

  it('content a span carries itself wins; the content events then stay visible as its logs', async () => {
    const tracer = otelProvider(collector.url, 'json', 'logs-own-content');
    const exporter = new HttpLogExporter({ url: `${collector.url}/v1/logs` });
    const loggers = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    let traceId = '';
    tracer.getTracer('t').startActiveSpan(
      'chat m',
      {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.input.messages': '[{"role":"user","parts":[]}]',
          'gen_ai.output.messages': '[]',
        },
      },
      (span) => {
        traceId = span.spanContext().traceId;
        loggers.getLogger('t').emit({
          context: trace.setSpan(context.active(), span),
          attributes: { 'event.name': 'gen_ai.user.message' },
          body: { content: 'other' },
        });
        span.end();
      },
    );
    await Promise.all([tracer.shutdown(), loggers.shutdown()]);
    const span = (
      await eventually(async () => {
        const d = await api(`/traces/${traceId}`, TraceDetail);
        return d.spans[0]?.logs.length ? d : undefined;
      })
    ).spans[0]!;
    expect(span.input).toBe('[{"role":"user","parts":[]}]');
    expect(span.logs.map((l) => l.eventName)).toEqual(['gen_ai.user.message']);
  });

  it('answers a malformed body 400 (HTTP) / INVALID_ARGUMENT (gRPC), an oversize one 413 / RESOURCE_EXHAUSTED', async () => {
    expect((await postLogs('{"resourceLogs": 5}', 'application/json')).status).toBe(400);
    expect((await postLogs('not json', 'application/json')).status).toBe(400);
    expect((await postLogs(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), 'application/x-protobuf')).status).toBe(400);
    expect((await postLogs(new Uint8Array(MAX_BODY + 1), 'application/x-protobuf')).status).toBe(413);
    const bad = await exportTo(collector.grpcPort!, LOGS_EXPORT_PATH, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect('error' in bad && bad.error.code).toBe(status.INVALID_ARGUMENT);
    const big = await exportTo(collector.grpcPort!, LOGS_EXPORT_PATH, Buffer.alloc(MAX_BODY + 1024, 0x0a));
    expect('error' in big && big.error.code).toBe(status.RESOURCE_EXHAUSTED);
  });

  it('stores the valid records of a request and reports a bad id in partial success (JSON and protobuf)', async () => {
    const good = { traceId: 'cd'.repeat(16), spanId: '01'.repeat(8), body: { stringValue: 'kept' } };
    const res = await postLogs(
      JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [good, { traceId: 'xyz', body: { stringValue: 'dropped' } }] }] }] }),
      'application/json',
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      partialSuccess: { rejectedLogRecords: '1', errorMessage: expect.stringContaining('trace_id') },
    });
    const pb = ExportLogsServiceRequestType.encode(
      ExportLogsServiceRequestType.fromObject({
        resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: Buffer.alloc(3, 1), body: { stringValue: 'x' } }] }] }],
      }),
    ).finish();
    const answer = await exportTo(collector.grpcPort!, LOGS_EXPORT_PATH, pb);
    expect('ok' in answer && answer.ok.length).toBeGreaterThan(0); // partial_success set: a non-empty response
    const rows = await collector.storage.client.query({
      query: `SELECT body FROM logs WHERE trace_id = {id:String}`,
      query_params: { id: good.traceId },
      format: 'JSONEachRow',
    });
    expect(await rows.json()).toEqual([{ body: 'kept' }]);
  });

  it('answers a full log queue 429 with Retry-After (HTTP) and RESOURCE_EXHAUSTED (gRPC), and stores what it acknowledged', async () => {
    // The real writer into the collector's chDB, its first insert held until the refusals are seen.
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const writer = new LogWriter(
      async (r: RawInsert) => {
        await gate;
        await collector.storage.insertRaw(r);
      },
      { maxQueuedRecords: 1 },
    );
    const sink = {
      accept: () => Promise.resolve({ accepted: 0, duplicates: 0 }),
      acceptLogs: (rows: Parameters<LogWriter['write']>[0]) => writer.write([...rows], 'default'),
    };
    const http = await listen(createOtlpRoutes({ maxBodyBytes: MAX_BODY, sink }), '127.0.0.1', 0);
    const grpc = await startGrpcReceiver({ sink, maxMessageBytes: MAX_BODY }, '127.0.0.1', 0);
    const record = (traceId: string) =>
      ExportLogsServiceRequestType.encode(
        ExportLogsServiceRequestType.fromObject({
          resourceLogs: [{ scopeLogs: [{ logRecords: [{ traceId: Buffer.from(traceId, 'hex'), body: { stringValue: 'x' } }] }] }],
        }),
      ).finish();
    try {
      const held = fetch(`http://127.0.0.1:${http.port}/v1/logs`, {
        method: 'POST',
        body: record('e1'.repeat(16)),
        headers: { 'content-type': 'application/x-protobuf' },
      });
      await eventually(async () => (writer.queuedRecords() === 1 ? true : undefined));
      const refused = await fetch(`http://127.0.0.1:${http.port}/v1/logs`, {
        method: 'POST',
        body: record('e2'.repeat(16)),
        headers: { 'content-type': 'application/x-protobuf' },
      });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      const grpcRefused = await exportTo(grpc.port, LOGS_EXPORT_PATH, record('e3'.repeat(16)));
      expect('error' in grpcRefused && grpcRefused.error.code).toBe(status.RESOURCE_EXHAUSTED);
      open();
      expect((await held).status).toBe(200);
      const rows = await collector.storage.client.query({
        query: `SELECT trace_id FROM logs WHERE trace_id IN ({a:String}, {b:String}, {c:String})`,
        query_params: { a: 'e1'.repeat(16), b: 'e2'.repeat(16), c: 'e3'.repeat(16) },
        format: 'JSONEachRow',
      });
      expect(await rows.json()).toEqual([{ trace_id: 'e1'.repeat(16) }]);
    } finally {
      open();
      await Promise.all([http.close(), grpc.close()]);
    }
  });
});
