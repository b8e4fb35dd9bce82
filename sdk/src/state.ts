/**
 * The SDK's process-wide state. Kept on globalThis (like @opentelemetry/api's own registry) so
 * that an app which loads both the ESM and the CJS build still has one configuration.
 */
import { trace, type Tracer } from '@opentelemetry/api';
import { consoleLogger, DEFAULT_MAX_CONTENT_LENGTH, type Logger } from './config.js';
import type { Redactor } from './redact.js';
import { SCOPE_NAME } from './semconv.js';
import { VERSION } from './version.js';

export interface SdkState {
  tracer: Tracer;
  captureContent: boolean;
  maxContentLength: number;
  redact: Redactor | undefined;
  clock: (() => number) | undefined;
  logger: Logger;
}

const KEY = Symbol.for('sightline.sdk.state');

/** Before init(): spans go to whatever provider the app registered (or nowhere), content off. */
export function defaultState(): SdkState {
  return {
    tracer: trace.getTracer(SCOPE_NAME, VERSION),
    captureContent: false,
    maxContentLength: DEFAULT_MAX_CONTENT_LENGTH,
    redact: undefined,
    clock: undefined,
    logger: consoleLogger,
  };
}

const holder = globalThis as unknown as { [KEY]?: SdkState };

export function state(): SdkState {
  return (holder[KEY] ??= defaultState());
}

export function setState(next: SdkState): void {
  holder[KEY] = next;
}
