/**
 * The state of each rule per scope (`alert_states`) and the history of every transition
 * (`alert_transitions`). States are rewritten at every evaluation (one batched insert per tick),
 * so the API shows current values and a restarted collector resumes the counters where they were.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertScopeState, AlertStateName, AlertTransition } from '@sightline/contract';
import { select } from '../storage/queries/common.js';
import { nextRowVersion } from './row-version.js';
import type { ScopeState } from './state-machine.js';

/** Transition ids are derived, not random: re-deriving the same transition after a crash gives the same id. */
export const transitionId = (ruleId: string, scopeKey: string, seq: number): string => `${ruleId}:${seq}:${scopeKey}`;

interface StateRow {
  rule_id: string;
  scope_key: string;
  state: AlertStateName;
  since_ms: string;
  breaches: number | string;
  clears: number | string;
  seq: number | string;
  value: number | null;
  threshold: number | null;
  evaluated_ms: string;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

export class StateStore {
  constructor(private readonly client: ClickHouseClient) {}

  /** Every stored state of the project's given rules (all its rules when absent), by rule id then scope key. */
  async load(projectId: string, ruleIds?: string[]): Promise<Map<string, Map<string, ScopeState>>> {
    const rows = await select<StateRow>(
      this.client,
      `SELECT rule_id, scope_key, state, toUnixTimestamp64Milli(since) AS since_ms, breaches, clears, seq, value, threshold,
              toUnixTimestamp64Milli(last_evaluated_at) AS evaluated_ms
       FROM alert_states FINAL WHERE project_id = {projectId:String} ${ruleIds ? 'AND rule_id IN {ids:Array(String)}' : ''}`,
      ruleIds ? { projectId, ids: ruleIds } : { projectId },
    );
    const out = new Map<string, Map<string, ScopeState>>();
    for (const r of rows) {
      const m = out.get(r.rule_id) ?? new Map<string, ScopeState>();
      m.set(r.scope_key, {
        state: r.state,
        since: Number(r.since_ms),
        breaches: Number(r.breaches),
        clears: Number(r.clears),
        seq: Number(r.seq),
        value: num(r.value),
        threshold: num(r.threshold),
        lastEvaluatedAt: Number(r.evaluated_ms),
      });
      out.set(r.rule_id, m);
    }
    return out;
  }

  async save(projectId: string, states: Array<{ ruleId: string; scopeKey: string; state: ScopeState }>): Promise<void> {
    if (states.length === 0) return;
    await this.client.insert({
      table: 'alert_states',
      format: 'JSONEachRow',
      values: states.map(({ ruleId, scopeKey, state: s }) => ({
        project_id: projectId,
        rule_id: ruleId,
        scope_key: scopeKey,
        version: nextRowVersion(),
        state: s.state,
        since: s.since,
        breaches: s.breaches,
        clears: s.clears,
        seq: s.seq,
        value: s.value,
        threshold: s.threshold,
        last_evaluated_at: s.lastEvaluatedAt,
      })),
    });
  }

  /** Appends transitions not recorded yet: one re-derived after a crash (same id) is not written twice. */
  async recordTransitions(projectId: string, all: AlertTransition[]): Promise<void> {
    if (all.length === 0) return;
    const known = new Set(
      (
        await select<{ id: string }>(
          this.client,
          'SELECT DISTINCT id FROM alert_transitions WHERE project_id = {projectId:String} AND id IN {ids:Array(String)}',
          { projectId, ids: all.map((t) => t.id) },
        )
      ).map((r) => r.id),
    );
    const transitions = all.filter((t) => !known.has(t.id));
    if (transitions.length === 0) return;
    await this.client.insert({
      table: 'alert_transitions',
      format: 'JSONEachRow',
      values: transitions.map((t) => ({
        project_id: projectId,
        id: t.id,
        rule_id: t.ruleId,
        rule_name: t.ruleName,
        scope_key: t.scopeKey,
        from_state: t.from,
        to_state: t.to,
        at: t.at,
        value: t.value,
        threshold: t.threshold,
        unit: t.unit,
      })),
    });
  }

  async history(projectId: string, ruleId: string | undefined, limit: number): Promise<AlertTransition[]> {
    const rows = await select<{
      id: string;
      rule_id: string;
      rule_name: string;
      scope_key: string;
      from_state: AlertStateName;
      to_state: AlertStateName;
      at_ms: string;
      value: number | null;
      threshold: number | null;
      unit: string;
    }>(
      this.client,
      `SELECT id, rule_id, rule_name, scope_key, from_state, to_state, toUnixTimestamp64Milli(at) AS at_ms, value, threshold, unit
       FROM alert_transitions FINAL WHERE project_id = {projectId:String} AND ${ruleId === undefined ? '1' : 'rule_id = {ruleId:String}'}
       ORDER BY at DESC, id DESC LIMIT {limit:UInt32}`,
      { projectId, ruleId, limit },
    );
    return rows.map((r) => ({
      id: r.id,
      ruleId: r.rule_id,
      ruleName: r.rule_name,
      scopeKey: r.scope_key,
      from: r.from_state,
      to: r.to_state,
      at: Number(r.at_ms),
      value: num(r.value),
      threshold: num(r.threshold),
      unit: r.unit,
    }));
  }
}

export function publicState(scopeKey: string, s: ScopeState): AlertScopeState {
  return { scopeKey, state: s.state, since: s.since, value: s.value, threshold: s.threshold, lastEvaluatedAt: s.lastEvaluatedAt };
}
