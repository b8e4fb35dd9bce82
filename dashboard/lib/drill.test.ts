import { describe, expect, it } from 'vitest';
import { breakdownHref, slowTracesHref } from './drill';

const scope = { range: { key: '24h' as const, from: 0, to: 86_400_000 }, agent: 'planner' };

describe('drill-down links', () => {
  it('opens the slowest traces of a bucket in an absolute window', () => {
    expect(slowTracesHref(scope, 60_000, 60, 1234.7)).toBe('/traces?from=60000&to=120000&agent=planner&minDurationMs=1234&sort=duration');
    expect(slowTracesHref(scope, 0, 300, null)).toBe('/traces?from=0&to=300000&agent=planner&sort=duration');
  });
  it('keeps a relative range and adds the breakdown dimension', () => {
    expect(breakdownHref(scope, 'tool', 'web search')).toBe('/traces?range=24h&agent=planner&tool=web+search');
  });
});
