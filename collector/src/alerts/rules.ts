/**
 * Alert rules: validated with the API contract's zod schema, stored in ClickHouse (`alert_rules`)
 * as the spec's JSON so a restart finds them unchanged. Edits and deletes are newer versions.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { AlertRuleInput, type AlertChannel, type AlertRuleSpec } from '@sightline/contract';
import { SightlineError, invalidParameter } from '../errors.js';
import { select } from '../storage/queries/common.js';
import { nextRowVersion } from './row-version.js';
import { redactSecretUrl } from './redact.js';
import type { SecretBox } from './secret-box.js';
import { TargetPolicy } from './targets.js';

export interface StoredRule {
  id: string;
  /** The project the rule watches: it reads that project's rollups and drift verdicts only. */
  projectId: string;
  /** The full spec, channel secrets included: never send it to a client as is (see `publicChannels`). */
  spec: AlertRuleSpec;
  createdAt: number;
  updatedAt: number;
}

/** Parses a request body into a spec; a failure is a 400 naming the field (e.g. `condition.thresholdMs`). */
export function parseRuleInput(body: unknown): AlertRuleSpec {
  const parsed = AlertRuleInput.safeParse(body);
  if (!parsed.success) throw invalidParameter(parsed.error);
  return parsed.data;
}

/** Channels as clients see them: a Slack URL is a bearer secret, so only its origin is shown. */
export function publicChannels(spec: AlertRuleSpec): AlertChannel[] {
  return spec.channels.map((c) => ({
    type: c.type,
    url: c.type === 'slack' ? redactSecretUrl(c.url) : c.url,
    hasSecret: c.type === 'webhook' && c.secret !== undefined,
  }));
}

interface RuleRow {
  project_id: string;
  id: string;
  spec: string;
  created_ms: string;
  updated_ms: string;
}

function fromRow(r: RuleRow, spec: AlertRuleSpec): StoredRule {
  return { id: r.id, projectId: r.project_id, spec, createdAt: Number(r.created_ms), updatedAt: Number(r.updated_ms) };
}

export class RuleStore {
  constructor(
    private readonly client: ClickHouseClient,
    /** Where channels may point; the default refuses every internal address. */
    private readonly targets: TargetPolicy,
    /** Seals channel secrets in the stored spec. */
    private readonly box: SecretBox,
  ) {}

  /** The spec as stored: Slack URLs and signing secrets sealed. */
  private sealed(spec: AlertRuleSpec): AlertRuleSpec {
    const channels = spec.channels.map((c) =>
      c.type === 'slack' ? { ...c, url: this.box.seal(c.url) } : c.secret === undefined ? c : { ...c, secret: this.box.seal(c.secret) },
    );
    return { ...spec, channels };
  }

  /** A stored spec as JSON, opened (legacy plain values pass through) before it is validated. */
  private opened(json: string): unknown {
    const raw = JSON.parse(json) as { channels?: Array<{ type?: string; url?: unknown; secret?: unknown }> };
    if (!Array.isArray(raw.channels)) return raw;
    const channels = raw.channels.map((c) => ({
      ...c,
      ...(c.type === 'slack' && typeof c.url === 'string' ? { url: this.box.open(c.url) } : {}),
      ...(typeof c.secret === 'string' ? { secret: this.box.open(c.secret) } : {}),
    }));
    return { ...raw, channels };
  }

  /** A rule whose channel points at an internal address is refused before it is stored (400 naming the channel). */
  private checkTargets(spec: AlertRuleSpec): void {
    spec.channels.forEach((c, i) => this.targets.checkUrl(c.url, `channels.${i}.url`));
  }

  /** The projects that have at least one rule: the evaluator runs once for each. */
  async projects(): Promise<string[]> {
    const rows = await select<{ p: string }>(
      this.client,
      `SELECT DISTINCT toString(project_id) AS p FROM alert_rules FINAL WHERE deleted = 0 ORDER BY p`,
      {},
    );
    return rows.map((r) => r.p);
  }

  async list(projectId: string): Promise<StoredRule[]> {
    const rows = await select<RuleRow>(
      this.client,
      `SELECT project_id, id, spec, toUnixTimestamp64Milli(created_at) AS created_ms, toUnixTimestamp64Milli(updated_at) AS updated_ms
       FROM alert_rules FINAL WHERE project_id = {projectId:String} AND deleted = 0 ORDER BY created_ms, id`,
      { projectId },
    );
    return rows.flatMap((r) => {
      // A spec written by an older collector that no longer parses is skipped, not fatal to the others.
      const spec = AlertRuleInput.safeParse(this.opened(r.spec));
      return spec.success ? [fromRow(r, spec.data)] : [];
    });
  }

  /** A rule of the project; another project's rule is "not found", exactly as a missing one. */
  async get(projectId: string, id: string): Promise<StoredRule> {
    const rows = await select<RuleRow>(
      this.client,
      `SELECT project_id, id, spec, toUnixTimestamp64Milli(created_at) AS created_ms, toUnixTimestamp64Milli(updated_at) AS updated_ms
       FROM alert_rules FINAL WHERE project_id = {projectId:String} AND id = {id:String} AND deleted = 0`,
      { projectId, id },
    );
    const r = rows[0];
    if (!r) throw new SightlineError('not_found', `no alert rule ${id}`, { field: 'id' });
    return fromRow(r, AlertRuleInput.parse(this.opened(r.spec)));
  }

  async create(projectId: string, spec: AlertRuleSpec, now = Date.now()): Promise<StoredRule> {
    this.checkTargets(spec);
    const rule = { id: randomUUID(), projectId, spec, createdAt: now, updatedAt: now };
    await this.write(rule, false);
    return rule;
  }

  /** Replaces the spec. A webhook channel sent without a secret keeps the secret stored for the same URL. */
  async update(projectId: string, id: string, spec: AlertRuleSpec, now = Date.now()): Promise<StoredRule> {
    this.checkTargets(spec);
    const current = await this.get(projectId, id);
    const channels = spec.channels.map((c) => {
      // A Slack URL sent back as shown (redacted) keeps the stored one it stands for.
      if (c.type === 'slack') {
        const old = current.spec.channels.find((o) => o.type === 'slack' && redactSecretUrl(o.url) === c.url);
        return old ? { ...c, url: old.url } : c;
      }
      if (c.secret !== undefined) return c;
      const old = current.spec.channels.find((o) => o.type === 'webhook' && o.url === c.url);
      return old?.type === 'webhook' && old.secret !== undefined ? { ...c, secret: old.secret } : c;
    });
    const rule = { ...current, spec: { ...spec, channels }, updatedAt: now };
    await this.write(rule, false);
    return rule;
  }

  async setMuted(projectId: string, id: string, muted: boolean, now = Date.now()): Promise<StoredRule> {
    const current = await this.get(projectId, id);
    const rule = { ...current, spec: { ...current.spec, muted }, updatedAt: now };
    await this.write(rule, false);
    return rule;
  }

  async delete(projectId: string, id: string, now = Date.now()): Promise<void> {
    const current = await this.get(projectId, id);
    await this.write({ ...current, updatedAt: now }, true);
  }

  private async write(rule: StoredRule, deleted: boolean): Promise<void> {
    await this.client.insert({
      table: 'alert_rules',
      format: 'JSONEachRow',
      values: [
        {
          project_id: rule.projectId,
          id: rule.id,
          version: nextRowVersion(),
          deleted: deleted ? 1 : 0,
          name: rule.spec.name,
          spec: JSON.stringify(this.sealed(rule.spec)),
          muted: rule.spec.muted ? 1 : 0,
          created_at: rule.createdAt,
          updated_at: rule.updatedAt,
        },
      ],
    });
  }
}
