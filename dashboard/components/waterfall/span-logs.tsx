'use client';

import type { SpanLog } from '@sightline/contract';
import { formatDuration, nanosDiffMs, nanosToMs } from '@/lib/format';
import { formatTime, TIME_ZONE_LABEL } from '@/lib/time';
import { severityLabel, severityTone } from './log-severity';
import { ValueView } from './value-view';

const TONE_COLOR = { error: 'var(--error)', warn: 'var(--warn)', plain: 'var(--text-muted)' } as const;

/** The span's log records (sent to /v1/logs with its trace and span id), oldest first. */
export function SpanLogs({ logs, traceStartNs }: { logs: SpanLog[]; traceStartNs: string }) {
  if (logs.length === 0) return <div className="faint">No log records for this span.</div>;
  return (
    <div data-testid="span-logs">
      {logs.map((l, i) => {
        const attributes = Object.entries(l.attributes).filter(([k]) => k !== 'event.name');
        const severity = severityLabel(l.severityNumber, l.severityText);
        return (
          <div key={i} className="event" data-testid="span-log">
            <div>
              {severity && <b style={{ color: TONE_COLOR[severityTone(l.severityNumber)] }}>{severity} </b>}
              {l.eventName && <b>{l.eventName} </b>}
              <span className="faint">
                +{formatDuration(nanosDiffMs(l.time, traceStartNs))} · {formatTime(nanosToMs(l.time))} {TIME_ZONE_LABEL}
              </span>
            </div>
            {l.body && <ValueView value={l.body} block />}
            {attributes.length > 0 && (
              <dl className="kv">
                {attributes
                  .sort(([a], [b]) => (a < b ? -1 : 1))
                  .map(([k, v]) => (
                    <div key={k} style={{ display: 'contents' }}>
                      <dt>{k}</dt>
                      <dd>
                        <ValueView value={v} />
                      </dd>
                    </div>
                  ))}
              </dl>
            )}
          </div>
        );
      })}
    </div>
  );
}
