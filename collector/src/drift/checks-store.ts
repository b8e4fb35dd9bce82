/** Stored drift checks: written by each check, read by alerting (latest verdict) and the dashboard. */
import type { ClickHouseClient } from '@clickhouse/client';
import type { DriftReport, DriftStatus } from '@sightline/contract';
import { select } from '../storage/queries/common.js';

/** What alerting reads: the latest stored verdict of an agent. */
export interface DriftVerdict {
  agent: string;
  status: DriftStatus;
  /** End of the checked window, epoch ms. */
  windowEnd: number;
  checkedAt: number;
  driftedSignals: string[];
  summary: string;
  currentSessions: number;
  baselineSessions: number;
}

/** Stores the verdicts of a check and their per-signal results (the heatmap's cells). */
export async function storeChecks(client: ClickHouseClient, projectId: string, reports: DriftReport[]): Promise<void> {
  if (reports.length === 0) return;
  await client.insert({
    table: 'drift_checks',
    format: 'JSONEachRow',
    values: reports.map((r) => ({
      project_id: projectId,
      agent_name: r.agent,
      window_end: String(r.windowEnd),
      status: r.status,
      drifted_signals: r.driftedSignals,
      current_sessions: r.current.sessions,
      baseline_sessions: r.baseline.sessions,
      summary: r.summary,
      report: JSON.stringify(r),
    })),
  });
  await client.insert({
    table: 'drift_signal_results',
    format: 'JSONEachRow',
    values: reports.flatMap((r) =>
      r.signals.map((s) => ({
        project_id: projectId,
        agent_name: r.agent,
        signal: s.signal,
        window_end: String(r.windowEnd),
        status: s.status,
        effect: s.effect,
        effect_ratio: s.effectRatio,
        p_value: s.pValue,
        adjusted_p: s.adjustedP,
        drifted: s.drifted ? 1 : 0,
        current_n: s.currentN,
        baseline_n: s.baselineN,
      })),
    ),
  });
}

/** The latest stored verdict of an agent (what alerting reads). */
export async function readLatestVerdict(client: ClickHouseClient, projectId: string, agent: string): Promise<DriftVerdict | undefined> {
  const [row] = await select<{
    agent_name: string;
    status: DriftStatus;
    window_end: string;
    checked_at: string;
    drifted_signals: string[];
    summary: string;
    current_sessions: string;
    baseline_sessions: string;
  }>(
    client,
    `SELECT agent_name, status, toUnixTimestamp64Milli(window_end) AS window_end, toUnixTimestamp64Milli(checked_at) AS checked_at,
       drifted_signals, summary, current_sessions, baseline_sessions
     FROM drift_checks WHERE project_id = {projectId:String} AND agent_name = {agent:String}
     ORDER BY window_end DESC, checked_at DESC LIMIT 1`,
    { projectId, agent },
  );
  if (!row) return undefined;
  return {
    agent: row.agent_name,
    status: row.status,
    windowEnd: Number(row.window_end),
    checkedAt: Number(row.checked_at),
    driftedSignals: row.drifted_signals,
    summary: row.summary,
    currentSessions: Number(row.current_sessions),
    baselineSessions: Number(row.baseline_sessions),
  };
}

/** The stored report of the latest check of an agent. */
export async function readLatestReport(client: ClickHouseClient, projectId: string, agent: string): Promise<DriftReport | undefined> {
  const [row] = await select<{ report: string }>(
    client,
    `SELECT report FROM drift_checks WHERE project_id = {projectId:String} AND agent_name = {agent:String}
     ORDER BY window_end DESC, checked_at DESC LIMIT 1`,
    { projectId, agent },
  );
  return row ? (JSON.parse(row.report) as DriftReport) : undefined;
}
