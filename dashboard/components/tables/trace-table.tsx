import Link from 'next/link';
import type { TraceSummary } from '@sightline/contract';
import { Time } from '@/components/ui/time';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatCount, formatDuration, formatSpend, nanosToMs, shortId } from '@/lib/format';
import { href } from '@/lib/search-params';
import { CompareCheckbox } from '@/components/compare/compare-picker';

/**
 * Traces with start, root name, agent, session, duration, status, span count, tokens and cost;
 * `selectable`: a compare checkbox per row. `q`, the search that listed them, goes along in the
 * links: the trace view marks its words.
 */
export function TraceTable({
  traces,
  scopeParams,
  selectable = false,
  q,
}: {
  traces: TraceSummary[];
  scopeParams: Record<string, string>;
  selectable?: boolean;
  q?: string;
}) {
  const longest = Math.max(1, ...traces.map((t) => t.durationMs));
  return (
    <div className="table-wrap">
      <table className="data" data-testid="trace-table">
        <thead>
          <tr>
            {selectable && <th aria-label="Compare" />}
            <th>Start (UTC)</th>
            <th>Root span</th>
            <th>Agent</th>
            <th>Session</th>
            <th className="num">Duration</th>
            <th>Status</th>
            <th className="num">Spans</th>
            <th className="num">Tokens</th>
            <th className="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          {traces.map((t) => (
            <tr key={t.traceId} data-trace-id={t.traceId}>
              {selectable && <CompareCheckbox id={t.traceId} label={`trace ${t.traceId}`} />}
              <td className="muted" style={{ whiteSpace: 'nowrap' }}>
                <Time ms={nanosToMs(t.startTime)} />
              </td>
              <td className="truncate" title={t.rootName}>
                <Link href={href(`/traces/${t.traceId}`, { q })} data-testid="trace-link">
                  {t.rootName || '(unnamed)'}
                </Link>
                <div className="faint mono" style={{ fontSize: 11 }}>
                  {shortId(t.traceId, 12)} · {t.serviceName}
                </div>
              </td>
              <td className="truncate" title={t.agents.join(', ')}>
                {t.agents.length ? t.agents.join(', ') : <span className="faint">—</span>}
              </td>
              <td className="truncate mono" style={{ maxWidth: 140 }}>
                {t.sessionId ? (
                  <Link href={href(`/sessions/${encodeURIComponent(t.sessionId)}`, { ...scopeParams, q })} title={t.sessionId}>
                    {shortId(t.sessionId, 14)}
                  </Link>
                ) : (
                  <span className="faint">—</span>
                )}
              </td>
              <td className="num">
                <div className="dur-cell">
                  {formatDuration(t.durationMs)}
                  <div className="dur-bar" aria-hidden>
                    <span style={{ width: `${(t.durationMs / longest) * 100}%` }} />
                  </div>
                </div>
              </td>
              <td>
                <StatusBadge status={t.status} />
                {t.errorCount > 0 && (
                  <span className="faint" style={{ fontSize: 11, marginLeft: 6 }}>
                    {t.errorCount} span{t.errorCount > 1 ? 's' : ''}
                  </span>
                )}
              </td>
              <td className="num">{formatCount(t.spanCount)}</td>
              <td className="num">
                {t.inputTokens + t.outputTokens > 0 ? formatCount(t.inputTokens + t.outputTokens) : <span className="faint">—</span>}
              </td>
              <SpendCell usd={t.costUsd} unpriced={t.unpricedCalls} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A trace's or a session's spend: "unpriced" when its calls have no known price, never $0 for them. */
export function SpendCell({ usd, unpriced }: { usd: number; unpriced: number }) {
  if (usd === 0 && unpriced === 0)
    return (
      <td className="num">
        <span className="faint">—</span>
      </td>
    );
  const spend = formatSpend(usd, unpriced);
  return (
    <td className="num" title={spend.title} data-testid="spend-cell">
      {spend.text}
    </td>
  );
}
