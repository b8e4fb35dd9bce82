/**
 * The collector's one error type. Each code has a fixed HTTP status; `api/error-handler.ts`
 * maps every SightlineError to `{ error: { code, message, field? } }` in one place.
 */
import type { z } from 'zod';

export const ERROR_CODES = {
  bad_request: 400,
  invalid_parameter: 400,
  undecodable_body: 400,
  /** No credentials where they are required, or credentials that are unknown, revoked or expired. */
  unauthorized: 401,
  /** Credentials that do not allow this in this project. */
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  overloaded: 429,
  /** The project sent more spans than its quota allows per minute (Retry-After says when it may again). */
  quota_exceeded: 429,
  too_many_attempts: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class SightlineError extends Error {
  override name = 'SightlineError';
  readonly status: (typeof ERROR_CODES)[ErrorCode];

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { field?: string; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.status = ERROR_CODES[code];
  }

  get field(): string | undefined {
    return this.extra.field;
  }

  get retryAfterSeconds(): number | undefined {
    return this.extra.retryAfterSeconds;
  }
}

/** A zod failure on input (a request, a stored rule) becomes `invalid_parameter` naming the first offending field. */
export function invalidParameter(error: z.ZodError): SightlineError {
  const issue = telling(error.issues[0]);
  const field = issue?.path.map(String).join('.') || undefined;
  const message = issue ? `${field ?? 'request'}: ${issue.message}` : 'invalid request';
  return new SightlineError('invalid_parameter', message, field ? { field } : {});
}

type Issue = z.core.$ZodIssue;

/**
 * For a value that matched no branch of a union, the issue of the branch it came closest to (its
 * first issue deepest in the value, then the fewest issues: `{ "source": "robot", … }` is a bad
 * score, not a bad batch; `{ "scores": [{ "name": 5 }] }` a bad batch), with its full path.
 */
function telling(issue: Issue | undefined): Issue | undefined {
  if (issue?.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const depth = (issues: Issue[]) => issues[0]?.path.length ?? 0;
  const closest = issue.errors.reduce((a, b) => (depth(b) > depth(a) || (depth(b) === depth(a) && b.length < a.length) ? b : a));
  const inner = telling(closest[0]);
  return inner ? { ...inner, path: [...issue.path, ...inner.path] } : issue;
}
