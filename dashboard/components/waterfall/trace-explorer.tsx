'use client';

import { useCallback, useMemo, useState } from 'react';
import { highlightTexts, type Score, type Span } from '@sightline/contract';
import { formatDuration } from '@/lib/format';
import { ancestorIds, buildLayout, collapseBelowDepth, findSpans, visibleRows } from './layout';
import { SearchHighlight, spanMatchesSearch } from './search-highlight';
import { SpanPanel } from './span-panel';
import { Waterfall } from './waterfall';

/**
 * The trace view's interactive part: the waterfall and the panel of the selected span.
 * The selection lives in the URL (`?span=`) so a link opens the trace at that span; the
 * default is the critical-path span with the most own time, where the trace spent its time.
 * Opened from a search (`?q=`), the spans that hold its words are marked in the waterfall, the
 * first of them is selected, and the words are marked in the span panel.
 */
export function TraceExplorer({
  spans,
  initialSpanId,
  q,
  scores = [],
}: {
  spans: Span[];
  initialSpanId?: string;
  q?: string;
  scores?: readonly Score[];
}) {
  const layout = useMemo(() => buildLayout(spans), [spans]);
  const needles = useMemo(() => highlightTexts(q), [q]);
  const searchHits = useMemo(() => layout.nodes.filter((n) => spanMatchesSearch(n.span, needles)).map((n) => n.id), [layout, needles]);
  const searchSet = useMemo(() => new Set(searchHits), [searchHits]);
  const [selectedId, setSelectedId] = useState<string | null>(() =>
    initialSpanId && layout.byId.has(initialSpanId) ? initialSpanId : (searchHits[0] ?? layout.bottleneckId ?? layout.nodes[0]?.id ?? null),
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
          {!query && needles.length > 0 && (
            <span className="faint" style={{ fontSize: 12 }} data-testid="search-span-count">
              {searchHits.length} span{searchHits.length === 1 ? '' : 's'} with “{q}”
            </span>
          )}
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
          matches={query ? matchSet : searchSet}
          onSelect={select}
          onToggle={toggle}
        />
      </section>
      <SearchHighlight needles={needles}>
        <SpanPanel
          node={selected}
          traceStartNs={layout.traceStartNs}
          scores={selected ? scores.filter((x) => x.spanId === selected.id) : []}
        />
      </SearchHighlight>
    </div>
  );
}
