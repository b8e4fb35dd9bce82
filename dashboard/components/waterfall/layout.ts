/**
 * The trace waterfall, computed apart from React (after jaeger-ui): build the span tree, place
 * every span on the trace's time axis, find the critical path, and turn a collapsed state into
 * the rows to draw. Everything is iterative and O(n log n), so a 5,000-span trace lays out in a
 * few milliseconds and a deep chain cannot overflow the stack.
 */

/** The fields of a span the layout needs; the collector's `Span` satisfies it. */
export interface SpanLike {
  spanId: string;
  parentSpanId: string;
  name: string;
  /** Nanoseconds since the epoch, decimal string. */
  startTime: string;
  endTime: string;
  statusCode: string;
}

export interface SpanNode<S extends SpanLike = SpanLike> {
  span: S;
  id: string;
  /** Parent in the drawn tree; null for roots (including orphans whose parent is missing). */
  parentId: string | null;
  children: SpanNode<S>[];
  depth: number;
  /** Position in depth-first order; descendants follow contiguously. */
  index: number;
  descendantCount: number;
  /** Milliseconds from the trace start. */
  startMs: number;
  endMs: number;
  durationMs: number;
  /** Left edge and width in % of the trace duration. */
  offsetPct: number;
  widthPct: number;
  isError: boolean;
  /** Some span below this one failed: shown on collapsed rows so errors are not hidden. */
  hasErrorBelow: boolean;
  onCriticalPath: boolean;
  /** Time this span itself spends on the critical path (its share not covered by children). */
  criticalSelfMs: number;
}

export interface TraceLayout<S extends SpanLike = SpanLike> {
  roots: SpanNode<S>[];
  /** All nodes in depth-first order. */
  nodes: SpanNode<S>[];
  byId: Map<string, SpanNode<S>>;
  traceStartNs: string;
  durationMs: number;
  maxDepth: number;
  /** Ids of the spans on the critical path, in time order. */
  criticalPath: string[];
  /** The critical-path span with the most self time: where the trace spent its time. */
  bottleneckId: string | null;
}

export function buildLayout<S extends SpanLike>(spans: readonly S[]): TraceLayout<S> {
  const unique = dedupe(spans);
  if (unique.length === 0) {
    return { roots: [], nodes: [], byId: new Map(), traceStartNs: '0', durationMs: 0, maxDepth: 0, criticalPath: [], bottleneckId: null };
  }

  let startNs = BigInt(unique[0]!.startTime);
  let endNs = BigInt(unique[0]!.endTime);
  for (const s of unique) {
    const st = BigInt(s.startTime);
    const en = BigInt(s.endTime);
    if (st < startNs) startNs = st;
    if (en > endNs) endNs = en;
  }
  const durationMs = Math.max(0, Number(endNs - startNs) / 1e6);

  const byId = new Map<string, SpanNode<S>>();
  for (const span of unique) {
    const startMs = Number(BigInt(span.startTime) - startNs) / 1e6;
    // A span that "ends" before it starts (clock skew) is drawn with zero length.
    const endMs = Math.max(startMs, Number(BigInt(span.endTime) - startNs) / 1e6);
    byId.set(span.spanId, {
      span,
      id: span.spanId,
      parentId: null,
      children: [],
      depth: 0,
      index: -1,
      descendantCount: 0,
      startMs,
      endMs,
      durationMs: endMs - startMs,
      offsetPct: durationMs > 0 ? (startMs / durationMs) * 100 : 0,
      widthPct: durationMs > 0 ? ((endMs - startMs) / durationMs) * 100 : 100,
      isError: span.statusCode === 'ERROR',
      hasErrorBelow: false,
      onCriticalPath: false,
      criticalSelfMs: 0,
    });
  }

  const roots: SpanNode<S>[] = [];
  for (const node of byId.values()) {
    const parent = node.span.parentSpanId ? byId.get(node.span.parentSpanId) : undefined;
    if (parent && parent !== node) {
      node.parentId = parent.id;
      parent.children.push(node);
    } else {
      roots.push(node);
    }
  }
  for (const node of byId.values()) node.children.sort(byStart);
  roots.sort(byStart);

  const nodes = orderDepthFirst(roots, byId);
  let maxDepth = 0;
  for (const n of nodes) if (n.depth > maxDepth) maxDepth = n.depth;
  // Children come after their parent in depth-first order: walk backwards to sum up.
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    for (const c of n.children) {
      n.descendantCount += 1 + c.descendantCount;
      if (c.isError || c.hasErrorBelow) n.hasErrorBelow = true;
    }
  }

  const criticalPath = markCriticalPath(roots, durationMs);
  let bottleneck: SpanNode<S> | null = null;
  for (const id of criticalPath) {
    const n = byId.get(id)!;
    if (
      !bottleneck ||
      n.criticalSelfMs > bottleneck.criticalSelfMs ||
      (n.criticalSelfMs === bottleneck.criticalSelfMs && n.depth > bottleneck.depth)
    ) {
      bottleneck = n;
    }
  }

  return {
    roots: nodes.filter((n) => n.parentId === null),
    nodes,
    byId,
    traceStartNs: startNs.toString(),
    durationMs,
    maxDepth,
    criticalPath,
    bottleneckId: bottleneck?.id ?? null,
  };
}

/**
 * Depth-first order with depths. Spans caught in a parent cycle are unreachable from any root:
 * each such group is cut open at its earliest span, which becomes a root.
 */
function orderDepthFirst<S extends SpanLike>(roots: SpanNode<S>[], byId: Map<string, SpanNode<S>>): SpanNode<S>[] {
  const out: SpanNode<S>[] = [];
  const visit = (root: SpanNode<S>) => {
    const stack: SpanNode<S>[] = [root];
    root.depth = 0;
    while (stack.length > 0) {
      const n = stack.pop()!;
      n.index = out.length;
      out.push(n);
      for (let i = n.children.length - 1; i >= 0; i--) {
        const c = n.children[i]!;
        c.depth = n.depth + 1;
        stack.push(c);
      }
    }
  };
  for (const r of roots) visit(r);
  if (out.length < byId.size) {
    const stranded = [...byId.values()].filter((n) => n.index === -1).sort(byStart);
    for (const n of stranded) {
      if (n.index !== -1) continue;
      const parent = n.parentId ? byId.get(n.parentId) : undefined;
      if (parent) parent.children = parent.children.filter((c) => c !== n);
      n.parentId = null;
      roots.push(n);
      visit(n);
    }
  }
  return out;
}

/**
 * The critical path: walking back from the end of each span, the child that finished last is
 * what the span waited for; then the child that finished last before that one started; and so
 * on. The time between those children is the span's own critical time. Spans with several roots
 * are treated as children of one virtual span covering the whole trace.
 */
function markCriticalPath<S extends SpanLike>(roots: SpanNode<S>[], traceEndMs: number): string[] {
  const path: SpanNode<S>[] = [];
  const work: Array<{ node: SpanNode<S> | null; children: SpanNode<S>[]; start: number; until: number }> = [
    { node: null, children: roots, start: 0, until: traceEndMs },
  ];
  while (work.length > 0) {
    const { node, children, start, until } = work.pop()!;
    if (node) {
      node.onCriticalPath = true;
      path.push(node);
    }
    let cursor = node ? Math.min(node.endMs, until) : until;
    let self = 0;
    const byEndDesc = [...children].sort((a, b) => b.endMs - a.endMs || b.startMs - a.startMs);
    for (const child of byEndDesc) {
      if (child.startMs >= cursor || child.endMs <= start) continue;
      const childEnd = Math.min(child.endMs, cursor);
      self += cursor - childEnd;
      work.push({ node: child, children: child.children, start: child.startMs, until: childEnd });
      cursor = Math.max(child.startMs, start);
    }
    self += Math.max(0, cursor - start);
    if (node) node.criticalSelfMs = self;
  }
  return path.sort((a, b) => a.startMs - b.startMs || a.depth - b.depth).map((n) => n.id);
}

/** The rows to draw: depth-first order, skipping everything below a collapsed span. */
export function visibleRows<S extends SpanLike>(layout: TraceLayout<S>, collapsed: ReadonlySet<string>): SpanNode<S>[] {
  if (collapsed.size === 0) return layout.nodes;
  const rows: SpanNode<S>[] = [];
  const nodes = layout.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    rows.push(n);
    if (collapsed.has(n.id)) i += n.descendantCount;
  }
  return rows;
}

/** Ids of a span's ancestors, nearest first: expanding them makes the span visible. */
export function ancestorIds(layout: TraceLayout, id: string): string[] {
  const out: string[] = [];
  let n = layout.byId.get(id);
  while (n?.parentId) {
    out.push(n.parentId);
    n = layout.byId.get(n.parentId);
  }
  return out;
}

/** Collapse every span at `depth` or deeper that has children: a quick overview of a big trace. */
export function collapseBelowDepth(layout: TraceLayout, depth: number): Set<string> {
  const out = new Set<string>();
  for (const n of layout.nodes) if (n.depth >= depth && n.children.length > 0) out.add(n.id);
  return out;
}

/**
 * Ids of the spans whose name (or tool, agent, model when the span has them) contains the query,
 * case-insensitively, in depth-first order.
 */
export function findSpans<S extends SpanLike & { toolName?: string; agentName?: string; requestModel?: string }>(
  nodes: readonly SpanNode<S>[],
  query: string,
): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  return nodes
    .filter((n) => [n.span.name, n.span.toolName, n.span.agentName, n.span.requestModel].some((v) => v?.toLowerCase().includes(q)))
    .map((n) => n.id);
}

/** Evenly spaced, nicely rounded tick marks for the time axis, in ms and % of the trace. */
export function timeTicks(durationMs: number, target = 5): Array<{ ms: number; pct: number }> {
  if (!(durationMs > 0)) return [{ ms: 0, pct: 0 }];
  const raw = durationMs / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: Array<{ ms: number; pct: number }> = [];
  for (let ms = 0; ms <= durationMs + step * 1e-9; ms += step) ticks.push({ ms, pct: (ms / durationMs) * 100 });
  return ticks;
}

function dedupe<S extends SpanLike>(spans: readonly S[]): S[] {
  const seen = new Set<string>();
  const out: S[] = [];
  for (const s of spans) {
    if (seen.has(s.spanId)) continue;
    seen.add(s.spanId);
    out.push(s);
  }
  return out;
}

function byStart(a: SpanNode, b: SpanNode): number {
  return a.startMs - b.startMs || a.span.name.localeCompare(b.span.name);
}
