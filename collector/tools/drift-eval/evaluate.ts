/**
 * The drift evaluation: simulate `days` of sessions for one agent per scenario through the real
 * write path into a fresh embedded ClickHouse, then run the hourly check for every hour after the
 * first full baseline, and score it: false alarms (drift verdicts where nothing changed), recall and
 * detection delay (in hourly checks after the change).
 */
import { IngestPipeline } from '../../src/ingest/pipeline.js';
import type { Logger } from '../../src/logger.js';
import { openMigrated } from '../../src/test-support/temp-storage.js';
import { DriftEngine, type DriftOptions } from '../../src/drift/engine.js';
import { HOUR_MS } from '../../src/drift/materialize.js';
import { scenarios, type Scenario } from './scenarios.js';
import { simulate } from './simulator.js';

export interface EvalOptions {
  dataDir: string;
  days: number;
  baseRate: number;
  seed: number;
  /** Only these scenarios (by name); all by default. */
  only?: string[];
  drift?: Partial<DriftOptions>;
  log?: (line: string) => void;
}

export interface ScenarioResult {
  scenario: string;
  kind: Scenario['kind'];
  description: string;
  sessions: number;
  checks: number;
  insufficient: number;
  /** Drift verdicts before the change (all of them for a null scenario). */
  falseAlarms: number;
  /** False alarms scaled to 30 days of hourly checks. */
  falseAlarmsPer30Days: number;
  detected: boolean | null;
  /** Hourly checks from the change to the first drift verdict (1 = the first check after it). */
  delayChecks: number | null;
  driftedSignals: string[];
  firstSummary: string | null;
}

export interface EvalResult {
  results: ScenarioResult[];
  timings: { simulateMs: number; materializeMs: number; checksMs: number; checks: number; spans: number };
}

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export async function evaluate(o: EvalOptions): Promise<EvalResult> {
  const log = o.log ?? (() => undefined);
  const storage = await openMigrated(o.dataDir);
  try {
    const list = scenarios(o.days).filter((s) => !o.only || o.only.includes(s.name));
    // Start at midnight UTC so hours of day line up with the scenarios' schedules.
    const endMs = Math.floor(Date.UTC(2026, 0, 1) / HOUR_MS) * HOUR_MS + o.days * 24 * HOUR_MS;
    const startMs = endMs - o.days * 24 * HOUR_MS;
    const pipeline = await IngestPipeline.start(storage, {
      batchMaxSpans: 50_000,
      flushIntervalMs: 200,
      queueMaxSpans: 2_000_000,
      walDir: undefined,
      dedupCapacity: 200_000,
      logger: quiet,
    });
    let t0 = Date.now();
    const agents = await simulate(pipeline, list, { startMs, days: o.days, baseRate: o.baseRate, seed: o.seed }, (d) =>
      log(`  simulated day ${d}`),
    );
    await pipeline.stop();
    const spans = pipeline.stats().writtenSpans;
    const simulateMs = Date.now() - t0;
    log(`  wrote ${spans.toLocaleString('en-US')} spans in ${(simulateMs / 1000).toFixed(1)} s`);

    const engine = new DriftEngine(storage.client, o.drift ?? {});
    t0 = Date.now();
    await engine.materialize(endMs + engine.options.tailMs);
    const materializeMs = Date.now() - t0;
    log(`  materialized sessions in ${(materializeMs / 1000).toFixed(1)} s`);

    const firstCheck = startMs + engine.options.baselineMs + engine.options.windowMs;
    const byAgent = new Map(
      agents.map((a) => [
        a.agent,
        {
          a,
          checks: 0,
          insufficient: 0,
          falseAlarms: 0,
          firstDetect: null as null | { windowEnd: number; signals: string[]; summary: string },
        },
      ]),
    );
    t0 = Date.now();
    let checks = 0;
    for (let windowEnd = firstCheck; windowEnd <= endMs; windowEnd += HOUR_MS) {
      const reports = await engine.checkAll('default', windowEnd);
      checks++;
      for (const r of reports) {
        const s = byAgent.get(r.agent);
        if (!s) continue;
        s.checks++;
        if (r.status === 'insufficient_data') s.insufficient++;
        if (r.status !== 'drift') continue;
        const driftAt = s.a.scenario.driftAtMs === undefined ? undefined : startMs + s.a.scenario.driftAtMs;
        if (driftAt === undefined || windowEnd <= driftAt) s.falseAlarms++;
        else s.firstDetect ??= { windowEnd, signals: r.driftedSignals, summary: r.summary };
      }
      if (checks % 24 === 0) log(`  checked ${checks} hours`);
    }
    const checksMs = Date.now() - t0;
    const results: ScenarioResult[] = [...byAgent.values()].map(({ a, checks: n, insufficient, falseAlarms, firstDetect }) => {
      const driftAt = a.scenario.driftAtMs === undefined ? undefined : startMs + a.scenario.driftAtMs;
      const preChecks = driftAt === undefined ? n : Math.max(1, Math.floor((driftAt - firstCheck) / HOUR_MS) + 1);
      return {
        scenario: a.scenario.name,
        kind: a.scenario.kind,
        description: a.scenario.description,
        sessions: a.sessions,
        checks: n,
        insufficient,
        falseAlarms,
        falseAlarmsPer30Days: (falseAlarms * 720) / Math.max(1, preChecks),
        detected: driftAt === undefined ? null : firstDetect !== null,
        delayChecks: driftAt === undefined || !firstDetect ? null : Math.ceil((firstDetect.windowEnd - driftAt) / HOUR_MS),
        driftedSignals: firstDetect?.signals ?? [],
        firstSummary: firstDetect?.summary ?? null,
      };
    });
    return { results, timings: { simulateMs, materializeMs, checksMs, checks, spans } };
  } finally {
    await storage.close();
  }
}
