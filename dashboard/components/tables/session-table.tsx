import Link from 'next/link';
import type { SessionSummary } from '@sightline/contract';
import { Time } from '@/components/ui/time';
import { formatCount, formatDuration, nanosToMs } from '@/lib/format';
import { href } from '@/lib/search-params';
import { SpendCell } from './trace-table';
import { CompareCheckbox } from '@/components/compare/compare-picker';

const MAX_TOOLS = 4;

/**
 * Sessions with their aggregates: traces, duration, errors, tools used, tokens, cost; `selectable`: a
 * compare checkbox per row. `q` (the search that listed them) goes along in the links.
 */
export function SessionTable({
  sessions,
  scopeParams,
  selectable = false,
  q,
}: {
  sessions: SessionSummary[];
  scopeParams: Record<string, string>;
  selectable?: boolean;
  q?: string;
}) {
  return (
    <div className="table-wrap">
      <table className="data" data-testid="session-table">
        <thead>
          <tr>
            {selectable && <th aria-label="Compare" />}
            <th>Session</th>
            <th>Last activity (UTC)</th>
            <th className="num">Duration</th>
            <th className="num">Traces</th>
            <th className="num" title="Spans that ended in an error">
              Failed spans
            </th>
            <th>Tools used</th>
            <th>Agents</th>
            <th className="num">Tokens</th>
            <th className="num">Cost</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.sessionId} data-session-id={s.sessionId}>
              {selectable && <CompareCheckbox id={s.sessionId} label={`session ${s.sessionId}`} />}
              <td className="truncate mono" style={{ maxWidth: 220 }} title={s.sessionId}>
                <Link href={href(`/sessions/${encodeURIComponent(s.sessionId)}`, { ...scopeParams, q })}>{s.sessionId}</Link>
              </td>
              <td className="muted" style={{ whiteSpace: 'nowrap' }}>
                <Time ms={nanosToMs(s.lastSeen)} />
              </td>
              <td className="num">{formatDuration(s.durationMs)}</td>
              <td className="num">{formatCount(s.traceCount)}</td>
              <td className="num" style={s.errorCount > 0 ? { color: 'var(--error)', fontWeight: 600 } : undefined}>
                {formatCount(s.errorCount)}
              </td>
              <td>
                <div style={{ display: 'flex', gap: 4, flexWrap: 'wrap' }}>
                  {s.tools.slice(0, MAX_TOOLS).map((t) => (
                    <span key={t} className="chip">
                      {t}
                    </span>
                  ))}
                  {s.tools.length > MAX_TOOLS && (
                    <span className="chip" title={s.tools.slice(MAX_TOOLS).join(', ')}>
                      +{s.tools.length - MAX_TOOLS}
                    </span>
                  )}
                  {s.tools.length === 0 && <span className="faint">—</span>}
                </div>
              </td>
              <td className="truncate" title={s.agents.join(', ')}>
                {s.agents.join(', ') || <span className="faint">—</span>}
              </td>
              <td className="num">
                {s.inputTokens + s.outputTokens > 0 ? formatCount(s.inputTokens + s.outputTokens) : <span className="faint">—</span>}
              </td>
              <SpendCell usd={s.costUsd} unpriced={s.unpricedCalls} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
