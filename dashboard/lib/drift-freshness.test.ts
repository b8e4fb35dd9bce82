import { describe, expect, it } from 'vitest';
import { freshnessText } from './drift-freshness';

describe('drift freshness text', () => {
  it('says up to when sessions are summarized, in UTC, and whether a catch-up is running', () => {
    const until = Date.UTC(2026, 2, 3, 23, 30);
    const ingested = Date.UTC(2026, 2, 3, 23, 41, 12);
    expect(freshnessText({ materializedUntil: until, spansIngestedUntil: ingested, catchUp: 'running' })).toBe(
      'Sessions summarized up to Mar 3, 23:30 UTC, from spans received up to Mar 3, 23:41 UTC · catching up on new or late spans: reload in a moment for the complete numbers.',
    );
    expect(freshnessText({ materializedUntil: until, spansIngestedUntil: ingested, catchUp: 'idle' })).toMatch(/· up to date\.$/);
    expect(freshnessText({ materializedUntil: null, spansIngestedUntil: null, catchUp: 'failed' })).toMatch(
      /^No sessions summarized yet · the last catch-up failed/,
    );
  });
});
