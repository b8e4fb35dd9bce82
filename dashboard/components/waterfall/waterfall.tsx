'use client';

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Span } from '@sightline/contract';
import { ChevronIcon } from '@/components/ui/icons';
import { formatDuration } from '@/lib/format';
import { timeTicks, type SpanNode, type TraceLayout } from './layout';
import { spanCategory } from './span-kind';

export const ROW_HEIGHT = 26;
/** Rows drawn above and below the viewport, so fast scrolling does not show blank space. */
const OVERSCAN = 12;
const INDENT = 12;
const MAX_INDENT_LEVELS = 24;

export interface WaterfallProps {
  layout: TraceLayout<Span>;
  rows: SpanNode<Span>[];
  collapsed: ReadonlySet<string>;
  selectedId: string | null;
  /** Spans matching the search box, highlighted. */
  matches: ReadonlySet<string>;
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
}

/**
 * The span rows on a shared time axis. Only the rows in view are in the DOM (fixed row height,
 * hand-written windowing), so a 5,000-span trace scrolls as smoothly as a 50-span one.
 */
export function Waterfall({ layout, rows, collapsed, selectedId, matches, onSelect, onToggle }: WaterfallProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setViewport(el.clientHeight || 600);
    const ro = new ResizeObserver(() => setViewport(el.clientHeight || 600));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Bring the selected row into view when it changes (including the initial bottleneck).
  const selectedIndex = selectedId ? rows.findIndex((r) => r.id === selectedId) : -1;
  useEffect(() => {
    const el = scroller.current;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    if (top < el.scrollTop || top + ROW_HEIGHT > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, top - el.clientHeight / 3);
    }
    // Only on selection changes: scrolling by hand must not snap back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedId]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (selectedIndex < 0) return;
      const current = rows[selectedIndex]!;
      let handled = true;
      if (e.key === 'ArrowDown' && selectedIndex < rows.length - 1) onSelect(rows[selectedIndex + 1]!.id);
      else if (e.key === 'ArrowUp' && selectedIndex > 0) onSelect(rows[selectedIndex - 1]!.id);
      else if (e.key === 'ArrowLeft' && current.children.length > 0 && !collapsed.has(current.id)) onToggle(current.id);
      else if (e.key === 'ArrowRight' && collapsed.has(current.id)) onToggle(current.id);
      else if (e.key === 'ArrowLeft' && current.parentId) onSelect(current.parentId);
      else handled = false;
      if (handled) e.preventDefault();
    },
    [rows, selectedIndex, collapsed, onSelect, onToggle],
  );

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  const ticks = timeTicks(layout.durationMs);

  return (
    <div className="wf" data-testid="waterfall" data-row-count={rows.length}>
      <div className="wf-head" aria-hidden>
        <div style={{ padding: '5px 12px' }}>Span</div>
        <div className="ticks">
          {ticks.map((t, i) => (
            <span
              key={t.ms}
              className={i === ticks.length - 1 && t.pct > 92 ? 'tick last' : 'tick'}
              style={{ left: `${Math.min(t.pct, 100)}%` }}
            >
              {formatDuration(t.ms)}
            </span>
          ))}
        </div>
      </div>
      <div
        ref={scroller}
        className="wf-scroll"
        role="tree"
        aria-label="Spans"
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }}>
          {rows.slice(first, last).map((node, i) => (
            <Row
              key={node.id}
              node={node}
              top={(first + i) * ROW_HEIGHT}
              ticks={ticks}
              selected={node.id === selectedId}
              match={matches.has(node.id)}
              collapsed={collapsed.has(node.id)}
              onSelect={onSelect}
              onToggle={onToggle}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

function Row({
  node,
  top,
  ticks,
  selected,
  match,
  collapsed,
  onSelect,
  onToggle,
}: {
  node: SpanNode<Span>;
  top: number;
  ticks: Array<{ pct: number }>;
  selected: boolean;
  match: boolean;
  collapsed: boolean;
  onSelect: (id: string) => void;
  onToggle: (id: string) => void;
}) {
  const s = node.span;
  const category = spanCategory(s.operation);
  const barClass = ['wf-bar', category === 'other' ? '' : category, node.isError ? 'error' : '', node.onCriticalPath ? 'critical' : '']
    .filter(Boolean)
    .join(' ');
  const labelRight = node.offsetPct + node.widthPct < 78;
  const indent = Math.min(node.depth, MAX_INDENT_LEVELS) * INDENT;
  return (
    <div
      className={match ? 'wf-row match' : 'wf-row'}
      style={{ top }}
      role="treeitem"
      aria-selected={selected}
      aria-expanded={node.children.length > 0 ? !collapsed : undefined}
      aria-level={node.depth + 1}
      data-testid="span-row"
      data-span-id={node.id}
      data-critical={node.onCriticalPath ? '' : undefined}
      data-error={node.isError ? '' : undefined}
      onClick={() => onSelect(node.id)}
    >
      <div className="wf-name" style={{ paddingLeft: 6 + indent }} title={`${s.name} · ${s.serviceName}`}>
        <button
          type="button"
          className={node.children.length > 0 ? 'wf-toggle' : 'wf-toggle leaf'}
          aria-label={collapsed ? `Expand ${s.name}` : `Collapse ${s.name}`}
          tabIndex={-1}
          onClick={(e) => {
            e.stopPropagation();
            onToggle(node.id);
          }}
        >
          <ChevronIcon open={!collapsed} />
        </button>
        {node.isError && (
          <span className="wf-err" aria-label="error">
            !
          </span>
        )}
        <span className="label" data-testid="span-name">
          {s.name}
        </span>
        {node.depth > MAX_INDENT_LEVELS && <span className="wf-count">L{node.depth}</span>}
        {collapsed && (
          <span className="wf-count">
            +{node.descendantCount}
            {node.hasErrorBelow ? ' ·' : ''}
          </span>
        )}
        {collapsed && node.hasErrorBelow && (
          <span className="wf-err" aria-label="errors inside">
            !
          </span>
        )}
      </div>
      <div className="wf-track">
        {ticks.map((t) => (
          <span key={t.pct} className="wf-grid" style={{ left: `${Math.min(t.pct, 100)}%` }} />
        ))}
        <span className={barClass} style={{ left: `${node.offsetPct}%`, width: `${node.widthPct}%` }} />
        <span
          className="wf-dur"
          style={labelRight ? { left: `${node.offsetPct + node.widthPct}%` } : { right: `${100 - node.offsetPct}%` }}
        >
          {formatDuration(node.durationMs)}
        </span>
      </div>
    </div>
  );
}
