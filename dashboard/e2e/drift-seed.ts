/**
 * Seed data for the Drift page's browser test, sent through the OpenTelemetry SDK and the
 * OTLP/HTTP protobuf exporter like any agent's. Two agents, each with 240 baseline sessions on the
 * six previous days at the same hours of day as the current window (the trailing baseline is
 * seasonally matched) and 120 current sessions 15–100 minutes ago (sessions younger than the
 * collector's 10-minute tail are not summarised yet):
 *  - e2e-drifter: first tool `search_kb` in 80% of baseline sessions, `web_search` in 80% of current ones;
 *  - e2e-steady: the same 80/20 mix before and after, so no drift.
 * Every session is: invoke_agent → execute_tool <first> → execute_tool summarize. Assignments are
 * by index, so the shares are exact (20.0% / 80.0%).
 */
import { context, trace, SpanKind, type Tracer } from '@opentelemetry/api';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';

export const DRIFTER = 'e2e-drifter';
export const STEADY = 'e2e-steady';
export const BASELINE_SESSIONS = 240;
export const CURRENT_SESSIONS = 120;
const DAY_MS = 86_400_000;
const MIN_MS = 60_000;

function session(tracer: Tracer, agent: string, sessionId: string, start: number, firstTool: string): void {
  const common = { 'gen_ai.agent.name': agent, 'session.id': sessionId };
  const root = tracer.startSpan(`invoke_agent ${agent}`, {
    startTime: new Date(start),
    kind: SpanKind.INTERNAL,
    attributes: { ...common, 'gen_ai.operation.name': 'invoke_agent' },
  });
  const ctx = trace.setSpan(context.active(), root);
  const tool = (name: string, at: number) =>
    tracer
      .startSpan(
        `execute_tool ${name}`,
        {
          startTime: new Date(at),
          kind: SpanKind.INTERNAL,
          attributes: { ...common, 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': name },
        },
        ctx,
      )
      .end(new Date(at + 400));
  tool(firstTool, start + 100);
  tool('summarize', start + 600);
  root.end(new Date(start + 1200));
}

/** Minutes before `now` (on day 0) or before the same time of day d days ago: spread over 15–100 min. */
const offset = (i: number, n: number) => (15 + Math.floor((i * 85) / n)) * MIN_MS;

export async function seedDrift(collectorUrl: string, now = Date.now()): Promise<{ currentSessionIds: string[] }> {
  const exporter = new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'e2e-drift', 'deployment.environment.name': 'prod' }),
    spanProcessors: [new BatchSpanProcessor({ exporter, maxQueueSize: 20_000, maxExportBatchSize: 1000, scheduledDelayMillis: 100 })],
  });
  const t = provider.getTracer('sightline-e2e-drift');
  const perDay = BASELINE_SESSIONS / 6;
  const currentSessionIds: string[] = [];
  for (const agent of [DRIFTER, STEADY]) {
    for (let i = 0; i < BASELINE_SESSIONS; i++) {
      const day = 1 + Math.floor(i / perDay);
      session(t, agent, `${agent}-base-${i}`, now - day * DAY_MS - offset(i % perDay, perDay), i % 5 === 0 ? 'web_search' : 'search_kb');
    }
    for (let i = 0; i < CURRENT_SESSIONS; i++) {
      const id = `${agent}-cur-${i}`;
      const minority = i % 5 === 0;
      const firstTool = agent === DRIFTER ? (minority ? 'search_kb' : 'web_search') : minority ? 'web_search' : 'search_kb';
      session(t, agent, id, now - offset(i, CURRENT_SESSIONS), firstTool);
      if (agent === DRIFTER) currentSessionIds.push(id);
    }
  }
  await provider.forceFlush();
  await provider.shutdown();
  return { currentSessionIds };
}
