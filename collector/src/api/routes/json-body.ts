/** The checks every route with a JSON body runs before its validator: size, content type, well-formed JSON. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Env, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { SightlineError } from '../../errors.js';

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Limits bodies under `path` to `maxBytes` (enforced while the body streams in: a chunked body has
 * no content-length to check) and returns the middleware to put before each JSON route, so each way
 * a body can be wrong gets its own status and field.
 */
export function jsonBodyChecks<E extends Env>(app: OpenAPIHono<E>, path: string, maxBytes: number): MiddlewareHandler<E> {
  app.use(
    path,
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new SightlineError('payload_too_large', `body: over ${maxBytes} bytes`, { field: 'body' });
      },
    }),
  );
  return async (c, next) => {
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
    if (!JSON_TYPE.test(mediaType))
      throw new SightlineError('unsupported_media_type', 'content-type: expected application/json', { field: 'content-type' });
    const text = await c.req.text();
    if (text.trim().length === 0) throw new SightlineError('invalid_parameter', 'body: required (a JSON object)', { field: 'body' });
    try {
      JSON.parse(text);
    } catch {
      throw new SightlineError('invalid_parameter', 'body: malformed JSON', { field: 'body' });
    }
    await next();
  };
}
