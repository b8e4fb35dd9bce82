import { describe, expect, it } from 'vitest';
import { startOtlpSink } from '../test/otlp-sink.js';
import { agent, flush, getStats, init, shutdown, tool } from './index.js';
import { parseKeyValues, resolveConfig } from './config.js';

describe('configuration precedence: arguments > environment > defaults', () => {
  it('defaults to localhost:4318, unknown service, capture off, sample everything', () => {
    const c = resolveConfig({}, {});
    expect(c.tracesUrl).toBe('http://localhost:4318/v1/traces');
    expect(c.serviceName).toBe('unknown_service:node');
    expect(c.captureContent).toBe(false);
    expect(c.sampleRate).toBe(1);
    expect(c.maxContentLength).toBe(8192);
    expect(c.headers).toEqual({});
  });

  it('reads the OTEL_* variables', () => {
    const c = resolveConfig(
      {},
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318/',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-team=ai%20ops,authorization=Bearer env',
        OTEL_SERVICE_NAME: 'env-svc',
        OTEL_RESOURCE_ATTRIBUTES: 'service.version=9,deployment.environment.name=prod,team=ml',
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
      },
    );
    expect(c.tracesUrl).toBe('https://collector.example:4318/v1/traces');
    expect(c.headers).toEqual({ 'x-team': 'ai ops', authorization: 'Bearer env' });
    expect(c.serviceName).toBe('env-svc');
    expect(c.resourceAttributes).toEqual({
      'service.name': 'env-svc',
      'service.version': '9',
      'deployment.environment.name': 'prod',
      team: 'ml',
    });
    expect(c.captureContent).toBe(true);
  });

  it('uses a signal-specific endpoint as is', () => {
    expect(resolveConfig({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://h:1/custom' }).tracesUrl).toBe('http://h:1/custom');
  });

  it('sends one Authorization header: an apiKey replaces one from the environment whatever its case', () => {
    const env = { OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20env-key,x-team=ops' };
    expect(resolveConfig({ apiKey: 'arg-key' }, env).headers).toEqual({ Authorization: 'Bearer arg-key', 'x-team': 'ops' });
    expect(resolveConfig({}, { ...env, SIGHTLINE_API_KEY: 'sl-env' }).headers).toEqual({ Authorization: 'Bearer sl-env', 'x-team': 'ops' });
    expect(resolveConfig({}, env).headers).toEqual({ authorization: 'Bearer env-key', 'x-team': 'ops' });
  });

  it('lets arguments win over the environment', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-a=env,x-b=env',
      OTEL_SERVICE_NAME: 'env-svc',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=res-svc,service.version=env,deployment.environment.name=env',
      SIGHTLINE_CAPTURE_CONTENT: 'true',
      SIGHTLINE_SAMPLE_RATE: '0.5',
      SIGHTLINE_API_KEY: 'env-key',
    };
    const c = resolveConfig(
      {
        endpoint: 'http://arg:9999',
        headers: { 'x-a': 'arg' },
        serviceName: 'arg-svc',
        release: 'r-arg',
        environment: 'e-arg',
        captureContent: false,
        sampleRate: 0.25,
        apiKey: 'arg-key',
      },
      env,
    );
    expect(c.tracesUrl).toBe('http://arg:9999/v1/traces');
    expect(c.headers).toEqual({ 'x-a': 'arg', 'x-b': 'env', Authorization: 'Bearer arg-key' });
    expect(c.serviceName).toBe('arg-svc');
    expect(c.resourceAttributes).toMatchObject({
      'service.name': 'arg-svc',
      'service.version': 'r-arg',
      'deployment.environment.name': 'e-arg',
    });
    expect(c.captureContent).toBe(false);
    expect(c.sampleRate).toBe(0.25);
  });

  it('falls back from OTEL_SERVICE_NAME to service.name in OTEL_RESOURCE_ATTRIBUTES', () => {
    expect(resolveConfig({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-res' }).serviceName).toBe('from-res');
  });

  it('parses key=value lists leniently', () => {
    expect(parseKeyValues(' a = 1 ,bad, =x,b=2=3')).toEqual({ a: '1', b: '2=3' });
  });

  it('reports a bad endpoint instead of throwing, and runs untraced', async () => {
    const logs: string[] = [];
    const h = init({ endpoint: 'not a url', logger: { warn: (m) => logs.push(m) } });
    expect(h.provider).toBe('disabled');
    expect(logs[0]).toMatch(/tracing disabled/);
    await shutdown();
  });

  it('samples whole traces: sampleRate 0 exports nothing and changes no result', async () => {
    const sink = await startOtlpSink();
    init({ endpoint: sink.url, sampleRate: 0, scheduledDelayMs: 10 });
    expect(agent('a', () => tool('t', {}, () => 7))).toBe(7);
    await flush();
    expect(getStats().exportedSpans).toBe(0);
    expect(sink.requests).toBe(0);
    await shutdown();
    await sink.close();
  });
});
