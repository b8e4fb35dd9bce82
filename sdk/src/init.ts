/**
 * Wires the trace SDK: resource, sampler, OTLP/protobuf exporter, bounded batch processor, and the
 * global registration. If the app registered its own tracer provider first, that one is used and
 * nothing is registered twice.
 */
import { context, createContextKey, propagation, ROOT_CONTEXT, trace, type ProxyTracerProvider, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { resolveConfig, type InitOptions, type ResolvedConfig } from './config.js';
import { emptyStats, QueueAccounting, SafeExporter, type ExportStats } from './export.js';
import { SCOPE_NAME } from './semconv.js';
import { SessionSpanProcessor } from './session-processor.js';
import { defaultState, setState, state } from './state.js';
import { VERSION } from './version.js';

export interface Sightline {
  /** Which provider the spans go to: one init() created, or the app's own. */
  readonly provider: 'sightline' | 'existing' | 'disabled';
  readonly config: ResolvedConfig;
  flush(): Promise<void>;
  shutdown(options?: ShutdownOptions): Promise<void>;
  getStats(): ExportStats;
}

interface Active {
  handle: Sightline;
  flush(): Promise<void>;
  shutdown(wait: number | Promise<void>): Promise<void>;
  stats: ExportStats;
}

let active: Active | undefined;

/** Starts tracing. Call once, before the agent runs; a second call returns the first handle. */
export function init(options: InitOptions = {}): Sightline {
  if (active) {
    state().logger.warn('init() was already called; keeping the first configuration');
    return active.handle;
  }
  const config = resolveConfig(options);
  ensureContextManager();

  const existing = existingTracer();
  const stats = emptyStats();
  let tracer: Tracer;
  let flush: () => Promise<void>;
  let stop: () => Promise<void>;

  if (existing) {
    tracer = existing;
    const provider = trace.getTracerProvider() as ProxyTracerProvider;
    const delegate = provider.getDelegate() as { forceFlush?: () => Promise<void> };
    flush = () => (delegate.forceFlush ? delegate.forceFlush() : Promise.resolve());
    // The app owns its provider's lifetime; shutdown() only flushes it.
    stop = flush;
  } else {
    let provider: TracerProvider;
    try {
      provider = createProvider(config, stats);
    } catch (e) {
      // A bad endpoint is reported, not thrown: the agent runs untraced rather than not at all.
      config.logger.warn(`tracing disabled: ${e instanceof Error ? e.message : String(e)}`);
      return disabledHandle(config);
    }
    trace.setGlobalTracerProvider(provider);
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    );
    tracer = provider.getTracer(SCOPE_NAME, VERSION);
    flush = () => provider.forceFlush();
    stop = () => {
      // Unregister first, synchronously: a shutdown that times out must not later unregister
      // whatever provider a following init() put in place.
      trace.disable();
      propagation.disable();
      return provider.shutdown();
    };
  }

  setState({
    tracer,
    captureContent: config.captureContent,
    maxContentLength: config.maxContentLength,
    redact: config.redact,
    clock: config.clock,
    logger: config.logger,
  });

  const handle: Sightline = {
    provider: existing ? 'existing' : 'sightline',
    config,
    flush: () => flush().catch(() => undefined),
    shutdown: (o) => shutdown(o),
    getStats: () => ({ ...stats }),
  };
  active = { handle, flush, shutdown: (wait) => withTimeout(safeCall(stop), wait), stats };
  return handle;
}

/** Exports every finished span now. Never rejects. */
export async function flush(): Promise<void> {
  await active?.flush().catch(() => undefined);
}

export interface ShutdownOptions {
  /** How long to wait for the last export, in ms (default 5000). */
  timeoutMs?: number;
  /** Ends the wait instead of the `timeoutMs` timer (tests decide when time is up). */
  deadline?: Promise<void>;
}

/**
 * Flushes and stops exporting, waiting at most `timeoutMs` (default 5000) however the collector
 * behaves. Never rejects. Reports spans lost to failures or a full queue in one log line.
 */
export async function shutdown(options: ShutdownOptions = {}): Promise<void> {
  const current = active;
  if (!current) return;
  active = undefined;
  const logger = state().logger;
  setState(defaultState());
  try {
    await current.shutdown(options.deadline ?? options.timeoutMs ?? 5000);
  } catch {
    // A stuck or failing exporter must not turn the app's exit into a crash.
  }
  const s = current.stats;
  if (s.droppedSpans > 0 || s.failedSpans > 0) {
    logger.warn(
      `shutdown: ${s.exportedSpans} spans exported, ${s.failedSpans} lost to export failures, ` +
        `${s.droppedSpans} dropped because the queue was full`,
    );
  }
}

/** Export counters since init(); zeros when the app's own provider is used. */
export function getStats(): ExportStats {
  return active ? { ...active.stats } : emptyStats();
}

function createProvider(config: ResolvedConfig, stats: ExportStats): TracerProvider {
  const queue = { accepted: 0, handedOff: 0 };
  const exporter = new SafeExporter(
    new OTLPTraceExporter({ url: config.tracesUrl, headers: config.headers, timeoutMillis: config.exportTimeoutMs }),
    stats,
    queue,
    config.logger,
    config.tracesUrl,
  );
  const batch = new BatchSpanProcessor({
    exporter,
    maxQueueSize: config.maxQueueSize,
    maxExportBatchSize: config.maxExportBatchSize,
    scheduledDelayMillis: config.scheduledDelayMs,
    // Covers the exporter's own retries on 429/503 so a batch never outlives its timeout by much.
    exportTimeoutMillis: config.exportTimeoutMs + 1000,
  });
  const root = config.sampleRate >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(config.sampleRate);
  return new TracerProvider({
    resource: defaultResource().merge(resourceFromAttributes(config.resourceAttributes)),
    sampler: new ParentBasedSampler({ root }),
    spanProcessors: [new SessionSpanProcessor(), new QueueAccounting(batch, config.maxQueueSize, stats, queue, config.logger)],
  });
}

function disabledHandle(config: ResolvedConfig): Sightline {
  return {
    provider: 'disabled',
    config,
    flush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    getStats: emptyStats,
  };
}

/** A tracer from the provider the app registered, or undefined when only the no-op is there. */
function existingTracer(): Tracer | undefined {
  const proxy = trace.getTracerProvider() as Partial<ProxyTracerProvider>;
  return proxy.getDelegateTracer?.(SCOPE_NAME, VERSION);
}

/** Without a real context manager the session would not follow `await`; install one if absent. */
function ensureContextManager(): void {
  const probe = ROOT_CONTEXT.setValue(createContextKey('sightline.probe'), true);
  if (context.with(probe, () => context.active() === probe)) return;
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  context.setGlobalContextManager(manager);
}

function safeCall(fn: () => Promise<void>): Promise<void> {
  try {
    return fn();
  } catch (e) {
    return Promise.reject(e);
  }
}

/** `p`, or the end of the wait (a timer of `wait` ms, or a deadline promise), whichever comes first. */
function withTimeout(p: Promise<void>, wait: number | Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    if (typeof wait === 'number') {
      timer = setTimeout(resolve, wait);
      timer.unref();
    } else {
      void wait.then(resolve, resolve);
    }
    p.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
