/**
 * The drift engine: keeps the per-session signal table current, runs checks (scheduled or on
 * demand), stores each verdict, and answers reports, release comparisons and history.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type {
  DriftAgents,
  DriftCompareQuery,
  DriftFreshness,
  DriftHistory,
  DriftReport,
  DriftReportAnswer,
  DriftReportQuery,
  DriftStatus,
  DriftThresholds,
} from '@sightline/contract';
import { SightlineError } from '../errors.js';
import type { Logger } from '../logger.js';
import { select } from '../storage/queries/common.js';
import { DEFAULT_THRESHOLDS, detect } from './detector.js';
import { readHistory } from './history.js';
import { catchUp } from './catch-up.js';
import { CatchUpRunner } from './catch-up-runner.js';
import { HOUR_MS } from './materialize.js';
import { pickExamples } from './examples.js';
import { readLatestReport, readLatestVerdict, storeChecks, type DriftVerdict } from './checks-store.js';
import { agentsWithSessions, aggregate, projectsWithSessions, type AgentAggregates, type Comparison } from './queries.js';
import { signalDef } from './signals.js';

export interface DriftOptions {
  /** Length of the current window of a check. */
  windowMs: number;
  /** Length of the trailing baseline before the current window. */
  baselineMs: number;
  /** How long after a session starts its spans are still awaited before it is summarised. */
  tailMs: number;
  thresholds: DriftThresholds;
  /** API calls start a background catch-up at most this often (ms, by their clock). */
  refreshMs: number;
}

export const DEFAULT_DRIFT_OPTIONS: DriftOptions = {
  windowMs: 2 * HOUR_MS,
  baselineMs: 7 * 24 * HOUR_MS,
  tailMs: 10 * 60_000,
  thresholds: DEFAULT_THRESHOLDS,
  refreshMs: 5_000,
};

export type { DriftVerdict } from './checks-store.js';

export interface DriftSource {
  latestVerdict(projectId: string, agent: string): Promise<DriftVerdict | undefined>;
}

const DEFAULT_COMPARE_RANGE_MS = 30 * 24 * HOUR_MS;
/** Hours a check catches up on after a pause (a collector that was down, history just backfilled). */
const DEFAULT_MAX_BACKFILL = 24;

/**
 * The UTC hours of day a window covers, or undefined for a day or more. A trailing baseline is
 * restricted to the same hours: agents behave differently by day and by night (longer sessions,
 * other requests), and comparing an afternoon with whole days would call that rhythm drift.
 */
export function hoursOfDay(from: number, to: number): number[] | undefined {
  if (to - from >= 24 * HOUR_MS) return undefined;
  const hours = new Set<number>();
  for (let h = Math.floor(from / HOUR_MS) * HOUR_MS; h < to; h += HOUR_MS) hours.add(new Date(h).getUTCHours());
  return [...hours].sort((a, b) => a - b);
}

export class DriftEngine implements DriftSource {
  readonly options: DriftOptions;
  private readonly runner: CatchUpRunner;
  /** Whether this process may write summaries now (the drift lease's holder); always, when unset. */
  private mayCatchUp: () => boolean = () => true;

  constructor(
    private readonly client: ClickHouseClient,
    options: Partial<DriftOptions> = {},
    private readonly logger?: Logger,
  ) {
    this.options = { ...DEFAULT_DRIFT_OPTIONS, ...options, thresholds: { ...DEFAULT_THRESHOLDS, ...options.thresholds } };
    this.runner = new CatchUpRunner(client, logger);
  }

  /** Summarises every session that can be complete by `nowMs` (it started at least tailMs ago), and waits. */
  materialize(nowMs = Date.now()): Promise<number> {
    return this.runner.run(() => this.catchUpTo(nowMs));
  }

  /** Resolves once no catch-up (awaited or in the background) is queued or running. */
  caughtUp(): Promise<void> {
    return this.runner.idle();
  }

  /**
   * What an API call answers from: starts a background catch-up (at most every refreshMs) and
   * says how fresh the materialized sessions are, without waiting for it.
   */
  private async fresh(nowMs: number): Promise<DriftFreshness> {
    // A standby answers from what the lease holder materialized: two writers would swap days twice.
    if (this.mayCatchUp()) this.runner.kick(() => this.catchUpTo(nowMs), nowMs, this.options.refreshMs);
    return this.runner.freshness();
  }

  /** Background catch-ups started by API calls run only while `allowed()` (the drift lease is held). */
  gateCatchUps(allowed: () => boolean): void {
    this.mayCatchUp = allowed;
  }

  private async catchUpTo(nowMs: number): Promise<number> {
    const { windowMs, baselineMs, tailMs } = this.options;
    const until = Math.floor((nowMs - tailMs) / 60_000) * 60_000;
    // Older sessions are never compared (baseline + window), except by explicit ranges within retention.
    const r = await catchUp(this.client, until, nowMs - Math.max(baselineMs + windowMs, 31 * 24 * HOUR_MS), { tailMs });
    if (r.replacedDays > 0) this.logger?.info('drift catch-up recomputed days with late spans', { days: r.replacedDays });
    return r.until;
  }

  /**
   * The scheduled check of one project: every agent with sessions in the trailing baseline + window
   * ending at `windowEnd`, in one set of queries, each verdict stored. Call materialize() first.
   */
  async checkAll(projectId: string, windowEnd: number): Promise<DriftReport[]> {
    const { windowMs, baselineMs } = this.options;
    const cmp: Comparison = {
      current: { from: windowEnd - windowMs, to: windowEnd },
      baseline: {
        from: windowEnd - windowMs - baselineMs,
        to: windowEnd - windowMs,
        hoursOfDay: hoursOfDay(windowEnd - windowMs, windowEnd),
      },
    };
    const agents = await agentsWithSessions(this.client, projectId, cmp.baseline.from, windowEnd);
    if (agents.length === 0) return [];
    const aggs = await aggregate(this.client, projectId, agents, cmp);
    const reports: DriftReport[] = [];
    for (const agent of agents) {
      // Example sessions cost a query each: only for verdicts someone will read.
      const report = await this.build(
        projectId,
        agent,
        aggs.get(agent)!,
        cmp,
        'trailing',
        windowEnd,
        undefined,
        (r) => r.status === 'drift',
      );
      reports.push(report);
    }
    await this.store(projectId, reports);
    return reports;
  }

  /**
   * Runs every hourly check that is due, in every project with sessions: the hours after the
   * project's last stored check (at most `maxBackfill`, so a collector that was down, or history
   * just backfilled, gets its heatmap), or the last `recheckHours` hours again when asked (late
   * data). The sessions are materialized once for all projects. Returns the newest reports.
   */
  async checkDue(
    nowMs = Date.now(),
    opts: { recheckHours?: number; maxBackfill?: number } = {},
  ): Promise<{ windowEnd: number; reports: Array<DriftReport & { projectId: string }> }> {
    await this.materialize(nowMs);
    const last = this.lastCheckable(nowMs);
    const hours = Math.max(opts.maxBackfill ?? DEFAULT_MAX_BACKFILL, opts.recheckHours ?? 0);
    const { windowMs, baselineMs } = this.options;
    const projects = await projectsWithSessions(this.client, last - (hours - 1) * HOUR_MS - windowMs - baselineMs, last);
    const reports: Array<DriftReport & { projectId: string }> = [];
    for (const projectId of projects) {
      for (const r of await this.checkProject(projectId, last, opts)) reports.push({ ...r, projectId });
    }
    return { windowEnd: last, reports };
  }

  /** The due checks of one project (the API's "check now"): as checkDue, for that project only. */
  async checkDueFor(
    projectId: string,
    nowMs = Date.now(),
    opts: { recheckHours?: number; maxBackfill?: number } = {},
  ): Promise<{ windowEnd: number; reports: DriftReport[] }> {
    await this.materialize(nowMs);
    const last = this.lastCheckable(nowMs);
    return { windowEnd: last, reports: await this.checkProject(projectId, last, opts) };
  }

  /** The end of the newest hour whose sessions had tailMs to arrive. */
  private lastCheckable(nowMs: number): number {
    return Math.floor((nowMs - this.options.tailMs) / HOUR_MS) * HOUR_MS;
  }

  private async checkProject(
    projectId: string,
    last: number,
    opts: { recheckHours?: number; maxBackfill?: number },
  ): Promise<DriftReport[]> {
    const [row] = await select<{ w: string; n: string }>(
      this.client,
      `SELECT toUnixTimestamp64Milli(max(window_end)) AS w, count() AS n FROM drift_checks WHERE project_id = {projectId:String}`,
      { projectId },
    );
    const stored = row && Number(row.n) > 0 ? Number(row.w) : undefined;
    const maxBackfill = opts.maxBackfill ?? DEFAULT_MAX_BACKFILL;
    let first = stored === undefined ? last - (maxBackfill - 1) * HOUR_MS : Math.max(stored + HOUR_MS, last - (maxBackfill - 1) * HOUR_MS);
    if (opts.recheckHours !== undefined) first = Math.min(first, last - (opts.recheckHours - 1) * HOUR_MS);
    let reports: DriftReport[] = [];
    for (let w = first; w <= last; w += HOUR_MS) reports = await this.checkAll(projectId, w);
    return reports;
  }

  /** An on-demand report for one agent, with examples for the chosen (or most drifted) signal. */
  async report(projectId: string, q: DriftReportQuery, nowMs = Date.now()): Promise<DriftReportAnswer> {
    const { windowMs, baselineMs, tailMs } = this.options;
    const freshness = await this.fresh(nowMs);
    const to = q.to ?? Math.min(freshness.materializedUntil ?? nowMs - tailMs, nowMs - tailMs);
    const from = q.from ?? to - windowMs;
    if (from >= to) throw new SightlineError('invalid_parameter', 'from must be before to', { field: 'from' });
    const mode =
      q.baselineRelease !== undefined ? 'release' : q.baselineFrom !== undefined || q.baselineTo !== undefined ? 'range' : 'trailing';
    const cmp: Comparison = {
      current: { from, to, release: q.currentRelease },
      baseline:
        mode === 'release'
          ? { from: q.baselineFrom ?? to - DEFAULT_COMPARE_RANGE_MS, to: q.baselineTo ?? to, release: q.baselineRelease }
          : mode === 'range'
            ? { from: q.baselineFrom ?? from - baselineMs, to: q.baselineTo ?? from }
            : { from: from - baselineMs, to: from, hoursOfDay: hoursOfDay(from, to) },
      environment: q.environment,
    };
    if (cmp.baseline.from >= cmp.baseline.to)
      throw new SightlineError('invalid_parameter', 'baselineFrom must be before baselineTo', { field: 'baselineFrom' });
    const agg = (await aggregate(this.client, projectId, [q.agent], cmp)).get(q.agent)!;
    return { ...(await this.build(projectId, q.agent, agg, cmp, mode, to, q.signal, () => true)), freshness };
  }

  /** Release A (baseline) against release B (current), or range A against range B. */
  async compare(projectId: string, q: DriftCompareQuery, nowMs = Date.now()): Promise<DriftReportAnswer> {
    const freshness = await this.fresh(nowMs);
    const until = freshness.materializedUntil ?? nowMs - this.options.tailMs;
    const byRelease = q.releaseA !== undefined || q.releaseB !== undefined;
    if (byRelease && (q.releaseA === undefined || q.releaseB === undefined)) {
      throw new SightlineError('invalid_parameter', 'give both releaseA and releaseB', {
        field: q.releaseA === undefined ? 'releaseA' : 'releaseB',
      });
    }
    let cmp: Comparison;
    if (byRelease) {
      const from = q.fromA ?? until - DEFAULT_COMPARE_RANGE_MS;
      const to = q.toB ?? until;
      cmp = { baseline: { from, to, release: q.releaseA }, current: { from, to, release: q.releaseB }, environment: q.environment };
    } else {
      if (q.fromA === undefined || q.toA === undefined || q.fromB === undefined || q.toB === undefined) {
        throw new SightlineError('invalid_parameter', 'give releaseA and releaseB, or fromA, toA, fromB and toB', { field: 'releaseA' });
      }
      cmp = { baseline: { from: q.fromA, to: q.toA }, current: { from: q.fromB, to: q.toB }, environment: q.environment };
    }
    const agg = (await aggregate(this.client, projectId, [q.agent], cmp)).get(q.agent)!;
    const mode = byRelease ? 'release' : 'range';
    return { ...(await this.build(projectId, q.agent, agg, cmp, mode, cmp.current.to, q.signal, () => true)), freshness };
  }

  private async build(
    projectId: string,
    agent: string,
    agg: AgentAggregates,
    cmp: Comparison,
    mode: DriftReport['baselineMode'],
    windowEnd: number,
    wanted: string | undefined,
    withExamples: (r: DriftReport) => boolean,
  ): Promise<DriftReport> {
    const d = detect(agent, agg, this.options.thresholds);
    const report: DriftReport = {
      ...d,
      windowEnd,
      baselineMode: mode,
      baseline: { ...cmp.baseline, sessions: agg.sessions.baseline },
      current: { ...cmp.current, sessions: agg.sessions.current },
      thresholds: this.options.thresholds,
      examples: null,
    };
    if (withExamples(report) && d.status !== 'insufficient_data')
      report.examples = await pickExamples(this.client, projectId, agent, cmp, report, wanted);
    return report;
  }

  private store(projectId: string, reports: DriftReport[]): Promise<void> {
    return storeChecks(this.client, projectId, reports);
  }

  latestVerdict(projectId: string, agent: string): Promise<DriftVerdict | undefined> {
    return readLatestVerdict(this.client, projectId, agent);
  }

  /** The stored report of the latest check of an agent. */
  latestReport(projectId: string, agent: string): Promise<DriftReport | undefined> {
    return readLatestReport(this.client, projectId, agent);
  }

  /** Effect size per signal and check, for the heatmap; and the verdict of each check. */
  history(projectId: string, agent: string, fromMs: number, toMs: number): Promise<DriftHistory> {
    return readHistory(this.client, projectId, agent, fromMs, toMs);
  }

  /** Agents with sessions in the last 30 days, their latest verdict and their releases. */
  async agents(projectId: string, nowMs = Date.now()): Promise<DriftAgents> {
    const freshness = await this.fresh(nowMs);
    const rows = await select<{ agent: string; releases: string[]; status: string; w: string | null; drifted: string[]; summary: string }>(
      this.client,
      `SELECT s.agent AS agent, s.releases AS releases, c.status AS status, c.w AS w, c.drifted AS drifted, c.summary AS summary
       FROM (SELECT agent_name AS agent, arraySort(groupUniqArrayIf(toString(release), release != '')) AS releases
             FROM drift_session_signals
             WHERE project_id = {projectId:String} AND start_time >= fromUnixTimestamp64Milli({from:Int64}) GROUP BY agent) AS s
       LEFT JOIN (SELECT agent_name AS agent, argMax(status, window_end) AS status, toString(toUnixTimestamp64Milli(max(window_end))) AS w,
                    argMax(drifted_signals, window_end) AS drifted, argMax(summary, window_end) AS summary
                  FROM drift_checks WHERE project_id = {projectId:String} GROUP BY agent) AS c ON c.agent = s.agent
       ORDER BY agent`,
      { projectId, from: nowMs - DEFAULT_COMPARE_RANGE_MS },
    );
    return {
      agents: rows.map((r) => ({
        agent: r.agent,
        status: r.status === '' ? null : (r.status as DriftStatus),
        windowEnd: r.w && r.status !== '' ? Number(r.w) : null,
        driftedSignals: r.drifted ?? [],
        summary: r.summary ?? '',
        releases: r.releases,
      })),
      freshness,
    };
  }

  /** Whether a signal name is known (for request validation). */
  static isSignal(name: string): boolean {
    return signalDef(name) !== undefined;
  }

  get log(): Logger | undefined {
    return this.logger;
  }
}
