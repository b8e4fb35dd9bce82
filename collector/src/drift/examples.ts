/**
 * The example sessions a drift report shows: for the chosen (or most drifted) signal, sessions
 * from each side that show the change, so a reader sees what moved, not only by how much.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { DriftReport } from '@sightline/contract';
import { exampleSessions, type Comparison } from './queries.js';
import { SCORE_SIGNAL_PREFIX } from './signals.js';

export async function pickExamples(
  client: ClickHouseClient,
  projectId: string,
  agent: string,
  cmp: Comparison,
  report: DriftReport,
  wanted: string | undefined,
): Promise<DriftReport['examples']> {
  // A score is not a column of the session signals: its examples are not picked (yet); read the
  // sessions list filtered by the score instead.
  const tested = report.signals.filter((s) => s.status === 'tested' && !s.signal.startsWith(SCORE_SIGNAL_PREFIX));
  const pick =
    tested.find((s) => s.signal === wanted) ??
    [...tested].sort((a, b) => Number(b.drifted) - Number(a.drifted) || b.effectRatio - a.effectRatio)[0];
  if (!pick) return null;
  if (pick.kind === 'numeric' && pick.numeric) {
    const dir = pick.numeric.relativeShift >= 0 ? 1 : -1;
    const target = { direction: dir as 1 | -1, median: pick.numeric.baselineMedian };
    return {
      signal: pick.signal,
      baseline: await exampleSessions(client, projectId, agent, cmp, 0, pick.signal, target),
      current: await exampleSessions(client, projectId, agent, cmp, 1, pick.signal, target),
    };
  }
  // The category that moved most; for path novelty, the path that grew most.
  const source = pick.signal === 'path.novel' ? report.signals.find((s) => s.signal === 'path') : pick;
  const grew = source?.categories?.filter((c) => c.category !== '(other)').sort((a, b) => b.deltaPoints - a.deltaPoints)[0];
  const shrank = source?.categories?.filter((c) => c.category !== '(other)').sort((a, b) => a.deltaPoints - b.deltaPoints)[0];
  if (!source || !grew || !shrank) return null;
  return {
    signal: source.signal,
    category: grew.category,
    baseline: await exampleSessions(client, projectId, agent, cmp, 0, source.signal, {
      category: shrank.deltaPoints < 0 ? shrank.category : grew.category,
    }),
    current: await exampleSessions(client, projectId, agent, cmp, 1, source.signal, { category: grew.category }),
  };
}
