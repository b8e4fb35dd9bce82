/**
 * Seed data for the browser tests, sent the way an agent would: through the OpenTelemetry SDK
 * and the OTLP/HTTP protobuf exporter into a real collector. The numbers are chosen so that the
 * expected overview is unambiguous: in environment "prod", 50 agent runs, 5 failed (10%), 46 at
 * 200 ms and 4 at 2 s, so p50 = 200 ms and p95 = 2 s whatever the quantile interpolation.
 */
import { context, trace, SpanKind, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';

export const XSS_PAYLOAD = '<script>window.__sightlineXss = 1</script><img src=x onerror="window.__sightlineXss = 2">';

export interface SeedResult {
  prod: { traces: number; errors: number; p50Ms: number; p95Ms: number };
  plannerTraceIds: string[];
  researcherTraceIds: string[];
  bigTraceId: string;
  bigTraceSpans: number;
  xssTraceId: string;
  xssSpanId: string;
  slowTraceId: string;
  slowToolSpanId: string;
}

function provider(url: string, environment: string) {
  const exporter = new OTLPTraceExporter({ url: `${url}/v1/traces` });
  return new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'e2e-agents',
      'deployment.environment.name': environment,
      'service.version': '1.0.0',
    }),
    spanProcessors: [new BatchSpanProcessor({ exporter, maxQueueSize: 20_000, maxExportBatchSize: 500, scheduledDelayMillis: 200 })],
  });
}

type Attrs = Record<string, string | number | string[]>;

function child(tracer: Tracer, parent: Span, name: string, startMs: number, durMs: number, attributes: Attrs, error?: string): Span {
  const span = tracer.startSpan(
    name,
    { startTime: new Date(startMs), attributes, kind: SpanKind.INTERNAL },
    trace.setSpan(context.active(), parent),
  );
  if (error) {
    span.recordException({ name: 'ToolError', message: error }, new Date(startMs + durMs));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  }
  span.end(new Date(startMs + durMs));
  return span;
}

/** One agent run: root agent span, a model call, a tool call, a closing model call. */
function agentRun(tracer: Tracer, opts: { agent: string; session: string; start: number; durMs: number; fail: boolean; toolMs?: number }) {
  const { agent, session, start, durMs, fail } = opts;
  const root = tracer.startSpan(`invoke_agent ${agent}`, {
    startTime: new Date(start),
    kind: SpanKind.INTERNAL,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': agent, 'gen_ai.conversation.id': session },
  });
  const llm = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.provider.name': 'openai',
    'gen_ai.agent.name': agent,
    'gen_ai.conversation.id': session,
    'gen_ai.usage.input_tokens': 100,
    'gen_ai.usage.output_tokens': 50,
  };
  // model call, then the tool, then a closing model call: sequential, as an agent loop runs.
  const toolMs = opts.toolMs ?? Math.round(durMs * 0.5);
  child(tracer, root, 'chat gpt-4o', start + 1, Math.round(durMs * 0.1), llm);
  const tool = child(
    tracer,
    root,
    'execute_tool web_search',
    start + Math.round(durMs * 0.12),
    toolMs,
    {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'web_search',
      'gen_ai.agent.name': agent,
      'gen_ai.conversation.id': session,
      'gen_ai.tool.call.arguments': '{"query":"weather"}',
    },
    fail ? 'search backend timed out' : undefined,
  );
  child(tracer, root, 'chat gpt-4o', start + Math.round(durMs * 0.92), Math.round(durMs * 0.07), llm);
  if (fail) root.setStatus({ code: SpanStatusCode.ERROR, message: 'tool failed' });
  root.end(new Date(start + durMs));
  return { traceId: root.spanContext().traceId, toolSpanId: tool.spanContext().spanId };
}

export async function seed(collectorUrl: string, now = Date.now()): Promise<SeedResult> {
  const prod = provider(collectorUrl, 'prod');
  const misc = provider(collectorUrl, 'e2e-misc');
  const t = prod.getTracer('sightline-e2e');
  const m = misc.getTracer('sightline-e2e');
  const base = now - 40 * 60_000;

  const plannerTraceIds: string[] = [];
  const researcherTraceIds: string[] = [];
  let slowTraceId = '';
  let slowToolSpanId = '';
  for (let i = 0; i < 50; i++) {
    const slow = i % 12 === 11; // i = 11, 23, 35, 47
    const fail = !slow && i % 10 === 0; // i = 0, 10, 20, 30, 40
    const agent = i % 5 === 4 ? 'researcher' : 'planner';
    const run = agentRun(t, {
      agent,
      session: `sess-${i % 10}`,
      start: base + i * 30_000,
      durMs: slow ? 2000 : 200,
      fail,
      toolMs: slow ? 1500 : undefined,
    });
    (agent === 'planner' ? plannerTraceIds : researcherTraceIds).push(run.traceId);
    if (slow) {
      slowTraceId = run.traceId;
      slowToolSpanId = run.toolSpanId;
    }
  }

  // A 500-span trace: a root, 20 steps, each with 24 tool calls (1 + 20 + 480 = 501, minus one).
  const bigStart = base + 10 * 60_000;
  const bigRoot = m.startSpan('invoke_agent bulk-loader', {
    startTime: new Date(bigStart),
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'bulk-loader', 'gen_ai.conversation.id': 'sess-bulk' },
  });
  let count = 1;
  for (let s = 0; s < 20; s++) {
    const stepStart = bigStart + s * 250;
    const step = m.startSpan(
      `step ${s}`,
      { startTime: new Date(stepStart), attributes: { 'sightline.operation': 'step', 'gen_ai.agent.name': 'bulk-loader' } },
      trace.setSpan(context.active(), bigRoot),
    );
    count++;
    for (let k = 0; k < 24 && count < 500; k++) {
      child(m, step, `execute_tool fetch_${s}_${k}`, stepStart + k * 10, 8, {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': `fetch_${k % 6}`,
      });
      count++;
    }
    step.end(new Date(stepStart + 245));
  }
  bigRoot.end(new Date(bigStart + 5000));

  // A trace whose payloads carry markup: it must show as text.
  const xssStart = base + 20 * 60_000;
  const xssRoot = m.startSpan('invoke_agent xss-probe', {
    startTime: new Date(xssStart),
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'xss-probe' },
  });
  const xssSpan = child(m, xssRoot, 'execute_tool render_html', xssStart + 5, 20, {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'render_html',
    'app.payload': XSS_PAYLOAD,
    'gen_ai.tool.call.arguments': JSON.stringify({ html: XSS_PAYLOAD }),
  });
  xssRoot.end(new Date(xssStart + 40));

  await Promise.all([prod.forceFlush(), misc.forceFlush()]);
  await Promise.all([prod.shutdown(), misc.shutdown()]);
  // A log record on the XSS span (OTLP/JSON to /v1/logs): the span panel's Logs tab shows it as text.
  const logs = await fetch(`${collectorUrl}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'e2e-agents' } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: String(BigInt(xssStart + 10) * 1_000_000n),
                  severityNumber: 17,
                  eventName: 'render.failed',
                  traceId: xssRoot.spanContext().traceId,
                  spanId: xssSpan.spanContext().spanId,
                  body: { stringValue: XSS_PAYLOAD },
                },
              ],
            },
          ],
        },
      ],
    }),
  });
  if (!logs.ok) throw new Error(`seeding the log record failed: ${logs.status}`);

  return {
    prod: { traces: 50, errors: 5, p50Ms: 200, p95Ms: 2000 },
    plannerTraceIds,
    researcherTraceIds,
    bigTraceId: bigRoot.spanContext().traceId,
    bigTraceSpans: count,
    xssTraceId: xssRoot.spanContext().traceId,
    xssSpanId: xssSpan.spanContext().spanId,
    slowTraceId,
    slowToolSpanId,
  };
}
