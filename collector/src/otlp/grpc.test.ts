/**
 * OTLP/gRPC: the official gRPC trace exporter (gzip) into a real collector, read back through the
 * query API; raw gRPC calls for what an exporter does not send: bytes that are not an OTLP request,
 * a message over the limit, a partial success, and back-pressure with RetryInfo.
 */
import { status, type ServiceError } from '@grpc/grpc-js';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { TraceDetail } from '@sightline/contract';
import protobuf from 'protobufjs';
import { exportTo } from '../test-support/grpc-export.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SightlineError } from '../errors.js';
import { startCollector, type RunningCollector } from '../index.js';
import { apiReader, eventually } from '../test-support/otel.js';
import { tempDataDir } from '../test-support/temp-storage.js';
import { startGrpcReceiver, TRACE_EXPORT_PATH } from './grpc.js';
import { ExportTraceServiceRequestType, ExportTraceServiceResponseType, RpcStatusType } from './proto.js';

const tmp = tempDataDir();
let collector: RunningCollector;
const api = apiReader(() => collector.url);

beforeAll(async () => {
  collector = await startCollector({
    port: 0,
    dataDir: tmp.dir,
    logLevel: 'error',
    flushIntervalMs: 50,
    alertsTickMs: 0,
    maxBodyBytes: 64 * 1024,
  });
});
afterAll(async () => {
  await collector?.stop();
  tmp.remove();
});

const NOW_NS = BigInt(Date.now()) * 1_000_000n;
function request(spans: Array<{ traceId: string; spanId: string; name: string }>): Uint8Array {
  return ExportTraceServiceRequestType.encode(
    ExportTraceServiceRequestType.fromObject({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'grpc-raw' } }] },
          scopeSpans: [
            {
              spans: spans.map((s) => ({
                traceId: Buffer.from(s.traceId, 'hex'),
                spanId: Buffer.from(s.spanId, 'hex'),
                name: s.name,
                kind: 1,
                startTimeUnixNano: NOW_NS.toString(),
                endTimeUnixNano: (NOW_NS + 1_000_000n).toString(),
              })),
            },
          ],
        },
      ],
    }),
  ).finish();
}

describe('OTLP/gRPC receiver', () => {
  it('stores what the official gRPC exporter sends (gzip), normalized like OTLP/HTTP', async () => {
    type Compression = NonNullable<NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>['compression']>;
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${collector.grpcPort}`, compression: 'gzip' as Compression });
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'grpc-agent' }),
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const tracer = provider.getTracer('grpc-test');
    let traceId = '';
    tracer.startActiveSpan(
      'invoke_agent planner',
      { attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner' } },
      (root) => {
        traceId = root.spanContext().traceId;
        tracer
          .startSpan(
            'chat gpt-4o',
            {
              kind: SpanKind.CLIENT,
              attributes: {
                'gen_ai.operation.name': 'chat',
                'gen_ai.request.model': 'gpt-4o',
                'gen_ai.usage.input_tokens': 12,
                'gen_ai.usage.output_tokens': 3,
              },
            },
            trace.setSpan(context.active(), root),
          )
          .end();
        root.end();
      },
    );
    await provider.forceFlush();
    await provider.shutdown();
    const detail = await eventually(async () => {
      const d = await api(`/traces/${traceId}`, TraceDetail);
      return d.spans.length === 2 ? d : undefined;
    });
    const byName = new Map(detail.spans.map((s) => [s.name, s]));
    expect(byName.get('invoke_agent planner')).toMatchObject({
      agentName: 'planner',
      serviceName: 'grpc-agent',
      operation: 'invoke_agent',
    });
    expect(byName.get('chat gpt-4o')).toMatchObject({ operation: 'chat', requestModel: 'gpt-4o', inputTokens: 12, outputTokens: 3 });
  });

  it('answers INVALID_ARGUMENT for bytes that are not an OTLP request, RESOURCE_EXHAUSTED over the size limit', async () => {
    const bad = await exportTo(collector.grpcPort!, TRACE_EXPORT_PATH, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect('error' in bad && bad.error.code).toBe(status.INVALID_ARGUMENT);
    const big = await exportTo(collector.grpcPort!, TRACE_EXPORT_PATH, Buffer.alloc(65 * 1024, 0x0a));
    expect('error' in big && big.error.code).toBe(status.RESOURCE_EXHAUSTED);
  });

  it('stores the valid spans of a request and reports the rest in partial_success', async () => {
    const good = 'ab'.repeat(16);
    const answer = await exportTo(
      collector.grpcPort!,
      TRACE_EXPORT_PATH,
      request([
        { traceId: good, spanId: '01'.repeat(8), name: 'kept' },
        { traceId: '00'.repeat(16), spanId: '02'.repeat(8), name: 'all-zero trace id' },
      ]),
    );
    expect('ok' in answer).toBe(true);
    const response = ExportTraceServiceResponseType.toObject(ExportTraceServiceResponseType.decode((answer as { ok: Buffer }).ok), {
      longs: Number,
    });
    expect(response).toMatchObject({ partialSuccess: { rejectedSpans: 1, errorMessage: expect.stringContaining('trace_id') } });
    const detail = await eventually(async () => {
      const d = await api(`/traces/${good}`, TraceDetail);
      return d.spans.length === 1 ? d : undefined;
    });
    expect(detail.spans[0]!.name).toBe('kept');
  });

  it('answers a full queue with RESOURCE_EXHAUSTED and an unavailable store with UNAVAILABLE, both with RetryInfo', async () => {
    for (const [code, grpcCode] of [
      ['overloaded', status.RESOURCE_EXHAUSTED],
      ['unavailable', status.UNAVAILABLE],
    ] as const) {
      const receiver = await startGrpcReceiver(
        {
          maxMessageBytes: 1024 * 1024,
          sink: {
            accept: () => Promise.reject(new SightlineError(code, 'write queue is full', { retryAfterSeconds: 7 })),
          },
        },
        '127.0.0.1',
        0,
      );
      try {
        const answer = await exportTo(
          receiver.port,
          TRACE_EXPORT_PATH,
          request([{ traceId: 'cd'.repeat(16), spanId: '03'.repeat(8), name: 'x' }]),
        );
        expect('error' in answer).toBe(true);
        const { error } = answer as { error: ServiceError };
        expect(error.code).toBe(grpcCode);
        const details = RpcStatusType.decode(error.metadata.get('grpc-status-details-bin')[0] as Buffer) as unknown as {
          details: Array<{ typeUrl: string; value: Uint8Array }>;
        };
        expect(details.details[0]!.typeUrl).toBe('type.googleapis.com/google.rpc.RetryInfo');
        // RetryInfo.retry_delay (1) → Duration.seconds (1)
        const reader = protobuf.Reader.create(details.details[0]!.value);
        expect(reader.uint32()).toBe(10);
        const inner = protobuf.Reader.create(reader.bytes());
        expect(inner.uint32()).toBe(8);
        expect(Number(inner.int64())).toBe(7);
      } finally {
        await receiver.close();
      }
    }
  });
});
