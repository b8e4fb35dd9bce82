/**
 * Decode speed on a realistic 512-span export (the OTel SDK's default batch size), built by the
 * real serializers. The bound is on the FASTEST of 60 runs and loose on purpose: the cores are
 * shared, and this test is here to catch an accidental O(n^2) or a per-span JSON round trip, not
 * to benchmark. The measured numbers are printed so smaller regressions are visible.
 */
import { SpanKind, context, trace, type Tracer } from '@opentelemetry/api';
import { beforeAll, expect, test } from 'vitest';
import { normalizeRows } from '../normalize/index.js';
import { decodeTraceRequest, type OtlpFormat } from './decode.js';
import { otlpSerializers, recordSpans, serialize } from './otel-fixtures.case.js';

const SPANS = 512;
const bodies: Record<OtlpFormat, Uint8Array> = { protobuf: new Uint8Array(), json: new Uint8Array() };

function realisticTrace(tracer: Tracer): void {
  const prompt = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Plan a trip. '.repeat(60) }] }]);
  const answer = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Day one: '.repeat(40) }] }]);
  for (let t = 0; t < SPANS / 4; t++) {
    const root = tracer.startSpan('invoke_agent planner', {
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner', 'session.id': `s-${t % 7}` },
    });
    const ctx = trace.setSpan(context.active(), root);
    for (let i = 0; i < 2; i++) {
      tracer
        .startSpan(
          'chat gpt-4o',
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'gen_ai.operation.name': 'chat',
              'gen_ai.provider.name': 'openai',
              'gen_ai.request.model': 'gpt-4o',
              'gen_ai.response.model': 'gpt-4o-2024-08-06',
              'gen_ai.request.temperature': 0.2,
              'gen_ai.request.max_tokens': 1024,
              'gen_ai.usage.input_tokens': 812,
              'gen_ai.usage.output_tokens': 233,
              'gen_ai.response.finish_reasons': ['stop'],
              'gen_ai.response.id': 'chatcmpl-abc123',
              'gen_ai.input.messages': prompt,
              'gen_ai.output.messages': answer,
              'server.address': 'api.openai.com',
              'server.port': 443,
            },
          },
          ctx,
        )
        .end();
    }
    const tool = tracer.startSpan(
      'execute_tool search',
      {
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'search',
          'gen_ai.tool.call.id': `call_${t}`,
          'gen_ai.tool.call.arguments': '{"q":"flights to Lisbon"}',
          'gen_ai.tool.call.result': '{"results":[1,2,3]}',
        },
      },
      ctx,
    );
    tool.addEvent('cache.miss', { key: 'flights' });
    tool.end();
    root.end();
  }
}

beforeAll(async () => {
  const s = await otlpSerializers();
  const spans = await recordSpans(
    { 'service.name': 'bench-agent', 'service.version': '2.0.0', 'deployment.environment.name': 'prod' },
    realisticTrace,
  );
  expect(spans).toHaveLength(SPANS);
  bodies.protobuf = serialize(s.protobuf, spans);
  bodies.json = serialize(s.json, spans);
});

function measure(format: OtlpFormat): { bestMs: number; medianMs: number; spansPerSecond: number } {
  const runs: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t = performance.now();
    const { rows } = decodeTraceRequest(bodies[format], format);
    normalizeRows(rows);
    runs.push(performance.now() - t);
    expect(rows).toHaveLength(SPANS);
  }
  runs.sort((a, b) => a - b);
  const medianMs = runs[runs.length >> 1]!;
  const bestMs = runs[0]!;
  return { bestMs, medianMs, spansPerSecond: Math.round((SPANS / bestMs) * 1000) };
}

test.each(['protobuf', 'json'] as const)('decode + normalize of a 512-span %s export takes well under 60 ms', (format) => {
  const m = measure(format);
  console.log(
    `${format}: ${(bodies[format].byteLength / 1024).toFixed(0)} KiB, best ${m.bestMs.toFixed(2)} ms / median ${m.medianMs.toFixed(2)} ms per 512 spans, ${m.spansPerSecond} spans/s on one core (best)`,
  );
  expect(m.bestMs).toBeLessThan(60);
});
