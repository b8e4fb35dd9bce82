/** The stored hourly checks of one agent: effect size per signal and check (the heatmap) and each verdict. */
import type { ClickHouseClient } from '@clickhouse/client';
import type { DriftHistory, DriftStatus } from '@sightline/contract';
import { select } from '../storage/queries/common.js';
import { SCORE_SIGNAL_PREFIX, SIGNALS, signalDef, type SignalDef } from './signals.js';

export async function readHistory(
  client: ClickHouseClient,
  projectId: string,
  agent: string,
  fromMs: number,
  toMs: number,
): Promise<DriftHistory> {
  const params = { projectId, agent, from: fromMs, to: toMs };
  const range = `project_id = {projectId:String} AND agent_name = {agent:String} AND window_end >= fromUnixTimestamp64Milli({from:Int64}) AND window_end < fromUnixTimestamp64Milli({to:Int64})`;
  const [cells, checks] = await Promise.all([
    select<{ signal: string; w: string; status: string; effect: number; ratio: number; p: number; drifted: number }>(
      client,
      `SELECT signal, toUnixTimestamp64Milli(window_end) AS w, argMax(status, checked_at) AS status, argMax(effect, checked_at) AS effect,
         argMax(effect_ratio, checked_at) AS ratio, argMax(adjusted_p, checked_at) AS p, argMax(drifted, checked_at) AS drifted
       FROM drift_signal_results WHERE ${range} GROUP BY signal, window_end ORDER BY signal, window_end`,
      params,
    ),
    select<{ w: string; status: DriftStatus; drifted: string[]; summary: string; n: string }>(
      client,
      `SELECT toUnixTimestamp64Milli(window_end) AS w, argMax(status, checked_at) AS status, argMax(drifted_signals, checked_at) AS drifted,
         argMax(summary, checked_at) AS summary, argMax(current_sessions, checked_at) AS n
       FROM drift_checks WHERE ${range} GROUP BY window_end ORDER BY window_end`,
      params,
    ),
  ]);
  // Score signals exist where a project sends scores: a row for each one the checks tested.
  const scoreDefs = [...new Set(cells.map((c) => c.signal).filter((s) => s.startsWith(SCORE_SIGNAL_PREFIX)))]
    .sort()
    .map((s) => signalDef(s))
    .filter((d): d is SignalDef => d !== undefined);
  return {
    agent,
    signals: [...SIGNALS, ...scoreDefs].map((def) => ({
      signal: def.name,
      label: def.label,
      cells: cells
        .filter((c) => c.signal === def.name)
        .map((c) => ({
          windowEnd: Number(c.w),
          status: c.status,
          effect: Number(c.effect),
          effectRatio: Number(c.ratio),
          pValue: Number(c.p),
          drifted: Number(c.drifted) === 1,
        })),
    })),
    checks: checks.map((c) => ({
      windowEnd: Number(c.w),
      status: c.status,
      driftedSignals: c.drifted,
      summary: c.summary,
      currentSessions: Number(c.n),
    })),
  };
}
