/**
 * Generic webhook: the notification as JSON, signed with HMAC-SHA256 of the exact body bytes.
 * Headers: `X-Sightline-Signature: sha256=<hex>`, `X-Sightline-Timestamp: <unix seconds of this attempt>`,
 * `X-Sightline-Delivery: <notification id>` (the same on every retry, for de-duplication).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { summary, type AlertNotification } from '../notification.js';

export const SIGNATURE_HEADER = 'x-sightline-signature';
export const TIMESTAMP_HEADER = 'x-sightline-timestamp';
export const DELIVERY_HEADER = 'x-sightline-delivery';

export function webhookBody(n: AlertNotification): string {
  return JSON.stringify({
    id: n.id,
    type: `alert.${n.event}`,
    rule: n.rule,
    condition: n.condition,
    scope: n.scope,
    scopeKey: n.scopeKey,
    value: n.value,
    threshold: n.threshold,
    unit: n.unit,
    at: new Date(n.at).toISOString(),
    window: { from: new Date(n.window.from).toISOString(), to: new Date(n.window.to).toISOString() },
    url: n.url,
    summary: summary(n),
  });
}

export function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** For receivers (and our tests): constant-time check of a signature header against the body. */
export function verifySignature(body: string, header: string | undefined, secret: string): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function webhookHeaders(id: string, body: string, secret: string | undefined, now: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'sightline-alerts',
    [DELIVERY_HEADER]: id,
    [TIMESTAMP_HEADER]: String(Math.floor(now / 1000)),
    ...(secret ? { [SIGNATURE_HEADER]: sign(body, secret) } : {}),
  };
}
