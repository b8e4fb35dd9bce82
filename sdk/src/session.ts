/** The session id lives in the OTel context, so it follows awaits, timers and promise chains. */
import { context, createContextKey, type Context } from '@opentelemetry/api';

const SESSION_KEY = createContextKey('sightline.session.id');

export function getSessionId(ctx: Context = context.active()): string | undefined {
  return ctx.getValue(SESSION_KEY) as string | undefined;
}

export function withSessionId(ctx: Context, id: string): Context {
  return ctx.setValue(SESSION_KEY, id);
}
