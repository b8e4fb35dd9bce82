/**
 * Stamps the current session on every span that starts inside `session()`, including spans from
 * other instrumentations (HTTP, the Vercel AI SDK, ...). init() installs it on the provider it
 * creates; an app that brings its own provider can add it to its span processors.
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { GEN_AI_CONVERSATION_ID, SESSION_ID } from './semconv.js';
import { getSessionId } from './session.js';

export class SessionSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const id = getSessionId(parentContext);
    // The SDK's own spans already carry it from their start attributes.
    if (id === undefined || span.attributes[SESSION_ID] === id) return;
    span.setAttribute(SESSION_ID, id);
    span.setAttribute(GEN_AI_CONVERSATION_ID, id);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
