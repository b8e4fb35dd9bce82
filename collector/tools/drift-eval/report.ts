/** Formats the evaluation results and checks them against the bounds. */
import type { EvalResult, ScenarioResult } from './evaluate.js';

export const MAX_FALSE_ALARMS_PER_30_DAYS = 1;
export const MAX_DELAY_CHECKS = 2;

export function checkBounds(results: ScenarioResult[]): string[] {
  const failures: string[] = [];
  for (const r of results) {
    if (r.falseAlarmsPer30Days > MAX_FALSE_ALARMS_PER_30_DAYS && r.falseAlarms > MAX_FALSE_ALARMS_PER_30_DAYS) {
      failures.push(`${r.scenario}: ${r.falseAlarms} false drift(s) in ${r.checks} checks`);
    }
    if (r.kind === 'drift' && !r.detected) failures.push(`${r.scenario}: drift not detected`);
    if (r.kind === 'drift' && r.delayChecks !== null && r.delayChecks > MAX_DELAY_CHECKS)
      failures.push(`${r.scenario}: detected after ${r.delayChecks} checks`);
  }
  return failures;
}

export function formatReport({ results, timings }: EvalResult): string {
  const rows = results.map((r) => [
    r.scenario,
    r.sessions.toLocaleString('en-US'),
    String(r.checks),
    String(r.insufficient),
    String(r.falseAlarms),
    r.kind === 'null' ? '—' : r.detected ? '1/1' : '0/1',
    r.delayChecks === null ? '—' : String(r.delayChecks),
    r.driftedSignals.join(', ') || '—',
  ]);
  const head = ['scenario', 'sessions', 'checks', 'no data', 'false alarms', 'recall', 'delay (checks)', 'signals at detection'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const nulls = results.filter((r) => r.kind === 'null');
  const drifts = results.filter((r) => r.kind === 'drift');
  const detected = drifts.filter((r) => r.detected).length;
  return [
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `false alarms: ${results.reduce((s, r) => s + r.falseAlarms, 0)} in total (null scenarios: ${nulls.reduce((s, r) => s + r.falseAlarms, 0)})`,
    `recall: ${detected}/${drifts.length}; worst delay: ${Math.max(0, ...drifts.map((r) => r.delayChecks ?? 0))} checks`,
    ...drifts.filter((r) => r.firstSummary).map((r) => `  ${r.scenario}: ${r.firstSummary}`),
    '',
    `${timings.spans.toLocaleString('en-US')} spans written in ${(timings.simulateMs / 1000).toFixed(1)} s; sessions materialized in ${(timings.materializeMs / 1000).toFixed(1)} s; ` +
      `${timings.checks} hourly checks in ${(timings.checksMs / 1000).toFixed(1)} s (${(timings.checksMs / Math.max(1, timings.checks)).toFixed(0)} ms per check of all agents)`,
  ].join('\n');
}
