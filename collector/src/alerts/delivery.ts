/**
 * The delivery log and retry queue. A notification is written as a `pending` row before any attempt;
 * each attempt writes a newer version (delivered, pending with the next attempt time, or failed).
 * A restart therefore resends nothing already delivered and loses nothing still pending
 * (the one unavoidable duplicate is a crash between a receiver's 2xx and our write: receivers can
 * de-duplicate on the `X-Sightline-Delivery` id, which is the same on every attempt).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertChannelInput, AlertDelivery } from '@sightline/contract';
import type { LeaseGuard } from '../jobs/lease.js';
import type { Logger } from '../logger.js';
import { select } from '../storage/queries/common.js';
import type { AlertNotification } from './notification.js';
import { slackBody, slackHeaders } from './notifiers/slack.js';
import { webhookBody, webhookHeaders } from './notifiers/webhook.js';
import { postNotification, TARGET_REFUSED } from './post.js';
import { redactSecretUrl } from './redact.js';
import { nextRowVersion } from './row-version.js';
import type { SecretBox } from './secret-box.js';
import { hostOf, type TargetPolicy } from './targets.js';

export interface RetryPolicy {
  /** Delay before the 2nd attempt; doubles each time up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts before a delivery is marked failed. */
  maxAttempts: number;
  /** Per-attempt HTTP timeout. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 2_000, maxDelayMs: 5 * 60_000, maxAttempts: 12, timeoutMs: 10_000 };

export function backoffMs(attempts: number, p: RetryPolicy): number {
  return Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

interface DeliveryRow {
  project_id: string;
  id: string;
  rule_id: string;
  rule_name: string;
  transition_id: string;
  event: AlertDelivery['event'];
  channel_type: AlertDelivery['channelType'];
  url: string;
  secret: string;
  payload: string;
  status: AlertDelivery['status'];
  attempts: number;
  last_error: string;
  response_status: number;
  next_attempt_at: number;
  created_at: number;
  updated_at: number;
}

const COLUMNS = `project_id, id, rule_id, rule_name, transition_id, event, channel_type, url, secret, payload, status, attempts, last_error, response_status,
  toUnixTimestamp64Milli(next_attempt_at) AS next_ms, toUnixTimestamp64Milli(created_at) AS created_ms, toUnixTimestamp64Milli(updated_at) AS updated_ms`;

type SelectedRow = Omit<DeliveryRow, 'next_attempt_at' | 'created_at' | 'updated_at'> & {
  next_ms: string;
  created_ms: string;
  updated_ms: string;
};

function fromRow({ next_ms, created_ms, updated_ms, ...r }: SelectedRow): DeliveryRow {
  return {
    ...r,
    attempts: Number(r.attempts),
    response_status: Number(r.response_status),
    next_attempt_at: Number(next_ms),
    created_at: Number(created_ms),
    updated_at: Number(updated_ms),
  };
}

function toPublic(r: DeliveryRow): AlertDelivery {
  return {
    id: r.id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    event: r.event,
    channelType: r.channel_type,
    url: r.channel_type === 'slack' ? redactSecretUrl(r.url) : r.url,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    responseStatus: r.response_status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    nextAttemptAt: r.next_attempt_at,
  };
}

/** A notification bound to one channel, ready to be queued. */
export function outgoing(
  n: AlertNotification,
  channel: AlertChannelInput,
  transitionId: string,
): Omit<
  DeliveryRow,
  'project_id' | 'status' | 'attempts' | 'last_error' | 'response_status' | 'next_attempt_at' | 'created_at' | 'updated_at'
> {
  return {
    id: n.id,
    rule_id: n.rule.id,
    rule_name: n.rule.name,
    transition_id: transitionId,
    event: n.event,
    channel_type: channel.type,
    url: channel.url,
    secret: channel.type === 'webhook' ? (channel.secret ?? '') : '',
    payload: channel.type === 'slack' ? slackBody(n) : webhookBody(n),
  };
}

export type Outgoing = ReturnType<typeof outgoing>;

export class DeliveryQueue {
  private chain: Promise<unknown> = Promise.resolve();
  /** Earliest next attempt still pending; 0 = unknown (e.g. rows left pending before a restart), so look. */
  private nextDue = 0;
  /** Bumped by enqueue: a processing run that started before it must not overwrite its nextDue. */
  private enqueued = 0;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly logger: Logger,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
    /** With several collectors on one database, only the holder of the alerts lease sends. */
    private readonly lease: LeaseGuard | undefined,
    /** Where notifications may go. */
    private readonly targets: TargetPolicy,
    /** Seals the Slack URL and signing secret of each stored delivery. */
    private readonly box: SecretBox,
  ) {}

  /** A row as read, its secrets opened (legacy plain values pass through). */
  private opened(r: DeliveryRow): DeliveryRow {
    try {
      return { ...r, url: r.channel_type === 'slack' ? this.box.open(r.url) : r.url, secret: this.box.open(r.secret) };
    } catch {
      // Sealed under another key (SIGHTLINE_SECRET_KEY changed): it cannot be sent, and is not shown.
      return { ...r, url: '', secret: '' };
    }
  }

  /** When the scheduler should call processDue next (Infinity: nothing pending). */
  nextDueAt(): number {
    return this.nextDue;
  }

  /** Another collector may have queued rows (or held the lease until now): look at the next tick. */
  wake(): void {
    this.nextDue = 0;
  }

  /**
   * Queues notifications of the project's rules whose id is not in the log yet (a re-derived
   * transition must not reset a delivered row).
   */
  async enqueue(projectId: string, items: Outgoing[], now = Date.now()): Promise<string[]> {
    if (items.length === 0) return [];
    const existing = new Set(
      (
        await select<{ id: string }>(
          this.client,
          'SELECT DISTINCT id FROM alert_deliveries WHERE project_id = {projectId:String} AND id IN {ids:Array(String)}',
          { projectId, ids: items.map((i) => i.id) },
        )
      ).map((r) => r.id),
    );
    const fresh = items.filter((i) => !existing.has(i.id));
    if (fresh.length > 0) {
      this.enqueued += 1;
      this.nextDue = Math.min(this.nextDue, now);
    }
    await this.write(
      fresh.map((i) => ({
        ...i,
        project_id: projectId,
        status: 'pending',
        attempts: 0,
        last_error: '',
        response_status: 0,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })),
    );
    return fresh.map((i) => i.id);
  }

  /**
   * Attempts every pending delivery that is due, of every project: sending is one queue for the
   * instance (each row keeps its project, and every read for a caller filters on it). Serialized: a timer tick and an explicit call never
   * send the same row twice. Returns the earliest next attempt time still pending, if any.
   */
  processDue(now = Date.now()): Promise<number | undefined> {
    const run = this.chain.then(() => this.process(now));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async process(now: number): Promise<number | undefined> {
    if (this.lease && !this.lease.holds()) return undefined;
    const enqueuedBefore = this.enqueued;
    const due = (
      await select<SelectedRow>(
        this.client,
        `SELECT ${COLUMNS} FROM alert_deliveries FINAL WHERE status = 'pending' AND next_attempt_at <= fromUnixTimestamp64Milli({now:Int64})
         ORDER BY created_at LIMIT 100`,
        { now },
      )
    ).map((r) => this.opened(fromRow(r)));
    for (const d of due) {
      // Checked before each send, by the holder's clock: one that stalled past its lease sends nothing
      // more, and an attempt starts only if it can end (timeout) before another collector may take over.
      if (this.lease && !this.lease.holds(this.policy.timeoutMs)) return undefined;
      await this.write([await this.attempt(d, now)]);
    }
    const [next] = await select<{ t: string | null }>(
      this.client,
      `SELECT toUnixTimestamp64Milli(min(next_attempt_at)) AS t FROM alert_deliveries FINAL WHERE status = 'pending'`,
      {},
    );
    const t = next?.t === null || next?.t === undefined || Number(next.t) === 0 ? undefined : Number(next.t);
    this.nextDue = this.enqueued === enqueuedBefore ? (t ?? Infinity) : Math.min(this.nextDue, t ?? Infinity);
    return t;
  }

  private async attempt(d: DeliveryRow, now: number): Promise<DeliveryRow> {
    const headers = d.channel_type === 'slack' ? slackHeaders() : webhookHeaders(d.id, d.payload, d.secret || undefined, Date.now());
    const attempts = d.attempts + 1;
    let status = 0;
    let error = '';
    try {
      status = await postNotification(d.url, headers, d.payload, this.targets, this.policy.timeoutMs);
      if (status >= 200 && status < 300)
        return { ...d, status: 'delivered', attempts, last_error: '', response_status: status, updated_at: now };
      error = `HTTP ${status}`;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      error = typeof code === 'string' ? code : e instanceof Error ? e.name : 'error';
    }
    // A 4xx other than 408/429 will not get better by retrying (bad URL, revoked Slack hook).
    // A refused target stays refused (and its answer must not vary with what listens there); a
    // redirect is never followed (it could lead anywhere), so it fails like a bad URL.
    const permanent = error === TARGET_REFUSED || (status >= 300 && status < 500 && status !== 408 && status !== 429);
    const exhausted = attempts >= this.policy.maxAttempts;
    if (permanent || exhausted) {
      // The host only: a Slack URL's path is a bearer secret.
      this.logger.warn('alert notification failed', { id: d.id, host: hostOf(d.url), attempts, error });
      return { ...d, status: 'failed', attempts, last_error: error, response_status: status, updated_at: now };
    }
    return {
      ...d,
      attempts,
      last_error: error,
      response_status: status,
      next_attempt_at: now + backoffMs(attempts, this.policy),
      updated_at: now,
    };
  }

  async list(projectId: string, ruleId: string | undefined, limit: number): Promise<AlertDelivery[]> {
    const rows = await select<SelectedRow>(
      this.client,
      `SELECT ${COLUMNS} FROM alert_deliveries FINAL
       WHERE project_id = {projectId:String} AND ${ruleId === undefined ? '1' : 'rule_id = {ruleId:String}'}
       ORDER BY created_at DESC, id DESC LIMIT {limit:UInt32}`,
      { projectId, ruleId, limit },
    );
    return rows.map((r) => toPublic(this.opened(fromRow(r))));
  }

  async byIds(projectId: string, ids: string[]): Promise<AlertDelivery[]> {
    if (ids.length === 0) return [];
    const rows = await select<SelectedRow>(
      this.client,
      `SELECT ${COLUMNS} FROM alert_deliveries FINAL WHERE project_id = {projectId:String} AND id IN {ids:Array(String)} ORDER BY id`,
      { projectId, ids },
    );
    return rows.map((r) => toPublic(this.opened(fromRow(r))));
  }

  private async write(rows: DeliveryRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.insert({
      table: 'alert_deliveries',
      format: 'JSONEachRow',
      values: rows.map((r) => ({
        ...r,
        url: r.channel_type === 'slack' ? this.box.seal(r.url) : r.url,
        secret: this.box.seal(r.secret),
        version: nextRowVersion(),
      })),
    });
  }
}
