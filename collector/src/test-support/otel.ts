/** A real OpenTelemetry tracer provider exporting to a collector, as an instrumented app would. */
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

export function otelProvider(collectorUrl: string, encoding: 'protobuf' | 'json', serviceName = 'conformance-app'): TracerProvider {
  const url = `${collectorUrl}/v1/traces`;
  const exporter = encoding === 'protobuf' ? new ProtoExporter({ url }) : new HttpJsonExporter({ url });
  return new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment.name': 'test', 'service.version': '9.9.9' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reads `{base}/api{path}` and parses it with the API's own schema; a non-2xx answer throws. */
export function apiReader(base: () => string) {
  return async <T>(path: string, schema: { parse(v: unknown): T }): Promise<T> => {
    const res = await fetch(`${base()}/api${path}`);
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return schema.parse(await res.json());
  };
}
