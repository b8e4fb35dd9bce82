/**
 * Two sessions of one agent for the compare test, sent through the OpenTelemetry SDK and the
 * OTLP/HTTP exporter: the same run twice, except that the "after" session calls search_kb where
 * "before" called web_search, and its fetch_page call fails. Same timings, tokens and payloads.
 */
import { context, trace, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';

export const BEFORE = 'cmp-session-before';
export const AFTER = 'cmp-session-after';
export const AGENT = 'comparer';
/** Steps of each session: agent, chat, search tool, chat, fetch_page, chat. */
export const STEPS = 6;

function run(tracer: Tracer, session: string, start: number, search: string, fetchFails: boolean, agent = AGENT) {
  const common = { 'gen_ai.agent.name': agent, 'gen_ai.conversation.id': session };
  const root = tracer.startSpan(`invoke_agent ${agent}`, {
    startTime: new Date(start),
    kind: SpanKind.INTERNAL,
    attributes: { 'gen_ai.operation.name': 'invoke_agent', ...common },
  });
  const ctx = trace.setSpan(context.active(), root);
  let t = start + 1;
  const span = (name: string, ms: number, attributes: Record<string, string | number>, error?: string) => {
    const s = tracer.startSpan(name, { startTime: new Date(t), attributes: { ...common, ...attributes } }, ctx);
    if (error) s.setStatus({ code: SpanStatusCode.ERROR, message: error });
    s.end(new Date(t + ms));
    t += ms + 1;
  };
  const chat = () =>
    span('chat gpt-4o', 100, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.provider.name': 'openai',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 20,
    });
  const tool = (name: string, error?: string) =>
    span(
      `execute_tool ${name}`,
      150,
      { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name, 'gen_ai.tool.call.arguments': '{"q":"refund policy"}' },
      error,
    );
  chat();
  tool(search);
  chat();
  tool('fetch_page', fetchFails ? 'page fetch timed out' : undefined);
  chat();
  root.end(new Date(t));
}

function provider(collectorUrl: string, release: string) {
  return new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'e2e-compare',
      'service.version': release,
      'deployment.environment.name': 'compare',
    }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces` }),
        maxQueueSize: 20_000,
        maxExportBatchSize: 500,
        scheduledDelayMillis: 200,
      }),
    ],
  });
}

/** The group compare's agent: GROUP_A sessions of release 1.0 search the web, GROUP_B of release 1.1 search the knowledge base. */
export const GROUP_AGENT = 'grouper';
export const GROUP_A = 200;
export const GROUP_B = 100;

export async function seedCompare(collectorUrl: string, now = Date.now()): Promise<void> {
  const v1 = provider(collectorUrl, '1.0');
  const v2 = provider(collectorUrl, '1.1');
  const t1 = v1.getTracer('sightline-e2e-compare');
  const t2 = v2.getTracer('sightline-e2e-compare');
  run(t1, BEFORE, now - 20 * 60_000, 'web_search', false);
  run(t1, AFTER, now - 10 * 60_000, 'search_kb', true);
  // Older than the drift engine's tail (it summarises sessions that have ended a while ago).
  const span = 150 * 60_000;
  for (let i = 0; i < GROUP_A; i++) run(t1, `grp-a-${i}`, now - 3 * 3_600_000 + (i / GROUP_A) * span, 'web_search', false, GROUP_AGENT);
  for (let i = 0; i < GROUP_B; i++) run(t2, `grp-b-${i}`, now - 3 * 3_600_000 + (i / GROUP_B) * span, 'search_kb', false, GROUP_AGENT);
  await Promise.all([v1.forceFlush(), v2.forceFlush()]);
  await Promise.all([v1.shutdown(), v2.shutdown()]);
}
