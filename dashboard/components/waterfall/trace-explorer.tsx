'use client';

import { useCallback, useMemo, useState } from 'react';
import type { Score, Span } from '@sightline/contract';
import { formatDuration } from '@/lib/format';
import { ancestorIds, buildLayout, collapseBelowDepth, findSpans, visibleRows } from './layout';
import { SpanPanel } from './span-panel';
import { Waterfall } from './waterfall';

/**
 * The trace view's interactive part: the waterfall and the panel of the selected span.
 * The selection lives in the URL (`?span=`) so a link opens the trace at that span; the
 * default is the critical-path span with the most own time, where the trace spent its time.
 */
export function TraceExplorer({ spans, initialSpanId, scores = [] }: { spans: Span[]; initialSpanId?: string; scores?: readonly Score[] }) {
  const layout = useMemo(() => buildLayout(spans), [spans]);
  const [selectedId, setSelectedId] = useState<string | null>(() =>
    initialSpanId && layout.byId.has(initialSpanId) ? initialSpanId : (layout.bottleneckId ?? layout.nodes[0]?.id ?? null),
  );
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const rows = useMemo(() => visibleRows(layout, collapsed), [layout, collapsed]);

  const select = useCallback(
    (id: string) => {
      setSelectedId(id);
      // A hidden span (selected from elsewhere) gets its ancestors expanded.
      setCollapsed((prev) => {
        const hidden = ancestorIds(layout, id).filter((a) => prev.has(a));
        if (hidden.length === 0) return prev;
        const next = new Set(prev);
        for (const a of hidden) next.delete(a);
        return next;
      });
      const url = new URL(window.location.href);
      url.searchParams.set('span', id);
      window.history.replaceState(window.history.state, '', url);
    },
    [layout],
  );

  const toggle = useCallback((id: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const [query, setQuery] = useState('');
  const matches = useMemo(() => findSpans(layout.nodes, query), [layout, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const nextMatch = () => {
    if (matches.length === 0) return;
    const current = selectedId ? (layout.byId.get(selectedId)?.index ?? -1) : -1;
    const next = matches.find((id) => layout.byId.get(id)!.index > current) ?? matches[0]!;
    select(next);
  };

  const selected = selectedId ? (layout.byId.get(selectedId) ?? null) : null;
  const bottleneck = layout.bottleneckId ? layout.byId.get(layout.bottleneckId) : undefined;

  return (
    <div className="trace-layout">
      <section className="card" aria-label="Waterfall">
        <div className="wf-toolbar">
          <button type="button" className="btn small" onClick={() => setCollapsed(new Set())} disabled={collapsed.size === 0}>
            Expand all
          </button>
          <button type="button" className="btn small" onClick={() => setCollapsed(collapseBelowDepth(layout, 1))}>
            Collapse to level 2
          </button>
          {bottleneck && (
            <button
              type="button"
              className="btn small"
              onClick={() => select(bottleneck.id)}
              title="The critical-path span with the most own time"
            >
              Slowest step: {bottleneck.span.name} ({formatDuration(bottleneck.criticalSelfMs)})
            </button>
          )}
          <input
            className="control"
            type="search"
            placeholder="Find span…"
            aria-label="Find span by name, tool, agent or model"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                nextMatch();
              }
            }}
            style={{ width: 150, height: 24 }}
          />
          {query && (
            <span className="faint" style={{ fontSize: 12 }}>
              {matches.length} match{matches.length === 1 ? '' : 'es'}
              {matches.length > 0 ? ' · Enter for next' : ''}
            </span>
          )}
          <span className="faint" style={{ fontSize: 12 }}>
            {rows.length === layout.nodes.length ? `${layout.nodes.length} spans` : `${rows.length} of ${layout.nodes.length} spans shown`}{' '}
            · depth {layout.maxDepth + 1}
          </span>
          <div className="wf-legend" aria-hidden>
            <span>
              <i style={{ background: 'var(--bar-agent)' }} />
              agent
            </span>
            <span>
              <i style={{ background: 'var(--bar-llm)' }} />
              model
            </span>
            <span>
              <i style={{ background: 'var(--bar-tool)' }} />
              tool
            </span>
            <span>
              <i style={{ background: 'var(--error)' }} />
              error
            </span>
            <span>
              <i style={{ background: 'transparent', boxShadow: '0 0 0 2px var(--critical)' }} />
              critical path
            </span>
          </div>
        </div>
        <Waterfall
          layout={layout}
          rows={rows}
          collapsed={collapsed}
          selectedId={selectedId}
          matches={matchSet}
          onSelect={select}
          onToggle={toggle}
        />
      </section>
      <SpanPanel
        node={selected}
        traceStartNs={layout.traceStartNs}
        scores={selected ? scores.filter((x) => x.spanId === selected.id) : []}
      />
    </div>
  );
}
