/**
 * The standard OpenTelemetry Node setup an instrumented agent already has; pointing it at
 * Sightline is the exporter URL, nothing else. Metrics and logs exporters are off: these agents
 * check each convention's spans; content sent as log records is checked by openai-logs.e2e.test.ts
 * with the SDK's default exporters.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { SCENARIO } from './scenario.js';

export function traceExporter(otlpBase: string): OTLPTraceExporter {
  return new OTLPTraceExporter({ url: `${otlpBase}/v1/traces` });
}

export function startNodeSdk(otlpBase: string, spanProcessor?: SpanProcessor): NodeSDK {
  process.env['OTEL_METRICS_EXPORTER'] = 'none';
  process.env['OTEL_LOGS_EXPORTER'] = 'none';
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': SCENARIO.service }),
    autoDetectResources: false,
    // The batch processor, as NodeSDK itself defaults to: spans of a trace reach the collector together.
    spanProcessors: [spanProcessor ?? new BatchSpanProcessor({ exporter: traceExporter(otlpBase) })],
  });
  sdk.start();
  return sdk;
}
