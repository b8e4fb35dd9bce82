import Link from 'next/link';
import { SCORE_FILTER_KEYS } from '@/lib/scores';
import { href } from '@/lib/search-params';

/** The active score filter of a list (`label`, from describeScoreFilter), with a link that removes it. */
export function ScoreFilterChip({ path, params, label }: { path: string; params: Record<string, string>; label: string | undefined }) {
  if (!label) return null;
  const without = { ...params, ...Object.fromEntries(SCORE_FILTER_KEYS.map((k) => [k, undefined])), cursor: undefined };
  return (
    <span className="chip active" data-testid="score-filter-chip">
      score: {label}
      <Link href={href(path, without)} aria-label="Remove score filter">
        ×
      </Link>
    </span>
  );
}
