import { getScoreSummary } from '@/lib/queries';
import type { Scope } from '@/lib/search-params';
import { ScoreFilterForm } from './score-filter';

/** The score filter with the names scored in the range (none when the collector cannot say: the filter still works from a link). */
export async function ScoreFilterBar({ scope }: { scope: Scope }) {
  const summary = await getScoreSummary(scope.range.from, scope.range.to);
  const names = summary.ok ? summary.data.series.map((s) => s.name) : [];
  return <ScoreFilterForm names={names} />;
}
