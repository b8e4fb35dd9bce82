/**
 * Builds OTLP protobuf export requests of realistic agent spans with the official OpenTelemetry SDK
 * and serializer, so the benchmark feeds the collector exactly what an instrumented agent sends.
 */
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';

import { prng } from '../src/test-support/prng.js';

const TOOLS = ['search_kb', 'lookup_order', 'issue_refund', 'escalate', 'send_email'];
const PROMPT = 'You are a helpful support agent for an online shop. Answer briefly and use tools when needed. '.repeat(6);

function agentRun(tracer: Tracer, rand: () => number, sessionId: string, startMs: number): void {
  const steps = 1 + Math.floor(rand() * 6);
  let t = startMs;
  const agent = tracer.startSpan('invoke_agent support-agent', {
    startTime: t,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'support-agent',
      'session.id': sessionId,
      'gen_ai.conversation.id': sessionId,
    },
  });
  const agentCtx = trace.setSpan(context.active(), agent);
  for (let s = 0; s < steps; s++) {
    const step = tracer.startSpan(
      `step ${s}`,
      {
        startTime: t,
        attributes: {
          'gen_ai.operation.name': 'step',
          'sightline.step.index': s,
          'gen_ai.agent.name': 'support-agent',
          'session.id': sessionId,
        },
      },
      agentCtx,
    );
    const stepCtx = trace.setSpan(agentCtx, step);
    const llmMs = 200 + rand() * 900;
    const tool = TOOLS[Math.floor(rand() * TOOLS.length)]!;
    const chat = tracer.startSpan(
      'chat gpt-4o-mini',
      {
        kind: SpanKind.CLIENT,
        startTime: t,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.request.temperature': 0.2,
          'gen_ai.usage.input_tokens': 400 + Math.floor(rand() * 1200),
          'gen_ai.usage.output_tokens': 20 + Math.floor(rand() * 300),
          'gen_ai.response.finish_reasons': [s === steps - 1 ? 'stop' : 'tool_calls'],
          'gen_ai.agent.name': 'support-agent',
          'session.id': sessionId,
          'gen_ai.input.messages': JSON.stringify([
            { role: 'system', content: PROMPT },
            { role: 'user', content: `Where is my order #${Math.floor(rand() * 1e5)}?` },
          ]),
          'gen_ai.output.messages': JSON.stringify([
            { role: 'assistant', tool_calls: [{ name: tool, arguments: { id: Math.floor(rand() * 1e5) } }] },
          ]),
        },
      },
      stepCtx,
    );
    t += llmMs;
    chat.end(t);
    const toolMs = 20 + rand() * 300;
    const exec = tracer.startSpan(
      `execute_tool ${tool}`,
      {
        startTime: t,
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': tool,
          'gen_ai.tool.call.id': `call_${Math.floor(rand() * 1e9)}`,
          'gen_ai.agent.name': 'support-agent',
          'session.id': sessionId,
        },
      },
      stepCtx,
    );
    if (rand() < 0.04) {
      exec.recordException(new Error(`${tool} timed out`), t + toolMs);
      exec.setStatus({ code: SpanStatusCode.ERROR, message: `${tool} timed out` });
      exec.setAttribute('error.type', 'TimeoutError');
    }
    t += toolMs;
    exec.end(t);
    step.end(t);
  }
  agent.end(t);
}

/** `count` protobuf requests of `spansPerRequest` spans each (whole traces, cut at the boundary). */
export function buildRequests(count: number, spansPerRequest = 512, seed = 42): { bodies: Uint8Array[]; spans: number } {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'support-bot',
      'service.version': '2.3.1',
      'deployment.environment.name': 'production',
      'host.name': 'agent-7',
    }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('sightline-bench', '0.1.0');
  const rand = prng(seed);
  const bodies: Uint8Array[] = [];
  let spans = 0;
  const base = Date.now() - 30 * 60_000;
  let pending: ReadableSpan[] = [];
  let run = 0;
  while (bodies.length < count) {
    agentRun(tracer, rand, `session-${seed}-${Math.floor(run / 4)}`, base + run * 50);
    run++;
    pending = pending.concat(exporter.getFinishedSpans());
    exporter.reset();
    while (pending.length >= spansPerRequest && bodies.length < count) {
      const batch = pending.slice(0, spansPerRequest);
      pending = pending.slice(spansPerRequest);
      bodies.push(ProtobufTraceSerializer.serializeRequest(batch)!);
      spans += batch.length;
    }
  }
  return { bodies, spans };
}
