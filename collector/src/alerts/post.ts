/**
 * One notification POST, through node:http(s) rather than fetch so that the connection uses the
 * addresses the target policy checked (its `lookup`), and so that no redirect is ever followed.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SightlineError } from '../errors.js';
import type { TargetPolicy } from './targets.js';

/** The error text stored for a refused target: the same whatever the port, so nothing is probed. */
export const TARGET_REFUSED = 'TARGET_REFUSED';

/** Resolves with the response status; rejects with an error whose `code` names the failure. */
export function postNotification(
  url: string,
  headers: Record<string, string>,
  body: string,
  policy: TargetPolicy,
  timeoutMs: number,
): Promise<number> {
  try {
    policy.checkUrl(url, 'url');
  } catch (e) {
    if (e instanceof SightlineError) return Promise.reject(Object.assign(new Error('target refused'), { code: TARGET_REFUSED }));
    throw e;
  }
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: policy.pinnedLookup(),
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res: IncomingMessage) => {
        res.resume(); // drain: the body is not used
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
