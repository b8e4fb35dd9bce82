/**
 * Cost per session from the session summaries: the spend summary of a range (overview tiles) and
 * the percentiles of the cost per session that alert rules watch. Sessions are those active in the
 * range (last activity inside it); values travel as parameters, fragments are fixed text.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { CostSummary } from '@sightline/contract';
import { conditions, DAYS_OF_RANGE, select, toNumber, usd } from './common.js';

export interface SessionScope {
  service?: string | undefined;
  agent?: string | undefined;
  environment?: string | undefined;
}

const GROUP_KEY = { none: "''", agent: 'key', service: 'key', environment: 'env' } as const;
export type SessionGroupBy = keyof typeof GROUP_KEY;

function sessionsSql(s: SessionScope): string {
  const having = conditions([
    [true, 'last >= fromUnixTimestamp64Milli({from:Int64}) AND last < fromUnixTimestamp64Milli({to:Int64})'],
    [s.service !== undefined, 'has(services, {service:String})'],
    [s.agent !== undefined, 'has(agents, {agent:String})'],
    [s.environment !== undefined, 'env = {environment:String}'],
  ]);
  return `SELECT session_id, max(t.last_seen) AS last, sum(t.total_cost) AS cost, sum(t.unpriced_calls) AS unpriced,
      sum(t.error_count) AS errors, groupUniqArrayArray(t.agents) AS agents, groupUniqArrayArray(t.services) AS services,
      max(t.environment) AS env
    FROM session_summaries AS t
    WHERE t.project_id = {projectId:String} AND ${DAYS_OF_RANGE}
    GROUP BY session_id
    HAVING ${having}`;
}

const params = (projectId: string, s: SessionScope, from: number, to: number) =>
  Object.fromEntries(Object.entries({ ...s, projectId, from, to }).filter(([, v]) => v !== undefined));

/** Spend, unpriced calls and cost per (successful) session over the sessions active in [from, to). */
export async function costSummary(
  client: ClickHouseClient,
  projectId: string,
  scope: SessionScope,
  from: number,
  to: number,
): Promise<CostSummary> {
  const [r] = await select<{ total: number; unpriced: string; sessions: string; ok: string; ok_cost: number }>(
    client,
    `SELECT sum(cost) AS total, toString(sum(unpriced)) AS unpriced, toString(count()) AS sessions,
       toString(countIf(errors = 0)) AS ok, sumIf(cost, errors = 0) AS ok_cost
     FROM (${sessionsSql(scope)})`,
    params(projectId, scope, from, to),
  );
  const sessions = toNumber(r?.sessions);
  const ok = toNumber(r?.ok);
  return {
    totalUsd: usd(r?.total),
    unpricedCalls: toNumber(r?.unpriced),
    sessions,
    successfulSessions: ok,
    costPerSuccessfulSession: ok > 0 ? usd(r?.ok_cost) / ok : null,
    costPerSession: sessions > 0 ? usd(r?.total) / sessions : null,
  };
}

/** A quantile (0..1) of the cost per session, per group, over the sessions active in [from, to). */
export async function sessionCostQuantile(
  client: ClickHouseClient,
  projectId: string,
  q: { scope: SessionScope; groupBy: SessionGroupBy; quantile: number; from: number; to: number },
): Promise<Array<{ key: string; n: string; value: number }>> {
  // Per agent or service a session counts once for each it ran (array join); per environment once.
  const join = q.groupBy === 'agent' ? 'ARRAY JOIN agents AS key' : q.groupBy === 'service' ? 'ARRAY JOIN services AS key' : '';
  const rows = await select<{ k: string; n: string; value: number }>(
    client,
    `SELECT toString(${GROUP_KEY[q.groupBy]}) AS k, toString(count()) AS n, quantileExact({quantile:Float64})(cost) AS value
     FROM (${sessionsSql(q.scope)}) ${join}
     GROUP BY k`,
    { ...params(projectId, q.scope, q.from, q.to), quantile: q.quantile },
  );
  return rows.map((r) => ({ key: r.k, n: r.n, value: r.value }));
}
