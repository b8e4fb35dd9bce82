'use client';

import type { Score, Span } from '@sightline/contract';
import { ScoreTable } from '@/components/scores/score-table';
import { useState, type ReactNode } from 'react';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatCount, formatDuration, formatUsd, nanosDiffMs, nanosToMs } from '@/lib/format';
import { formatTime, TIME_ZONE_LABEL } from '@/lib/time';
import type { SpanNode } from './layout';
import { Highlighted } from './search-highlight';
import { SpanLogs } from './span-logs';
import { ValueView } from './value-view';

type Tab = 'details' | 'logs';

/** Everything about one span: timing, gen_ai fields, payloads, exceptions, events, attributes; its log records in a tab. */
export function SpanPanel({
  node,
  traceStartNs,
  scores = [],
}: {
  node: SpanNode<Span> | null;
  traceStartNs: string;
  /** The scores given to this span (those with its spanId). */
  scores?: readonly Score[];
}) {
  // Kept across spans: someone reading logs keeps reading logs as they click through the waterfall.
  const [tab, setTab] = useState<Tab>('details');
  if (!node)
    return (
      <aside className="card panel">
        <div className="empty">Select a span to see its details.</div>
      </aside>
    );
  const s = node.span;
  const exceptions = s.events.filter((e) => e.name === 'exception');
  const events = s.events.filter((e) => e.name !== 'exception');
  const model = s.responseModel || s.requestModel;
  const summary: Array<[string, ReactNode]> = [
    ['Service', s.serviceName],
    ['Kind', s.kind],
    ['Operation', s.operation],
    ['Agent', s.agentName],
    ['Tool', s.toolName],
    ['Tool call', s.toolCallId],
    [
      'Model',
      model && s.requestModel && s.responseModel && s.requestModel !== s.responseModel ? `${s.requestModel} → ${s.responseModel}` : model,
    ],
    ['Provider', s.provider],
    ['Tokens', s.inputTokens + s.outputTokens > 0 ? `${formatCount(s.inputTokens)} in · ${formatCount(s.outputTokens)} out` : ''],
    ['Token details', tokenDetails(s)],
    ['Cost', costText(s)],
    ['Finish', s.finishReasons.join(', ')],
    ['Error type', s.errorType],
    ['Session', s.sessionId],
    ['Environment', s.environment],
    ['Release', s.release],
    [
      'Span id',
      <span className="mono" key="id">
        {s.spanId}
      </span>,
    ],
    [
      'Parent',
      s.parentSpanId ? (
        <span className="mono" key="p">
          {s.parentSpanId}
        </span>
      ) : (
        'root'
      ),
    ],
  ];
  return (
    <aside className="card panel" aria-label="Span details" data-testid="span-panel">
      <div className="panel-section">
        <div style={{ display: 'flex', gap: 8, alignItems: 'center', justifyContent: 'space-between' }}>
          <h2 style={{ fontSize: 15, overflowWrap: 'anywhere' }} data-testid="span-panel-name">
            <Highlighted text={s.name} />
          </h2>
          <StatusBadge status={s.statusCode === 'ERROR' ? 'error' : 'ok'} />
        </div>
        <div className="muted" style={{ marginTop: 4 }}>
          <b style={{ color: 'var(--text)' }}>{formatDuration(node.durationMs)}</b> · starts at +{formatDuration(node.startMs)} ·{' '}
          {formatTime(nanosToMs(s.startTime), { withDate: true })} {TIME_ZONE_LABEL}
          {node.onCriticalPath && (
            <span className="chip active" style={{ marginLeft: 6 }}>
              critical path · {formatDuration(node.criticalSelfMs)} own
            </span>
          )}
        </div>
        {s.statusMessage && (
          <div style={{ marginTop: 8, color: 'var(--error)' }}>
            <ValueView value={s.statusMessage} />
          </div>
        )}
      </div>
      <div className="panel-section" role="tablist" aria-label="Span views" style={{ display: 'flex', gap: 6 }}>
        {(['details', 'logs'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            className={`chip${tab === t ? ' active' : ''}`}
            style={{ cursor: 'pointer' }}
            data-testid={`span-tab-${t}`}
            onClick={() => setTab(t)}
          >
            {t === 'details' ? 'Details' : `Logs (${s.logs.length})`}
          </button>
        ))}
      </div>
      {tab === 'logs' ? (
        <div className="panel-section" role="tabpanel">
          <SpanLogs logs={s.logs} traceStartNs={traceStartNs} />
        </div>
      ) : (
        <>
          <div className="panel-section">
            <dl className="kv">
              {summary
                .filter(([, v]) => v !== '' && v !== undefined && v !== null)
                .map(([k, v]) => (
                  <Pair key={k} k={k}>
                    {v}
                  </Pair>
                ))}
            </dl>
          </div>
          {scores.length > 0 && (
            <div className="panel-section" data-testid="span-scores">
              <h3>Scores ({scores.length})</h3>
              <ScoreTable scores={scores} />
            </div>
          )}
          {exceptions.length > 0 && (
            <div className="panel-section">
              <h3>Exceptions</h3>
              {exceptions.map((e, i) => (
                <div key={i} className="exception">
                  <div className="type">{e.attributes['exception.type'] ?? 'Exception'}</div>
                  {e.attributes['exception.message'] && <ValueView value={e.attributes['exception.message']} />}
                  {e.attributes['exception.stacktrace'] && <ValueView value={e.attributes['exception.stacktrace']} block />}
                </div>
              ))}
            </div>
          )}
          {s.input && (
            <div className="panel-section">
              <h3>Input</h3>
              <ValueView value={s.input} block />
            </div>
          )}
          {s.output && (
            <div className="panel-section">
              <h3>Output</h3>
              <ValueView value={s.output} block />
            </div>
          )}
          {events.length > 0 && (
            <div className="panel-section">
              <h3>Events ({events.length})</h3>
              {events.map((e, i) => (
                <div key={i} className="event">
                  <div>
                    <b>
                      <Highlighted text={e.name} />
                    </b>{' '}
                    <span className="faint">+{formatDuration(nanosDiffMs(e.time, traceStartNs))}</span>
                  </div>
                  <AttributeList attributes={e.attributes} />
                </div>
              ))}
            </div>
          )}
          <div className="panel-section">
            <h3>Attributes ({Object.keys(s.attributes).length})</h3>
            <AttributeList attributes={s.attributes} testId="span-attributes" />
          </div>
          {Object.keys(s.resourceAttributes).length > 0 && (
            <div className="panel-section">
              <h3>Resource</h3>
              <AttributeList attributes={s.resourceAttributes} />
            </div>
          )}
          {s.links.length > 0 && (
            <div className="panel-section">
              <h3>Links</h3>
              {s.links.map((l) => (
                <div key={`${l.traceId}/${l.spanId}`} className="mono">
                  <a href={`/traces/${l.traceId}?span=${l.spanId}`}>
                    {l.traceId.slice(0, 12)}…/{l.spanId}
                  </a>
                </div>
              ))}
            </div>
          )}
        </>
      )}
    </aside>
  );
}

function Pair({ k, children }: { k: string; children: ReactNode }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{children}</dd>
    </>
  );
}

function AttributeList({ attributes, testId }: { attributes: Record<string, string>; testId?: string }) {
  const keys = Object.keys(attributes).sort();
  if (keys.length === 0) return <div className="faint">none</div>;
  return (
    <dl className="kv" data-testid={testId}>
      {keys.map((k) => (
        <Pair key={k} k={k}>
          <ValueView value={attributes[k]!} />
        </Pair>
      ))}
    </dl>
  );
}

const COST_SOURCES = { reported: 'reported by the instrumentation', custom: 'custom price', database: 'price database' } as const;

/** The cost of a model call and where it came from; "unpriced" when no source knew the model. */
function costText(s: Span): string {
  if (s.costUsd !== null) {
    const split =
      s.inputCostUsd !== null && s.outputCostUsd !== null && s.inputCostUsd + s.outputCostUsd > 0
        ? ` (${formatUsd(s.inputCostUsd)} in · ${formatUsd(s.outputCostUsd)} out)`
        : '';
    return `${formatUsd(s.costUsd)}${split} · ${s.costSource === '' ? '' : COST_SOURCES[s.costSource]}`;
  }
  return s.costSource === '' && s.inputTokens + s.outputTokens > 0 ? 'unpriced: no price known for this model' : '';
}

function tokenDetails(s: Span): string {
  const parts: string[] = [];
  if (s.cacheReadTokens > 0) parts.push(`${formatCount(s.cacheReadTokens)} cache read`);
  if (s.cacheWriteTokens > 0) parts.push(`${formatCount(s.cacheWriteTokens)} cache write`);
  if (s.reasoningTokens > 0) parts.push(`${formatCount(s.reasoningTokens)} reasoning`);
  return parts.join(' · ');
}
