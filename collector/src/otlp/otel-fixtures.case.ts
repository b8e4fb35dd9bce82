/**
 * Test support (the `.case.ts` suffix keeps it out of the build): real OpenTelemetry spans and
 * the real OTLP serializers, so the decoder is tested against what exporters actually send.
 *
 * `@opentelemetry/otlp-transformer` is a dependency of the installed exporter, not of the
 * collector, so pnpm does not link it here; it is resolved from the exporter's own location.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';

interface Serializer {
  serializeRequest(spans: ReadableSpan[]): Uint8Array | undefined;
}

export async function otlpSerializers(): Promise<{ protobuf: Serializer; json: Serializer }> {
  const require = createRequire(import.meta.url);
  const exporterEntry = require.resolve('@opentelemetry/exporter-trace-otlp-proto');
  const transformerCjs = createRequire(exporterEntry).resolve('@opentelemetry/otlp-transformer');
  const mod = (await import(pathToFileURL(transformerCjs.replace(/\.cjs$/, '.mjs')).href)) as {
    ProtobufTraceSerializer: Serializer;
    JsonTraceSerializer: Serializer;
  };
  return { protobuf: mod.ProtobufTraceSerializer, json: mod.JsonTraceSerializer };
}

export function serialize(s: Serializer, spans: ReadableSpan[]): Uint8Array {
  const body = s.serializeRequest(spans);
  if (!body) throw new Error('serializer returned nothing');
  return body;
}

/** Runs `record` with a real tracer and returns the finished spans. */
export async function recordSpans(
  resource: Attributes,
  record: (tracer: Tracer) => void,
  scope = { name: 'test-scope', version: '1.2.3' },
): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  record(provider.getTracer(scope.name, scope.version));
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** Epoch 1_700_000_000.123456789 s: nanosecond digits a JS number could not hold. */
export const T0: [number, number] = [1_700_000_000, 123_456_789];
export const T0_NS = '1700000000123456789';

/** A small agent trace: invoke_agent → chat (tokens, content) + execute_tool (error, event, link). */
export function agentTrace(tracer: Tracer): void {
  const root = tracer.startSpan('invoke_agent planner', {
    kind: SpanKind.INTERNAL,
    startTime: T0,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'planner',
      'gen_ai.conversation.id': 'sess-1',
      'gen_ai.usage.input_tokens': 999, // an aggregate: must not reach the typed token columns
    },
  });
  const ctx = trace.setSpan(context.active(), root);
  const chat = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      startTime: [T0[0], T0[1] + 1000],
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.response.model': 'gpt-4o-2024-08-06',
        'gen_ai.provider.name': 'openai',
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 45,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"What is the weather?"}]}]',
        'gen_ai.output.messages': '[{"role":"assistant","parts":[{"type":"text","content":"sunny"}]}]',
        'gen_ai.request.temperature': 0.25,
        'gen_ai.request.stream': false,
        'app.tags': ['a', 'b'],
        'app.counts': [1, 2, 3],
      },
    },
    ctx,
  );
  chat.end([T0[0] + 1, T0[1]]);
  const tool = tracer.startSpan(
    'execute_tool get_weather',
    {
      startTime: [T0[0] + 1, T0[1]],
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_weather',
        'gen_ai.tool.call.id': 'call_1',
        'gen_ai.tool.call.arguments': '{"city":"Paris"}',
        'error.type': 'TimeoutError',
      },
      links: [{ context: chat.spanContext(), attributes: { 'link.kind': 'caused-by' } }],
    },
    ctx,
  );
  tool.addEvent('retry', { attempt: 2 }, [T0[0] + 1, T0[1] + 500]);
  tool.setStatus({ code: SpanStatusCode.ERROR, message: 'timed out' });
  tool.end([T0[0] + 2, T0[1]]);
  root.setStatus({ code: SpanStatusCode.OK });
  root.end([T0[0] + 3, T0[1]]);
}

export const AGENT_RESOURCE: Attributes = {
  'service.name': 'weather-agent',
  'service.version': '1.4.0',
  'deployment.environment.name': 'staging',
};
