/** Maps every failure to `{ error: { code, message, field? } }`, in one place. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { ErrorBody } from '@sightline/contract';
import { ERROR_CODES, SightlineError, invalidParameter, type ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';

export function errorResponse(c: Context, err: SightlineError): Response {
  const body: ErrorBody = { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } };
  if (err.retryAfterSeconds !== undefined) c.header('Retry-After', String(err.retryAfterSeconds));
  return c.json(body, err.status as ContentfulStatusCode);
}

export function handleError(logger: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof SightlineError) return errorResponse(c, err);
    if (err instanceof z.ZodError) return errorResponse(c, invalidParameter(err));
    // The framework's own refusals (validator, media-type gate, body limit) are the client's fault.
    if (err instanceof HTTPException && err.status < 500) return errorResponse(c, fromHttpException(err));
    logger.error('unhandled error in request', { path: c.req.path, error: err });
    return errorResponse(c, new SightlineError('internal', 'internal error'));
  };
}

/** The first code of each status (400 → bad_request). */
const CODE_BY_STATUS = new Map<number, ErrorCode>();
for (const [code, status] of Object.entries(ERROR_CODES)) if (!CODE_BY_STATUS.has(status)) CODE_BY_STATUS.set(status, code as ErrorCode);

function fromHttpException(err: HTTPException): SightlineError {
  return new SightlineError(CODE_BY_STATUS.get(err.status) ?? 'bad_request', err.message || 'bad request');
}
