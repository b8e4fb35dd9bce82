/**
 * Agent runs with model calls of chosen models and token counts, exported by the real OpenTelemetry
 * SDK to a collector (so they go through decode, normalize and pricing, as an app's would), at a
 * chosen (possibly past) start time.
 */
import { SpanKind, context, trace, type Attributes } from '@opentelemetry/api';
import { otelProvider } from './otel.js';

export interface ModelCall {
  /** GenAI attributes of the call (model, provider, usage, reported cost, ...). */
  attributes: Attributes;
  /** A tool the step calls after the model call. */
  tool?: string;
}

export interface AgentRun {
  sessionId: string;
  agent: string;
  startMs: number;
  calls: ModelCall[];
  service?: string;
}

/** Emits one agent run (invoke_agent → one step per call → chat + optional tool); returns its trace id. */
export async function emitAgentRun(collectorUrl: string, run: AgentRun): Promise<string> {
  const provider = otelProvider(collectorUrl, 'protobuf', run.service ?? 'cost-app');
  const tracer = provider.getTracer('cost-test');
  let t = run.startMs;
  const agent = tracer.startSpan(`invoke_agent ${run.agent}`, {
    startTime: t,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': run.agent, 'session.id': run.sessionId },
  });
  const traceId = agent.spanContext().traceId;
  const agentCtx = trace.setSpan(context.active(), agent);
  run.calls.forEach((call, i) => {
    const step = tracer.startSpan(
      `step ${i}`,
      { startTime: t, attributes: { 'gen_ai.operation.name': 'step', 'session.id': run.sessionId } },
      agentCtx,
    );
    const stepCtx = trace.setSpan(agentCtx, step);
    const chat = tracer.startSpan(
      'chat',
      {
        kind: SpanKind.CLIENT,
        startTime: t,
        attributes: { 'gen_ai.operation.name': 'chat', 'session.id': run.sessionId, ...call.attributes },
      },
      stepCtx,
    );
    t += 400;
    chat.end(t);
    if (call.tool) {
      const tool = tracer.startSpan(
        `execute_tool ${call.tool}`,
        {
          startTime: t,
          attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': call.tool, 'session.id': run.sessionId },
        },
        stepCtx,
      );
      t += 50;
      tool.end(t);
    }
    step.end(t);
  });
  agent.end(t + 1);
  await provider.forceFlush();
  await provider.shutdown();
  return traceId;
}

/** GenAI attributes of a model call. */
export function genaiCall(provider: string, requestModel: string, responseModel: string, usage: Record<string, number>): Attributes {
  const attrs: Attributes = { 'gen_ai.provider.name': provider, 'gen_ai.request.model': requestModel };
  if (responseModel) attrs['gen_ai.response.model'] = responseModel;
  for (const [k, v] of Object.entries(usage)) attrs[`gen_ai.usage.${k}`] = v;
  return attrs;
}
