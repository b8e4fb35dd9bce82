/**
 * Against a collector that requires credentials (as on any non-loopback address): the SDK's
 * `apiKey` and SIGHTLINE_API_KEY, and a plain OpenTelemetry exporter configured only by the
 * standard OTEL_EXPORTER_OTLP_HEADERS, all send `Authorization: Bearer <key>` and land in the key's
 * project; without a key the collector refuses the export and stores nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { loadConfig, startCollector } from '@sightline/collector';
import { ApiKeyCreated, TraceList } from '@sightline/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agent, init, shutdown } from './index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sightline-sdk-key-'));
const BOOTSTRAP = `sl_boot_${'b'.repeat(40)}`;
let collector: Awaited<ReturnType<typeof startCollector>>;
let key: string;
const silent = { warn: () => undefined };

beforeAll(async () => {
  collector = await startCollector({
    port: 0,
    dataDir,
    logLevel: 'silent',
    flushIntervalMs: 50,
    alertsTickMs: 0,
    auth: { ...loadConfig({ SIGHTLINE_AUTH: 'required' }).auth, bootstrapApiKey: BOOTSTRAP },
  });
  const call = (path: string, body: unknown) =>
    fetch(`${collector.url}/api${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOOTSTRAP}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  expect((await call('/projects', { id: 'sdk-team', name: 'SDK team' })).status).toBe(201);
  key = ApiKeyCreated.parse(await (await call('/projects/sdk-team/keys', { name: 'agents', scopes: ['ingest', 'read'] })).json()).key;
});
afterAll(async () => {
  await shutdown();
  await collector?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Root span names stored in the key's project, polled until `expected` is there. */
async function stored(expected: string, timeoutMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${collector.url}/api/traces?from=${Date.now() - 3_600_000}&limit=200`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const names = TraceList.parse(await res.json()).traces.map((t) => t.rootName);
    if (names.includes(expected) || Date.now() > deadline) return names;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('export with a project API key', () => {
  it('is refused without a key: nothing is stored and the SDK counts the loss', async () => {
    const handle = init({ serviceName: 'no-key', endpoint: collector.url, scheduledDelayMs: 20, exportTimeoutMs: 2000, logger: silent });
    await agent('keyless-agent', async () => undefined);
    await handle.flush();
    expect(handle.getStats()).toMatchObject({ exportedSpans: 0, failedSpans: 1 });
    await shutdown();
    expect(await stored('invoke_agent keyless-agent', 500)).not.toContain('invoke_agent keyless-agent');
  });

  it('sends init({ apiKey }) as a Bearer token: spans land in the key project', async () => {
    init({ serviceName: 'with-key', endpoint: collector.url, apiKey: key, scheduledDelayMs: 20, logger: silent });
    await agent('keyed-agent', async () => undefined);
    await shutdown();
    expect(await stored('invoke_agent keyed-agent')).toContain('invoke_agent keyed-agent');
  });

  it('reads SIGHTLINE_API_KEY from the environment', async () => {
    process.env.SIGHTLINE_API_KEY = key;
    try {
      init({ serviceName: 'env-key', endpoint: collector.url, scheduledDelayMs: 20, logger: silent });
      await agent('env-key-agent', async () => undefined);
      await shutdown();
    } finally {
      delete process.env.SIGHTLINE_API_KEY;
    }
    expect(await stored('invoke_agent env-key-agent')).toContain('invoke_agent env-key-agent');
  });

  it('works with a plain OpenTelemetry exporter configured only by OTEL_EXPORTER_OTLP_HEADERS', async () => {
    process.env.OTEL_EXPORTER_OTLP_HEADERS = `Authorization=Bearer%20${key}`;
    let provider: TracerProvider;
    try {
      // The exporter reads the standard variable itself; nothing Sightline-specific is passed.
      const exporter = new OTLPTraceExporter({ url: `${collector.url}/v1/traces` });
      provider = new TracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'plain-otel' }),
        spanProcessors: [new SimpleSpanProcessor({ exporter })],
      });
    } finally {
      delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
    }
    provider.getTracer('plain').startSpan('plain-otel-root').end();
    await provider.forceFlush();
    await provider.shutdown();
    expect(await stored('plain-otel-root')).toContain('plain-otel-root');
  });
});
