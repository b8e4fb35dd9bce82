import Link from 'next/link';
import type { Score } from '@sightline/contract';
import { Time } from '@/components/ui/time';
import { nanosToMs, shortId } from '@/lib/format';
import { formatScoreValue, SOURCE_LABEL } from '@/lib/scores';
import { TIME_ZONE_LABEL } from '@/lib/time';

/**
 * Scores as a table: name, value or label, source, comment, time (UTC). No hooks, so the server
 * pages and the span panel (a client component) both render it. `withTrace` adds the trace a score
 * is on (the session view lists its traces' scores too).
 */
export function ScoreTable({
  scores,
  withTrace,
  withSpan,
  testId,
}: {
  scores: readonly Score[];
  withTrace?: boolean;
  /** Link a span's score to its span in the waterfall (the trace view's list). */
  withSpan?: boolean;
  testId?: string;
}) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid={testId}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Value</th>
            <th>Source</th>
            <th>Comment</th>
            {withTrace && <th>Trace</th>}
            <th>Time ({TIME_ZONE_LABEL})</th>
          </tr>
        </thead>
        <tbody>
          {scores.map((s) => (
            <tr key={s.id} data-testid="score-row">
              <td className="truncate" title={s.name}>
                {s.name}
                {withSpan && s.spanId && (
                  <>
                    {' '}
                    <Link className="faint mono" href={`/traces/${s.traceId}?span=${s.spanId}`} title="The span this score is on">
                      span {s.spanId.slice(0, 6)}
                    </Link>
                  </>
                )}
              </td>
              <td className="mono" data-testid="score-value">
                {formatScoreValue(s)}
              </td>
              <td>{SOURCE_LABEL[s.source]}</td>
              <td className="truncate" title={s.comment} style={{ maxWidth: 320 }}>
                {s.comment}
              </td>
              {withTrace && (
                <td className="mono">
                  {s.traceId ? (
                    <Link href={`/traces/${s.traceId}${s.spanId ? `?span=${s.spanId}` : ''}`}>{shortId(s.traceId, 12)}</Link>
                  ) : (
                    <span className="faint">session</span>
                  )}
                </td>
              )}
              <td className="faint">
                <Time ms={nanosToMs(s.timestamp)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
