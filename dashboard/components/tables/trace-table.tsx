import Link from 'next/link';
import type { TraceSummary } from '@sightline/contract';
import { Time } from '@/components/ui/time';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatCount, formatDuration, nanosToMs, shortId } from '@/lib/format';
import { href } from '@/lib/search-params';

/** Traces with start, root name, agent, session, duration, status, span count and tokens. */
export function TraceTable({ traces, scopeParams }: { traces: TraceSummary[]; scopeParams: Record<string, string> }) {
  const longest = Math.max(1, ...traces.map((t) => t.durationMs));
  return (
    <div className="table-wrap">
      <table className="data" data-testid="trace-table">
        <thead>
          <tr>
            <th>Start (UTC)</th>
            <th>Root span</th>
            <th>Agent</th>
            <th>Session</th>
            <th className="num">Duration</th>
            <th>Status</th>
            <th className="num">Spans</th>
            <th className="num">Tokens</th>
          </tr>
        </thead>
        <tbody>
          {traces.map((t) => (
            <tr key={t.traceId} data-trace-id={t.traceId}>
              <td className="muted" style={{ whiteSpace: 'nowrap' }}>
                <Time ms={nanosToMs(t.startTime)} />
              </td>
              <td className="truncate" title={t.rootName}>
                <Link href={href(`/traces/${t.traceId}`, {})} data-testid="trace-link">
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
                  <Link href={href(`/sessions/${encodeURIComponent(t.sessionId)}`, scopeParams)} title={t.sessionId}>
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
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
