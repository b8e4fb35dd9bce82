/**
 * The session credential as one resolver among others (project API keys are another): the
 * `Authorization: Session <token>` header of a dashboard call becomes the signed-in user's
 * Principal. Undefined for any other scheme; a Session token that is unknown, expired, revoked or
 * whose user is disabled resolves to `invalid`, which the caller answers with 401.
 */
import { SESSION_SCHEME } from '@sightline/contract';
import type { Authenticator } from './authenticator.js';
import type { Principal } from './principal.js';

const PREFIX = `${SESSION_SCHEME} `;

/** The token of an `Authorization: Session <token>` header. */
export function sessionTokenOf(authorization: string | undefined): string | undefined {
  return authorization?.startsWith(PREFIX) ? authorization.slice(PREFIX.length).trim() : undefined;
}

export function sessionResolver(auth: Authenticator) {
  return async (authorization: string): Promise<Principal | 'invalid' | undefined> => {
    const token = sessionTokenOf(authorization);
    if (token === undefined) return undefined;
    return (await auth.principalFor(token)) ?? 'invalid';
  };
}
