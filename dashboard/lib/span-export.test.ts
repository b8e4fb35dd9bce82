import { describe, expect, it } from 'vitest';
import type { Scope } from './search-params';
import { collectorExportParams, spanExportHref } from './span-export';

const scope: Scope = { range: { key: '1h', from: 1_764_000_000_000, to: 1_764_003_600_000 }, agent: 'support-agent' };

describe('the trace list download links', () => {
  it('carry the list’s filters and its resolved range, not its page or sort', () => {
    const link = spanExportHref('csv', scope, { status: 'error', q: 'refund, "late"', minDurationMs: 2000, session: 's-1' });
    const url = new URL(link, 'http://dashboard');
    expect(url.pathname).toBe('/traces/export');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      format: 'csv',
      from: '1764000000000',
      to: '1764003600000',
      agent: 'support-agent',
      status: 'error',
      q: 'refund, "late"',
      minDurationMs: '2000',
      session: 's-1',
    });
  });

  it('carry the score filter, and no score bounds without a score name', () => {
    const scored = new URL(spanExportHref('csv', { range: scope.range }, { scoreName: 'helpfulness', scoreMax: 0.5 }), 'http://dashboard');
    expect(scored.searchParams.get('scoreName')).toBe('helpfulness');
    expect(scored.searchParams.get('scoreMax')).toBe('0.5');
    const orphan = new URL(spanExportHref('csv', { range: scope.range }, { scoreMin: 0.5, scoreLabel: 'no' }), 'http://dashboard');
    expect([...orphan.searchParams.keys()].sort()).toEqual(['format', 'from', 'to']);
  });

  it('leave out filters that are not set', () => {
    const url = new URL(spanExportHref('jsonl', { range: scope.range }, {}), 'http://dashboard');
    expect([...url.searchParams.keys()].sort()).toEqual(['format', 'from', 'to']);
  });
});

describe('the session list download links', () => {
  it('go to the sessions export with the session list’s filters only', () => {
    const link = spanExportHref(
      'jsonl',
      scope,
      { status: 'ok', q: 'refund', minDurationMs: 2000, scoreName: 'thumbs', scoreMin: 1 },
      'sessions',
    );
    const url = new URL(link, 'http://dashboard');
    expect(url.pathname).toBe('/export/sessions');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      format: 'jsonl',
      from: '1764000000000',
      to: '1764003600000',
      agent: 'support-agent',
      status: 'ok',
      q: 'refund',
      scoreName: 'thumbs',
      scoreMin: '1',
    });
  });
});

describe('the export route', () => {
  it('forwards only the parameters the collector’s export takes', () => {
    const params = collectorExportParams(
      new URLSearchParams('format=csv&from=1&agent=a&cursor=x&sort=cost&limit=5&project=other&live=1&q='),
    );
    expect(params).toEqual({ format: 'csv', from: '1', agent: 'a' });
    const sessions = collectorExportParams(new URLSearchParams('format=csv&minDurationMs=5&session=s&status=ok&sort=cost'), 'sessions');
    expect(sessions).toEqual({ format: 'csv', status: 'ok' });
  });
});
