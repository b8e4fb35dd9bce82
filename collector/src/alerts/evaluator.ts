/**
 * Evaluates the rules that are due: measure (rollups) → state machine → transitions → notifications.
 * Writes in an order that makes a crash at any point safe to resume:
 *   1. transitions and queued notifications, both with ids derived from (rule, scope, transition seq)
 *      and inserted only if absent;
 *   2. the new states.
 * A crash before 2 re-derives the same transitions from the old states on restart, and step 1 then
 * writes nothing new: no duplicate firing. A state persisted as firing resolves on the first
 * evaluation after a restart whose value is clear: no lost resolution.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertRuleSpec, AlertTransition } from '@sightline/contract';
import type { LeaseGuard } from '../jobs/lease.js';
import type { Logger } from '../logger.js';
import type { DeliveryQueue, Outgoing } from './delivery.js';
import { outgoing } from './delivery.js';
import type { DriftSource } from './drift-source.js';
import { conditionUnit, measure, windowOf } from './measure.js';
import { dashboardLink, formatNumber, type AlertNotification } from './notification.js';
import type { RuleStore, StoredRule } from './rules.js';
import { INITIAL, step, type ScopeState } from './state-machine.js';
import { transitionId, type StateStore } from './states.js';

export interface EvaluatorDeps {
  client: ClickHouseClient;
  rules: RuleStore;
  states: StateStore;
  deliveries: DeliveryQueue;
  dashboardUrl: string;
  logger: Logger;
  /** With several collectors on one database, only the holder of the alerts lease evaluates. */
  lease?: LeaseGuard;
}

export interface EvaluationResult {
  evaluated: string[];
  transitions: AlertTransition[];
  queued: string[];
}

/** A timer may tick a little early; a rule is due when at most this much of its interval remains. */
const DUE_SLACK_MS = 500;

export function describeCondition(spec: AlertRuleSpec): string {
  const c = spec.condition;
  const over = `over ${spec.windowMinutes} min`;
  switch (c.kind) {
    case 'latency':
      return c.mode === 'absolute'
        ? `${c.percentile} latency > ${formatNumber(c.thresholdMs ?? 0)} ms ${over}`
        : `${c.percentile} latency > ${c.factor}× its 7-day baseline at this hour ${over}`;
    case 'error_rate':
      return `error rate > ${c.thresholdPercent}% ${over}`;
    case 'no_data':
      return `no spans for ${spec.windowMinutes} min`;
    case 'drift':
      return c.minSignals === undefined ? 'drift detected' : `drift in ≥ ${c.minSignals} signals`;
    case 'spend':
      return c.mode === 'absolute'
        ? `spend > $${formatNumber(c.thresholdUsd ?? 0)} ${over}`
        : `spend > ${c.factor}× its 7-day baseline at this hour ${over}`;
    case 'session_cost':
      return `${c.percentile} cost per session > $${formatNumber(c.thresholdUsd)} ${over}`;
    case 'score':
      return c.mode === 'absolute'
        ? `mean ${c.name} < ${formatNumber(c.below ?? 0)} ${over}`
        : `mean ${c.name} > ${c.dropPercent}% below its 7-day mean ${over}`;
  }
}

export class AlertEvaluator {
  private drift: DriftSource | undefined;
  /** Rule id → time of its last evaluation; seeded from the stored states after a restart. */
  private readonly lastRun = new Map<string, number>();
  private chain: Promise<unknown> = Promise.resolve();
  /** Earliest time a known rule is due again; lets the scheduler evaluate on time rather than on its coarse tick. */
  private nextDue = 0;

  constructor(private readonly deps: EvaluatorDeps) {}

  nextDueAt(): number {
    return this.nextDue;
  }

  /** A rule was created or edited: evaluate at the next timer tick instead of waiting for the coarse one. */
  wake(): void {
    this.nextDue = 0;
  }

  setDriftSource(source: DriftSource | undefined): void {
    this.drift = source;
  }

  /**
   * Evaluates every rule due at `now` (all of them with `force`). Serialized, so the scheduler's tick
   * and an explicit call (tests, "evaluate now") never interleave.
   */
  evaluateOnce(now = Date.now(), opts: { force?: boolean } = {}): Promise<EvaluationResult> {
    const run = this.chain.then(() => this.evaluate(now, opts.force === true));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Each project with rules in turn: its rules read its data only, and its writes carry its id. */
  private async evaluate(now: number, force: boolean): Promise<EvaluationResult> {
    const result: EvaluationResult = { evaluated: [], transitions: [], queued: [] };
    if (!this.mayAct()) return result;
    let nextDue = Infinity;
    for (const projectId of await this.deps.rules.projects()) {
      const r = await this.evaluateProject(projectId, now, force);
      if (!r) return { evaluated: [], transitions: [], queued: [] }; // the lease was lost: nothing more is written
      result.evaluated.push(...r.evaluated);
      result.transitions.push(...r.transitions);
      result.queued.push(...r.queued);
      nextDue = Math.min(nextDue, r.nextDue);
    }
    this.nextDue = nextDue;
    return result;
  }

  private async evaluateProject(
    projectId: string,
    now: number,
    force: boolean,
  ): Promise<(EvaluationResult & { nextDue: number }) | undefined> {
    const rules = await this.deps.rules.list(projectId);
    const stored = await this.deps.states.load(
      projectId,
      rules.map((r) => r.id),
    );
    const due = rules.filter((r) => {
      const states = stored.get(r.id);
      const last = this.lastRun.get(r.id) ?? Math.max(0, ...[...(states?.values() ?? [])].map((s) => s.lastEvaluatedAt));
      return force || now >= last + r.spec.intervalSeconds * 1000 - DUE_SLACK_MS || now < last;
    });
    const transitions: AlertTransition[] = [];
    const notifications: Outgoing[] = [];
    const nextStates: Array<{ ruleId: string; scopeKey: string; state: ScopeState }> = [];
    for (const rule of due) {
      try {
        const r = await this.evaluateRule(rule, stored.get(rule.id) ?? new Map(), now);
        transitions.push(...r.transitions);
        notifications.push(...r.notifications);
        nextStates.push(...r.states);
      } catch (e) {
        // One broken rule (e.g. a query timeout) must not stop the others.
        this.deps.logger.warn('alert rule evaluation failed', { rule: rule.id, error: e });
      }
    }
    // Checked again before writing: a holder that stalled past its lease during the queries writes nothing.
    if (!this.mayAct()) {
      this.deps.logger.warn('alerts lease lost during evaluation: results dropped', { rules: due.length });
      return undefined;
    }
    await this.deps.states.recordTransitions(projectId, transitions);
    const queued = await this.deps.deliveries.enqueue(projectId, notifications, now);
    await this.deps.states.save(projectId, nextStates);
    for (const rule of due) this.lastRun.set(rule.id, now);
    const nextDue = Math.min(Infinity, ...rules.map((r) => (this.lastRun.get(r.id) ?? now) + r.spec.intervalSeconds * 1000 - DUE_SLACK_MS));
    return { evaluated: due.map((r) => r.id), transitions, queued, nextDue };
  }

  private mayAct(): boolean {
    return this.deps.lease === undefined || this.deps.lease.holds();
  }

  private async evaluateRule(rule: StoredRule, prev: Map<string, ScopeState>, now: number) {
    const { spec } = rule;
    // Scopes that are ok and no longer seen need no further evaluation; the others must reach a verdict.
    const known = [...prev.entries()].filter(([, s]) => s.state === 'pending' || s.state === 'firing').map(([k]) => k);
    const measurements = await measure(this.deps.client, rule.projectId, spec, now, known, this.drift);
    const window = windowOf(spec, now);
    const transitions: AlertTransition[] = [];
    const notifications: Outgoing[] = [];
    const states: Array<{ ruleId: string; scopeKey: string; state: ScopeState }> = [];
    for (const m of measurements) {
      const before = prev.get(m.key) ?? INITIAL;
      const { next, transition } = step(before, m, spec, now);
      states.push({ ruleId: rule.id, scopeKey: m.key, state: next });
      if (!transition) continue;
      const id = transitionId(rule.id, m.key, next.seq);
      transitions.push({
        id,
        ruleId: rule.id,
        ruleName: spec.name,
        scopeKey: m.key,
        from: transition.from,
        to: transition.to,
        at: now,
        value: m.value,
        threshold: m.threshold,
        unit: m.unit,
      });
      const event = transition.to === 'firing' ? 'firing' : transition.to === 'resolved' ? 'resolved' : undefined;
      if (!event || spec.muted) continue;
      spec.channels.forEach((channel, i) => {
        const n = this.notification(rule, event, m.key, m.value, m.threshold, m.unit, now, window, `${id}:${i}`);
        notifications.push(outgoing(n, channel, id));
      });
    }
    return { transitions, notifications, states };
  }

  notification(
    rule: StoredRule,
    event: AlertNotification['event'],
    scopeKey: string,
    value: number | null,
    threshold: number | null,
    unit: string,
    now: number,
    window: { from: number; to: number },
    id: string,
  ): AlertNotification {
    const { spec } = rule;
    const scope = spec.groupBy === 'none' ? spec.scope : { ...spec.scope, [spec.groupBy]: scopeKey };
    return {
      id,
      event,
      rule: { id: rule.id, name: spec.name },
      condition: describeCondition(spec),
      scope,
      scopeKey,
      groupBy: spec.groupBy,
      value: value === null ? null : Math.round(value * 1000) / 1000,
      threshold,
      unit,
      at: now,
      window,
      url: dashboardLink(this.deps.dashboardUrl, scope, window),
    };
  }

  /** A "send test" notification for each channel of a rule, queued like any other. */
  testNotifications(rule: StoredRule, now: number): Outgoing[] {
    const window = windowOf(rule.spec, now);
    const threshold =
      rule.spec.condition.kind === 'latency'
        ? (rule.spec.condition.thresholdMs ?? null)
        : rule.spec.condition.kind === 'error_rate'
          ? rule.spec.condition.thresholdPercent
          : null;
    return rule.spec.channels.map((channel, i) =>
      outgoing(
        this.notification(rule, 'test', '', null, threshold, conditionUnit(rule.spec), now, window, `test:${rule.id}:${now}:${i}`),
        channel,
        '',
      ),
    );
  }
}
