/**
 * Fault-test support: OTLP/protobuf export bodies made by the real OpenTelemetry serializer
 * (`@opentelemetry/otlp-transformer`, what the proto exporter sends), from span objects built
 * directly (the SDK's tracer would cost the test process more CPU than the collector under test).
 *
 * Every span id is unique per (run, sender, request, index), so the ledger can tell a stored span
 * from a duplicate. Each trace has one root and children; each trace is one session.
 */
import { SpanKind, SpanStatusCode, TraceFlags, type HrTime, type SpanContext } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

export interface ExportBatch {
  body: Uint8Array;
  /** `trace_id:span_id` (lower-case hex) of every span in the body. */
  keys: string[];
}

export const SPANS_PER_TRACE = 10;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);
const resources = new Map<number, Resource>();

function resourceOf(sender: number): Resource {
  let r = resources.get(sender);
  if (!r) {
    r = resourceFromAttributes({ 'service.name': `fault-sender-${sender}`, 'deployment.environment.name': 'faults' });
    resources.set(sender, r);
  }
  return r;
}

function hrTime(ns: bigint): HrTime {
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

/**
 * One export request of `spans` spans. `run` is 8 hex digits naming the test run, so two runs on
 * one data dir never share ids; `nowMs` places the spans (all within the same minute).
 */
export function exportBatch(run: string, sender: number, seq: number, spans: number, nowMs: number): ExportBatch {
  const out: ReadableSpan[] = [];
  const keys: string[] = [];
  const base = BigInt(nowMs) * 1_000_000n;
  const resource = resourceOf(sender);
  for (let i = 0; i < spans; i++) {
    const t = Math.floor(i / SPANS_PER_TRACE);
    const k = i % SPANS_PER_TRACE;
    const traceId = `${run}${hex(sender, 4)}${hex(seq, 8)}${hex(t + 1, 12)}`;
    const spanId = `${hex(k + 1, 4)}${hex(seq, 8)}${hex(sender, 4)}`;
    const rootId = `${hex(1, 4)}${hex(seq, 8)}${hex(sender, 4)}`;
    const ctx: SpanContext = { traceId, spanId, traceFlags: TraceFlags.SAMPLED };
    const start = base + BigInt(i) * 1000n;
    const end = start + BigInt(1_000_000 + k * 10_000);
    const tool = k % 3 === 2;
    out.push({
      name: tool ? 'execute_tool search' : k === 0 ? 'invoke_agent faults' : 'chat gpt-fault',
      kind: tool ? SpanKind.INTERNAL : SpanKind.CLIENT,
      spanContext: () => ctx,
      parentSpanContext: k === 0 ? undefined : { traceId, spanId: rootId, traceFlags: TraceFlags.SAMPLED },
      startTime: hrTime(start),
      endTime: hrTime(end),
      duration: hrTime(end - start),
      ended: true,
      status: { code: k === 7 ? SpanStatusCode.ERROR : SpanStatusCode.UNSET },
      attributes: {
        'gen_ai.operation.name': tool ? 'execute_tool' : k === 0 ? 'invoke_agent' : 'chat',
        'gen_ai.conversation.id': `sess-${run}-${sender}-${seq}-${t}`,
        'gen_ai.agent.name': 'fault-agent',
        ...(tool
          ? { 'gen_ai.tool.name': 'search', 'gen_ai.tool.call.id': `call-${k}` }
          : {
              'gen_ai.provider.name': 'openai',
              'gen_ai.request.model': 'gpt-fault',
              'gen_ai.usage.input_tokens': 100 + k,
              'gen_ai.usage.output_tokens': 10 + k,
            }),
        'app.note': 'a span from the fault tests, long enough to look like a real attribute value',
      },
      links: [],
      events: [],
      resource,
      instrumentationScope: { name: 'sightline-faults', version: '1.0.0' },
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    });
    keys.push(`${traceId}:${spanId}`);
  }
  const body = ProtobufTraceSerializer.serializeRequest(out);
  if (!body) throw new Error('the OTLP serializer returned nothing');
  return { body, keys };
}

/** `partialSuccess.rejectedSpans` of a protobuf ExportTraceServiceResponse (0 when unset). */
export function rejectedSpans(responseBody: Uint8Array): number {
  if (responseBody.length === 0) return 0;
  const res = ProtobufTraceSerializer.deserializeResponse(responseBody);
  return Number(res.partialSuccess?.rejectedSpans ?? 0);
}
