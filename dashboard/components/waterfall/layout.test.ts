import { describe, expect, it } from 'vitest';
import { ancestorIds, buildLayout, collapseBelowDepth, findSpans, timeTicks, visibleRows, type SpanLike } from './layout';

const T0 = 1_700_000_000_000_000_000n;
/** A span starting `start` ms after T0 and lasting `dur` ms. */
function span(id: string, parent: string, start: number, dur: number, status = 'OK'): SpanLike {
  const st = T0 + BigInt(Math.round(start * 1e6));
  return {
    spanId: id,
    parentSpanId: parent,
    name: id,
    startTime: st.toString(),
    endTime: (st + BigInt(Math.round(dur * 1e6))).toString(),
    statusCode: status,
  };
}

// root 0..100: a 0..30 (a1 5..25), b 35..95 (b1 40..60, b2 60..90), c 10..20 (concurrent with a)
const agentRun = [
  span('root', '', 0, 100),
  span('b2', 'b', 60, 30, 'ERROR'),
  span('a', 'root', 0, 30),
  span('b', 'root', 35, 60),
  span('a1', 'a', 5, 20),
  span('c', 'root', 10, 10),
  span('b1', 'b', 40, 20),
];

describe('buildLayout', () => {
  it('orders spans depth-first by start time with depths', () => {
    const l = buildLayout(agentRun);
    expect(l.nodes.map((n) => `${n.id}:${n.depth}`)).toEqual(['root:0', 'a:1', 'a1:2', 'c:1', 'b:1', 'b1:2', 'b2:2']);
    expect(l.maxDepth).toBe(2);
    expect(l.byId.get('root')!.descendantCount).toBe(6);
    expect(l.byId.get('b')!.descendantCount).toBe(2);
  });

  it('places spans on the shared axis in % of the trace', () => {
    const l = buildLayout(agentRun);
    expect(l.durationMs).toBe(100);
    const b = l.byId.get('b')!;
    expect(b.offsetPct).toBeCloseTo(35);
    expect(b.widthPct).toBeCloseTo(60);
    expect(b.startMs).toBeCloseTo(35);
    expect(b.durationMs).toBeCloseTo(60);
  });

  it('keeps nanosecond precision of large epoch timestamps', () => {
    const l = buildLayout([span('r', '', 0, 0.001), span('k', 'r', 0.0005, 0.0002)]);
    expect(l.byId.get('k')!.startMs).toBeCloseTo(0.0005, 7);
  });

  it('marks errors and propagates "error below" to ancestors', () => {
    const l = buildLayout(agentRun);
    expect(l.byId.get('b2')!.isError).toBe(true);
    expect(l.byId.get('b')!.hasErrorBelow).toBe(true);
    expect(l.byId.get('root')!.hasErrorBelow).toBe(true);
    expect(l.byId.get('a')!.hasErrorBelow).toBe(false);
  });

  it('finds the critical path through the last-finishing children', () => {
    const l = buildLayout(agentRun);
    expect(l.criticalPath).toEqual(['root', 'a', 'a1', 'b', 'b1', 'b2']);
    expect(l.byId.get('c')!.onCriticalPath).toBe(false);
    // b waits on b2 (60..90) and b1 (40..60): its own time is 35..40 and 90..95.
    expect(l.byId.get('b')!.criticalSelfMs).toBeCloseTo(10);
    expect(l.byId.get('root')!.criticalSelfMs).toBeCloseTo(10); // 30..35 and 95..100
  });

  it('names the slowest span on the critical path as the bottleneck', () => {
    const l = buildLayout([
      span('root', '', 0, 1000),
      span('llm', 'root', 0, 100),
      span('tool', 'root', 100, 850),
      span('fast', 'root', 120, 5),
    ]);
    expect(l.bottleneckId).toBe('tool');
  });

  it('clips children that outlive their parent', () => {
    const l = buildLayout([span('root', '', 0, 50), span('late', 'root', 40, 30)]);
    expect(l.durationMs).toBe(70);
    expect(l.criticalPath).toEqual(['root', 'late']);
    expect(l.byId.get('root')!.criticalSelfMs).toBeCloseTo(40);
  });

  it('treats orphans as roots and breaks parent cycles', () => {
    const l = buildLayout([span('x', 'missing', 5, 5), span('r', '', 0, 20), span('p', 'q', 1, 1), span('q', 'p', 2, 1)]);
    expect(l.nodes).toHaveLength(4);
    expect(l.roots.map((n) => n.id).sort()).toEqual(['p', 'r', 'x']);
    expect(l.byId.get('q')!.depth).toBe(1);
  });

  it('ignores duplicate span ids', () => {
    expect(buildLayout([span('r', '', 0, 10), span('r', '', 0, 10)]).nodes).toHaveLength(1);
  });

  it('handles an empty trace', () => {
    const l = buildLayout([]);
    expect(l.nodes).toEqual([]);
    expect(l.bottleneckId).toBeNull();
  });

  it('lays out a 5,000-span trace and a 5,000-deep chain quickly', () => {
    const wide = [span('root', '', 0, 10_000)];
    for (let i = 0; i < 4999; i++) wide.push(span(`s${i}`, i < 50 ? 'root' : `s${i % 50}`, i, 2));
    const deep = [span('d0', '', 0, 5000)];
    for (let i = 1; i < 5000; i++) deep.push(span(`d${i}`, `d${i - 1}`, i / 2, 5000 - i));
    const t = performance.now();
    const w = buildLayout(wide);
    const d = buildLayout(deep);
    expect(performance.now() - t).toBeLessThan(500);
    expect(w.nodes).toHaveLength(5000);
    expect(d.maxDepth).toBe(4999);
    expect(d.criticalPath).toHaveLength(5000);
  });
});

describe('visibleRows', () => {
  it('hides the subtree of a collapsed span and keeps the span itself', () => {
    const l = buildLayout(agentRun);
    expect(visibleRows(l, new Set(['b'])).map((n) => n.id)).toEqual(['root', 'a', 'a1', 'c', 'b']);
    expect(visibleRows(l, new Set(['root'])).map((n) => n.id)).toEqual(['root']);
    expect(visibleRows(l, new Set()).length).toBe(7);
  });

  it('collapses by depth and finds the ancestors to expand for a hidden span', () => {
    const l = buildLayout(agentRun);
    expect([...collapseBelowDepth(l, 1)].sort()).toEqual(['a', 'b']);
    expect(ancestorIds(l, 'b2')).toEqual(['b', 'root']);
  });
});

describe('timeTicks', () => {
  it('uses round steps across the trace', () => {
    expect(timeTicks(100).map((t) => t.ms)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(timeTicks(1300).map((t) => t.ms)).toEqual([0, 500, 1000]);
    expect(timeTicks(0)).toEqual([{ ms: 0, pct: 0 }]);
  });
});

describe('findSpans', () => {
  it('matches names case-insensitively in depth-first order', () => {
    const l = buildLayout(agentRun);
    expect(findSpans(l.nodes, 'B')).toEqual(['b', 'b1', 'b2']);
    expect(findSpans(l.nodes, '  ')).toEqual([]);
  });
});
